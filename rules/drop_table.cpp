// drop-table: DROP TABLE destroys data and breaks every client that reads it.
#include "support.h"

namespace pgw {
namespace {

class DropTable final : public Rule {
  public:
    const RuleInfo& info() const override {
        static const RuleInfo i{
            "drop-table",
            Category::dangerous,
            Severity::error,
            Risk::high,
            "DROP TABLE deletes the table and all of its data",
            "deploy the code that stops using the table first, keep a backup (or rename the "
            "table and drop it in a later release), then acknowledge the drop with "
            "`-- @override-destructive <reason>` and `-- @rollback-plan: <how to restore>`",
            "DROP TABLE bookings_archive;",
            "-- @override-destructive archive moved to cold storage (TICKET-42)\n"
            "-- @rollback-plan: restore bookings_archive from the 2026-01-15 snapshot\n"
            "DROP TABLE IF EXISTS bookings_archive;"};
        return i;
    }

    StatementFilter statements() const override { return StatementFilter::of({"DropStmt"}); }

    void check(const Statement& st, const Context& ctx, Emitter& out) const override {
        if (st.kind != "DropStmt" || node::str(st.node, "removeType") != "OBJECT_TABLE") return;
        // A down migration is expected to drop what its up migration created.
        if (ctx.rollback_file) return;
        std::vector<std::string> lost;
        for (const auto& t : rules::drop_targets(st))
            if (!rules::created_by_change(ctx, normalize_relation(t))) lost.push_back(t);
        if (lost.empty()) return;
        out.emit(st.span,
                 "DROP TABLE " + rules::join_names(lost) + " deletes the table and its data");
    }
};

PGW_REGISTER_RULE(DropTable);

}  // namespace
}  // namespace pgw
