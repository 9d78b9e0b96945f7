// rename-table: ALTER TABLE ... RENAME TO breaks every client that still uses
// the old name, from the moment the migration commits until the code is deployed.
#include "support_destructive.h"

namespace pgw {
namespace {

class RenameTable final : public Rule {
  public:
    const RuleInfo& info() const override {
        static const RuleInfo i{
            "rename-table",
            Category::dangerous,
            Severity::error,
            Risk::medium,
            "ALTER TABLE ... RENAME TO breaks clients that use the old name",
            "rename in steps: create the new table (or rename and leave an updatable view with "
            "the old name behind), deploy code that uses the new name, then remove the old name "
            "in a later release. If the outage is accepted, acknowledge it with "
            "`-- @override-destructive <reason>` and `-- @rollback-plan: <rename back>`",
            "ALTER TABLE customers RENAME TO clients;",
            "-- @override-destructive the view keeps the old name working until release 43\n"
            "-- @rollback-plan: DROP VIEW customers; ALTER TABLE clients RENAME TO customers;\n"
            "ALTER TABLE customers RENAME TO clients;\n"
            "CREATE VIEW customers AS SELECT * FROM clients;"};
        return i;
    }

    StatementFilter statements() const override { return StatementFilter::of({"RenameStmt"}); }

    void check(const Statement& st, const Context& ctx, Emitter& out) const override {
        // A rollback renames back what its up migration renamed.
        if (ctx.rollback_file) return;
        if (st.kind != "RenameStmt") return;
        std::string_view type = node::str(st.node, "renameType");
        if (type != "OBJECT_TABLE" && type != "OBJECT_FOREIGN_TABLE") return;
        if (rules::created_by_change(ctx, rules::target_relation(st))) return;
        out.emit(st.span, "ALTER TABLE " + rules::display_relation(st.node) + " RENAME TO " +
                              quote_identifier(node::str(st.node, "newname")) +
                              " breaks clients that use the old name");
    }
};

PGW_REGISTER_RULE(RenameTable);

}  // namespace
}  // namespace pgw
