// update-without-where: an UPDATE with no WHERE clause rewrites every row (and,
// on a large table, holds row locks on all of them and bloats it).
#include "support_destructive.h"

namespace pgw {
namespace {

class UpdateWithoutWhere final : public Rule {
  public:
    const RuleInfo& info() const override {
        static const RuleInfo i{
            "update-without-where",
            Category::dangerous,
            Severity::error,
            Risk::high,
            "UPDATE without a WHERE clause changes every row of the table",
            "add a WHERE clause naming the rows to change; on large tables backfill in batches "
            "(WHERE id BETWEEN ...) from a data job so row locks stay short. If every row must "
            "change, acknowledge with `-- @override-destructive <reason>` and "
            "`-- @rollback-plan: <how to restore the old values>`",
            "UPDATE users SET newsletter = false;",
            "UPDATE users SET newsletter = false WHERE newsletter IS NULL AND id < 100000;"};
        return i;
    }

    void check(const Statement& st, const Context& ctx, Emitter& out) const override {
        for (const std::string& table : rules::unfiltered_targets(st, ctx, "UpdateStmt"))
            out.emit(st.span, "UPDATE " + table + " without WHERE changes every row");
    }
};

PGW_REGISTER_RULE(UpdateWithoutWhere);

}  // namespace
}  // namespace pgw
