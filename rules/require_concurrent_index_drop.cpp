// require-concurrent-index-drop: DROP INDEX without CONCURRENTLY takes an ACCESS
// EXCLUSIVE lock on the index's table; queued behind a long query, it stalls every
// read and write of that table.
#include "locking_support.h"

namespace pgw {
namespace {

class RequireConcurrentIndexDrop final : public Rule {
  public:
    const RuleInfo& info() const override {
        static const RuleInfo i{
            "require-concurrent-index-drop",
            Category::locking,
            Severity::warning,
            Risk::medium,
            "DROP INDEX without CONCURRENTLY locks the table against reads and writes",
            "drop the index with DROP INDEX CONCURRENTLY in its own migration, outside a "
            "transaction; it drops one index per statement and does not allow CASCADE",
            "DROP INDEX bookings_user_id_idx;",
            "-- in its own migration, without BEGIN/COMMIT\n"
            "DROP INDEX CONCURRENTLY IF EXISTS bookings_user_id_idx;"};
        return i;
    }

    StatementFilter statements() const override { return StatementFilter::of({"DropStmt"}); }

    void check(const Statement& st, const Context& ctx, Emitter& out) const override {
        if (st.kind != "DropStmt" || node::str(st.node, "removeType") != "OBJECT_INDEX" ||
            node::flag(st.node, "concurrent"))
            return;
        // The catalog knows only tables: an index built earlier in this file is the
        // change's own, no query uses it yet.
        std::vector<std::string> live;
        for (const auto& t : rules::drop_targets(st))
            if (!rules::locking::index_created_by_change(ctx, t)) live.push_back(t);
        if (live.empty()) return;
        out.emit(st.span, "DROP INDEX " + rules::join_names(live) +
                              " without CONCURRENTLY locks its table against reads and writes");
    }
};

PGW_REGISTER_RULE(RequireConcurrentIndexDrop);

}  // namespace
}  // namespace pgw
