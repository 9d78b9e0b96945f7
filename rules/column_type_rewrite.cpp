// column-type-rewrite: a type change that keeps every value (integer to
// bigint, real to double precision) still rewrites the table and rebuilds its
// indexes under ACCESS EXCLUSIVE: on an existing table, reads and writes wait
// for the whole rewrite (type_change.h has the rules and their sources).
#include "schema/type_change.h"
#include "support_destructive.h"

namespace pgw {
namespace {

class ColumnTypeRewrite final : public Rule {
  public:
    const RuleInfo& info() const override {
        static const RuleInfo i{
            "column-type-rewrite",
            Category::locking,
            Severity::error,
            Risk::medium,
            "a value-keeping type change that rewrites an existing table under ACCESS EXCLUSIVE",
            "on a big table, add a column of the new type, fill it in batches (a trigger keeps "
            "new writes in step), then swap the columns in a short transaction; for a primary "
            "key, build the new unique index CONCURRENTLY first. On a small table, set "
            "lock_timeout and accept the short rewrite.",
            "ALTER TABLE events ALTER COLUMN id TYPE bigint;",
            "ALTER TABLE events ADD COLUMN id_new bigint;\n"
            "-- backfill id_new in batches, then swap the columns in one short transaction"};
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
            if (v.kind != schema::TypeChange::rewrite) continue;
            std::string table = rules::display_relation(st.node);
            out.emit(rules::command_span(st, i),
                     "ALTER TABLE " + table + " ALTER COLUMN " +
                         quote_identifier(node::str(cmd, "name")) + " TYPE " + v.to + " " + v.why +
                         ": it keeps every value but rewrites " + table +
                         " and its indexes under ACCESS EXCLUSIVE");
        }
    }
};

PGW_REGISTER_RULE(ColumnTypeRewrite);

}  // namespace
}  // namespace pgw
