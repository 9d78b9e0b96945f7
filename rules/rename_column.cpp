// rename-column: ALTER TABLE ... RENAME COLUMN breaks every query that still
// names the old column, and running code cannot follow the rename atomically.
#include "support_destructive.h"

namespace pgw {
namespace {

class RenameColumn final : public Rule {
  public:
    const RuleInfo& info() const override {
        static const RuleInfo i{
            "rename-column",
            Category::dangerous,
            Severity::error,
            Risk::medium,
            "ALTER TABLE ... RENAME COLUMN breaks clients that use the old column name",
            "rename in steps: add the new column, write to both and backfill, deploy code that "
            "reads the new column, then drop the old one in a later release. If the outage is "
            "accepted, acknowledge it with `-- @override-destructive <reason>` and "
            "`-- @rollback-plan: <rename back>`",
            "ALTER TABLE users RENAME COLUMN email TO email_address;",
            "ALTER TABLE users ADD COLUMN email_address text;\n"
            "-- write both, backfill, switch reads, then drop email in a later release"};
        return i;
    }

    StatementFilter statements() const override { return StatementFilter::of({"RenameStmt"}); }

    void check(const Statement& st, const Context& ctx, Emitter& out) const override {
        // A rollback renames back what its up migration renamed.
        if (ctx.rollback_file) return;
        if (st.kind != "RenameStmt" || node::str(st.node, "renameType") != "OBJECT_COLUMN") return;
        std::string_view on = node::str(st.node, "relationType");
        if (on != "OBJECT_TABLE" && on != "OBJECT_FOREIGN_TABLE") return;
        std::string table = rules::target_relation(st);
        if (rules::created_by_change(ctx, table)) return;
        // A column this migration added (to an existing table): nobody uses its name yet.
        const schema::Column* c = ctx.catalog.column(table, node::str(st.node, "subname"));
        if (c && ctx.catalog.model().by_change(*c)) return;
        out.emit(st.span, "ALTER TABLE " + rules::display_relation(st.node) + " RENAME COLUMN " +
                              quote_identifier(node::str(st.node, "subname")) + " TO " +
                              quote_identifier(node::str(st.node, "newname")) +
                              " breaks clients that use the old name");
    }
};

PGW_REGISTER_RULE(RenameColumn);

}  // namespace
}  // namespace pgw
