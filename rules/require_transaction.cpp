// require-transaction (opt-in): a migration of several statements that is not wrapped
// in BEGIN ... COMMIT. When one statement fails, the ones before it stay applied and
// the database is left half-migrated.
#include "engine/config.h"
#include "engine/rule.h"

namespace pgw {
namespace {

// Statements PostgreSQL refuses inside a transaction block: they belong outside it.
bool cannot_run_in_transaction(const Statement& st) {
    std::string_view k = st.kind;
    if (k == "IndexStmt" || k == "ReindexStmt") return node::flag(st.node, "concurrent");
    if (k == "DropStmt") return node::flag(st.node, "concurrent");
    if (k == "VacuumStmt" || k == "CreatedbStmt" || k == "DropdbStmt" || k == "AlterSystemStmt" ||
        k == "CreateTableSpaceStmt" || k == "DropTableSpaceStmt")
        return true;
    if (k == "CreateSubscriptionStmt" || k == "DropSubscriptionStmt") return true;
    return false;
}

// Session settings (SET lock_timeout before BEGIN) need no transaction either.
bool needs_transaction(const Statement& st) {
    return st.parsed() && st.do_depth == 0 && st.kind != "TransactionStmt" &&
           st.kind != "VariableSetStmt" && st.kind != "VariableShowStmt" &&
           !cannot_run_in_transaction(st);
}

class RequireTransaction final : public Rule {
  public:
    const RuleInfo& info() const override {
        static const RuleInfo i{
            "require-transaction",
            Category::transaction,
            Severity::off,
            Risk::none,
            "a multi-statement migration not wrapped in BEGIN ... COMMIT",
            "wrap the migration in BEGIN; ... COMMIT; so that a failing statement rolls back "
            "the whole file instead of leaving it half applied (or set assume_in_transaction "
            "when the migration runner already does). Statements that cannot run in a "
            "transaction (CREATE INDEX CONCURRENTLY, VACUUM, ...) belong in their own file",
            "ALTER TABLE bookings ADD COLUMN IF NOT EXISTS tags text[];\n"
            "UPDATE bookings SET tags = '{}' WHERE tags IS NULL;",
            "BEGIN;\n"
            "ALTER TABLE bookings ADD COLUMN IF NOT EXISTS tags text[];\n"
            "UPDATE bookings SET tags = '{}' WHERE tags IS NULL;\n"
            "COMMIT;"};
        return i;
    }

    StatementFilter statements() const override { return StatementFilter::none(); }

    void check_file(const Context& ctx, Emitter& out) const override {
        if (ctx.config.assume_in_transaction) return;
        std::size_t count = 0;
        const Statement* first_outside = nullptr;
        bool open = false;
        for (const Statement& st : ctx.migration.statements) {
            if (st.parsed() && st.do_depth == 0 && st.kind == "TransactionStmt") {
                std::string_view kind = node::str(st.node, "kind");
                if (kind == "TRANS_STMT_BEGIN" || kind == "TRANS_STMT_START")
                    open = true;
                else if (kind == "TRANS_STMT_COMMIT" || kind == "TRANS_STMT_ROLLBACK" ||
                         kind == "TRANS_STMT_PREPARE")
                    open = false;
                continue;
            }
            if (!needs_transaction(st)) continue;
            ++count;
            if (!open && !first_outside) first_outside = &st;
        }
        if (count < 2 || !first_outside) return;
        out.emit(first_outside->span,
                 "this migration has " + std::to_string(count) +
                     " statements and this one runs outside BEGIN ... COMMIT: a failure "
                     "later leaves the migration half applied");
    }
};

PGW_REGISTER_RULE(RequireTransaction);

}  // namespace
}  // namespace pgw
