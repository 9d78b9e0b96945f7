// drop-index: DROP INDEX changes the contract the application relies on: the
// queries it served fall back to scans, and a unique index stops enforcing
// uniqueness. Its lock is require-concurrent-index-drop's business, not this rule's.
#include "support_destructive.h"

namespace pgw {
namespace {

class DropIndex final : public Rule {
  public:
    const RuleInfo& info() const override {
        static const RuleInfo i{
            "drop-index",
            Category::contract,
            Severity::error,
            Risk::high,
            "DROP INDEX removes an index that queries or uniqueness may depend on",
            "check that no query needs the index (pg_stat_user_indexes.idx_scan) and that it "
            "does not enforce uniqueness the code relies on; to replace an index, create the new "
            "one first. Drop it with DROP INDEX CONCURRENTLY and acknowledge with "
            "`-- @override-destructive <reason>`",
            "DROP INDEX idx_users_email;",
            "-- @override-destructive idx_users_email is unused (idx_scan = 0 for 30 days)\n"
            "DROP INDEX CONCURRENTLY IF EXISTS idx_users_email;"};
        return i;
    }

    StatementFilter statements() const override { return StatementFilter::of({"DropStmt"}); }

    void check(const Statement& st, const Context& ctx, Emitter& out) const override {
        if (st.kind != "DropStmt" || node::str(st.node, "removeType") != "OBJECT_INDEX") return;
        // A down migration drops the indexes its up migration created.
        if (ctx.rollback_file) return;
        std::vector<std::string> targets = rules::drop_targets(st);
        std::vector<std::string> keys = rules::drop_keys(st);
        std::vector<std::string> lost;
        for (std::size_t i = 0; i < keys.size() && i < targets.size(); ++i) {
            // Dropped to be built again under the same name (its build is
            // require-concurrent-index's to judge), or the change's own.
            bool is_new = ctx.catalog.is_new_relation(keys[i]) ||
                          rules::created_later(ctx, "OBJECT_INDEX", keys[i]);
            if (!is_new) lost.push_back(targets[i]);
        }
        if (lost.empty()) return;
        out.emit(st.span, "DROP INDEX " + rules::join_names(lost) + " removes the " +
                              rules::plural("index", lost.size()) + ": queries that use " +
                              (lost.size() > 1 ? "them" : "it") +
                              " slow down and a unique index stops enforcing uniqueness");
    }
};

PGW_REGISTER_RULE(DropIndex);

}  // namespace
}  // namespace pgw
