// truncate-table: TRUNCATE deletes every row at once, cannot be limited by a
// WHERE, and (with CASCADE) empties the tables that reference it as well.
#include "support_destructive.h"

namespace pgw {
namespace {

class TruncateTable final : public Rule {
  public:
    const RuleInfo& info() const override {
        static const RuleInfo i{
            "truncate-table",
            Category::dangerous,
            Severity::error,
            Risk::high,
            "TRUNCATE deletes every row of the table",
            "a schema migration should not throw data away: move data clean-ups to a reviewed "
            "data job, or DELETE the rows that are really obsolete with a WHERE clause. If the "
            "data is meant to go, back it up and acknowledge with "
            "`-- @override-destructive <reason>` and `-- @rollback-plan: <how to restore>`",
            "TRUNCATE TABLE sessions;",
            "DELETE FROM sessions WHERE expires_at < now() - interval '30 days';"};
        return i;
    }

    StatementFilter statements() const override { return StatementFilter::of({"TruncateStmt"}); }

    void check(const Statement& st, const Context& ctx, Emitter& out) const override {
        if (st.kind != "TruncateStmt") return;
        std::vector<std::string> lost;
        for (node::Element item : node::List(st.node, "relations")) {
            node::Element rel;
            if (!node::as(item, "RangeVar", rel)) continue;
            std::string name = node::range_var_name(rel);
            if (!rules::created_by_change(ctx, normalize_relation(name))) lost.push_back(name);
        }
        if (lost.empty()) return;
        bool cascade = node::str(st.node, "behavior") == "DROP_CASCADE";
        out.emit(st.span, "TRUNCATE " + rules::join_names(lost) + " deletes every row" +
                              (cascade ? ", and CASCADE empties the tables that reference " +
                                             std::string(lost.size() > 1 ? "them" : "it")
                                       : std::string()));
    }
};

PGW_REGISTER_RULE(TruncateTable);

}  // namespace
}  // namespace pgw
