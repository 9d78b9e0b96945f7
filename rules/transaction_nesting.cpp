// transaction-nesting: BEGIN inside a transaction, COMMIT/ROLLBACK outside one, and a
// BEGIN never closed. Each leaves part of the migration outside the transaction its
// author thought protected it.
#include "engine/config.h"
#include "engine/rule.h"
#include "sets/migration_set.h"

namespace pgw {
namespace {

bool opens(std::string_view kind) {
    return kind == "TRANS_STMT_BEGIN" || kind == "TRANS_STMT_START";
}
bool closes(std::string_view kind) {
    return kind == "TRANS_STMT_COMMIT" || kind == "TRANS_STMT_ROLLBACK" ||
           kind == "TRANS_STMT_PREPARE";
}
bool savepoint_command(std::string_view kind) {
    return kind == "TRANS_STMT_SAVEPOINT" || kind == "TRANS_STMT_RELEASE" ||
           kind == "TRANS_STMT_ROLLBACK_TO";
}

// Top-level transaction control only: COMMIT in a DO block is PL/pgSQL transaction
// control (PostgreSQL 11+ procedures semantics), not the file's structure.
bool top_level_transaction(const Statement& st) {
    return st.parsed() && st.do_depth == 0 && st.kind == "TransactionStmt";
}

std::string runner(const Context& ctx) {
    const std::string& tool = ctx.facts->tool;
    return tool == "plain" ? std::string("the migration runner") : tool;
}

class TransactionNesting final : public Rule {
  public:
    const RuleInfo& info() const override {
        static const RuleInfo i{
            "transaction-nesting",
            Category::transaction,
            Severity::error,
            Risk::low,
            "BEGIN inside a transaction, COMMIT/ROLLBACK outside one, or a BEGIN never closed",
            "PostgreSQL has no nested transactions: a second BEGIN is ignored with a warning and "
            "the first COMMIT ends the outer transaction, so the statements after it run without "
            "one. Write exactly one BEGIN ... COMMIT per file (or none when the migration runner "
            "wraps each file, see assume_in_transaction), use SAVEPOINT for partial rollback, "
            "and close every BEGIN",
            "BEGIN;\n"
            "ALTER TABLE bookings ADD COLUMN IF NOT EXISTS tags text[];\n"
            "BEGIN;\n"
            "CREATE TABLE IF NOT EXISTS tags (id bigint PRIMARY KEY);\n"
            "COMMIT;\n"
            "UPDATE bookings SET tags = '{}' WHERE tags IS NULL;\n"
            "COMMIT;",
            "BEGIN;\n"
            "ALTER TABLE bookings ADD COLUMN IF NOT EXISTS tags text[];\n"
            "CREATE TABLE IF NOT EXISTS tags (id bigint PRIMARY KEY);\n"
            "UPDATE bookings SET tags = '{}' WHERE tags IS NULL;\n"
            "COMMIT;",
            "transaction control inside DO blocks and procedures (PostgreSQL 11+) is not checked"};
        return i;
    }

    StatementFilter statements() const override { return StatementFilter::of({"TransactionStmt"}); }

    void check(const Statement& st, const Context& ctx, Emitter& out) const override {
        if (!top_level_transaction(st)) return;
        std::string_view kind = node::str(st.node, "kind");
        if (opens(kind) && (ctx.explicit_transaction || ctx.tool_transaction)) {
            out.emit(st.span,
                     ctx.explicit_transaction
                         ? "BEGIN inside a transaction that is already open: PostgreSQL ignores "
                           "it, and the next COMMIT ends the outer transaction"
                         : "BEGIN inside the transaction " + runner(ctx) +
                               " opens: PostgreSQL ignores it, and the file's COMMIT ends the "
                               "runner's transaction early");
        } else if (closes(kind) && !ctx.in_transaction) {
            std::string verb = kind == "TRANS_STMT_ROLLBACK"  ? "ROLLBACK"
                               : kind == "TRANS_STMT_PREPARE" ? "PREPARE TRANSACTION"
                                                              : "COMMIT";
            out.emit(st.span, verb + " outside a transaction: there is no BEGIN before it");
        } else if (savepoint_command(kind) && !ctx.in_transaction) {
            out.emit(st.span, "savepoint command outside a transaction: PostgreSQL rejects it");
        }
    }

    void check_file(const Context& ctx, Emitter& out) const override {
        // Replays BEGIN/COMMIT to find the BEGIN that is still open at the end.
        const Statement* open = nullptr;
        for (const Statement& st : ctx.migration.statements) {
            if (!top_level_transaction(st)) continue;
            std::string_view kind = node::str(st.node, "kind");
            if (opens(kind))
                open = &st;
            else if (closes(kind))
                open = nullptr;
        }
        // The tool (or psql -1) commits what the unit leaves open.
        TxMode tx = open ? ctx.migration.unit_of(*open).tx : TxMode::none;
        bool committed = tx == TxMode::wrapped || tx == TxMode::wrapped_batch ||
                         (tx == TxMode::assumed && ctx.config.assume_in_transaction);
        if (open && !committed)
            out.emit(open->span,
                     "BEGIN is never closed: add COMMIT at the end of the file (PostgreSQL "
                     "rolls an unfinished transaction back when the session ends)");
    }
};

PGW_REGISTER_RULE(TransactionNesting);

}  // namespace
}  // namespace pgw
