// alter-column-type: ALTER COLUMN ... TYPE that can fail or change values
// (narrowing, an incompatible cast, a USING expression), or whose old type
// the set replay does not know. Changes PostgreSQL makes in the catalog only
// get no finding; value-keeping rewrites are column-type-rewrite's
// (type_change.h has the rules and their sources).
#include "schema/type_change.h"
#include "support_destructive.h"

namespace pgw {
namespace {

class AlterColumnType final : public Rule {
  public:
    const RuleInfo& info() const override {
        static const std::string help =
            std::string(
                "add a new column with the new type, backfill it in batches, switch the code "
                "over (writing both columns meanwhile), then drop the old column in a later "
                "release. If the change is intended, acknowledge it with "
                "`-- @override-destructive <reason>` and `-- @rollback-plan: <how to convert "
                "back>`. No finding when the old type is known and PostgreSQL only changes the "
                "catalog: ") +
            schema::catalog_only_type_changes() +
            ". A change that keeps every value but rewrites the table (integer to bigint) is "
            "column-type-rewrite.";
        static const RuleInfo i{
            "alter-column-type",
            Category::dangerous,
            Severity::error,
            Risk::medium,
            "ALTER COLUMN ... TYPE that can fail or change data, or whose old type is unknown",
            help,
            "-- orders.amount was numeric(12,2)\n"
            "ALTER TABLE orders ALTER COLUMN amount TYPE integer;",
            "ALTER TABLE orders ADD COLUMN amount_cents bigint;\n"
            "-- backfill amount_cents in batches, switch the code, then drop amount later"};
        return i;
    }

    StatementFilter statements() const override { return StatementFilter::of({"AlterTableStmt"}); }

    void check(const Statement& st, const Context& ctx, Emitter& out) const override {
        if (st.kind != "AlterTableStmt" || rules::alters_new_table(st, ctx)) return;
        std::string key = rules::target_relation(st);
        const std::vector<node::Element>& commands = rules::alter_table_commands(st);
        for (std::size_t i = 0; i < commands.size(); ++i) {
            node::Element cmd = commands[i];
            if (node::str(cmd, "subtype") != "AT_AlterColumnType") continue;
            schema::TypeChangeVerdict v =
                schema::classify_type_change(cmd, key, ctx.catalog.model());
            if (v.kind == schema::TypeChange::catalog || v.kind == schema::TypeChange::rewrite)
                continue;
            std::string what = "ALTER TABLE " + rules::display_relation(st.node) +
                               " ALTER COLUMN " + quote_identifier(node::str(cmd, "name")) +
                               " TYPE " + v.to;
            if (v.kind == schema::TypeChange::unknown)
                out.emit(Emit{rules::command_span(st, i),
                              what + ": the old type is unknown to the migrations, so the change "
                                     "may rewrite the table and change or lose data",
                              {},
                              Risk::medium});
            else
                out.emit(Emit{rules::command_span(st, i),
                              what + " " + v.why + " (from " + v.from +
                                  "): values may "
                                  "fail to convert or change",
                              {},
                              Risk::high});
        }
    }
};

PGW_REGISTER_RULE(AlterColumnType);

}  // namespace
}  // namespace pgw
