// drop-database: DROP DATABASE deletes a whole database; it has no place in a
// schema migration, which runs inside the database it changes.
#include "support_destructive.h"

namespace pgw {
namespace {

class DropDatabase final : public Rule {
  public:
    const RuleInfo& info() const override {
        static const RuleInfo i{
            "drop-database",
            Category::dangerous,
            Severity::error,
            Risk::high,
            "DROP DATABASE deletes an entire database",
            "databases are provisioned and retired by operations, not by migrations: remove "
            "the statement and retire the database through your infrastructure process, after "
            "a final backup. If it really belongs here, acknowledge it with "
            "`-- @override-destructive <reason>` and `-- @rollback-plan: <backup to restore>`",
            "DROP DATABASE analytics;",
            "-- retire the analytics database in the infrastructure repository instead"};
        return i;
    }

    StatementFilter statements() const override { return StatementFilter::of({"DropdbStmt"}); }

    void check(const Statement& st, const Context&, Emitter& out) const override {
        if (st.kind != "DropdbStmt") return;
        out.emit(st.span, "DROP DATABASE " + std::string(node::str(st.node, "dbname")) +
                              " deletes the entire database");
    }
};

PGW_REGISTER_RULE(DropDatabase);

}  // namespace
}  // namespace pgw
