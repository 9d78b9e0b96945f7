// delete-without-where: a DELETE with no WHERE clause empties the table; in a
// migration that is almost always a forgotten condition.
#include "support_destructive.h"

namespace pgw {
namespace {

class DeleteWithoutWhere final : public Rule {
  public:
    const RuleInfo& info() const override {
        static const RuleInfo i{
            "delete-without-where",
            Category::dangerous,
            Severity::error,
            Risk::high,
            "DELETE without a WHERE clause deletes every row of the table",
            "add a WHERE clause naming the rows to delete (on large tables, delete in batches "
            "from a data job). If emptying the table is intended, back it up and acknowledge "
            "with `-- @override-destructive <reason>` and `-- @rollback-plan: <how to restore>`",
            "DELETE FROM sessions;",
            "DELETE FROM sessions WHERE expires_at < now() - interval '30 days';"};
        return i;
    }

    void check(const Statement& st, const Context& ctx, Emitter& out) const override {
        for (const std::string& table : rules::unfiltered_targets(st, ctx, "DeleteStmt"))
            out.emit(st.span, "DELETE FROM " + table + " without WHERE deletes every row");
    }
};

PGW_REGISTER_RULE(DeleteWithoutWhere);

}  // namespace
}  // namespace pgw
