// drop-column: ALTER TABLE ... DROP COLUMN deletes the column's data, and every
// client still reading or writing the column fails once the migration runs.
#include "support_destructive.h"

namespace pgw {
namespace {

class DropColumn final : public Rule {
  public:
    const RuleInfo& info() const override {
        static const RuleInfo i{
            "drop-column",
            Category::dangerous,
            Severity::error,
            Risk::high,
            "ALTER TABLE ... DROP COLUMN deletes the column and all of its data",
            "stop using the column first: deploy code that neither reads nor writes it (for an "
            "ORM, mark it ignored), back the data up if it may be needed, drop it in a later "
            "release, and acknowledge the drop with `-- @override-destructive <reason>` and "
            "`-- @rollback-plan: <how to restore>`",
            "ALTER TABLE users DROP COLUMN legacy_flag;",
            "-- @override-destructive column unused since release 42 (TICKET-17)\n"
            "-- @rollback-plan: re-add legacy_flag as nullable and restore it from the "
            "2026-01-15 snapshot\n"
            "ALTER TABLE users DROP COLUMN IF EXISTS legacy_flag;"};
        return i;
    }

    StatementFilter statements() const override { return StatementFilter::of({"AlterTableStmt"}); }

    void check(const Statement& st, const Context& ctx, Emitter& out) const override {
        // A down migration drops what its up migration added.
        if (ctx.rollback_file || rules::alters_new_table(st, ctx)) return;
        std::vector<std::string> cols = rules::alter_subcommand_names(st, "AT_DropColumn");
        if (cols.empty()) return;
        bool many = cols.size() > 1;
        out.emit(st.span, "ALTER TABLE " + rules::display_relation(st.node) + " DROP COLUMN " +
                              rules::join_names(cols) + " deletes the column" +
                              (many ? "s and their" : " and its") + " data");
    }
};

PGW_REGISTER_RULE(DropColumn);

}  // namespace
}  // namespace pgw
