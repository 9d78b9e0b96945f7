#include "engine/session.h"

namespace pgw {

namespace {

// `SET lock_timeout = 0` disables the timeout: it protects nothing.
bool sets_zero(node::Element set) {
    for (node::Element arg : node::List(set, "args")) {
        node::Element c, v;
        if (!node::as(arg, "A_Const", c)) return false;
        if (node::get(c, "ival", v)) return node::integer(v, "ival", 0) == 0;
        if (node::get(c, "sval", v)) {
            std::string_view s = node::str(v, "sval");
            return !s.empty() && s.find_first_not_of("0") == std::string_view::npos;
        }
        return false;
    }
    return false;
}

}  // namespace

void Session::enter(const Unit& unit, std::size_t statements) {
    // A down section runs another time, in another session (goose down, dbmate
    // rollback): nothing the up part set is in force there.
    if (unit.section != section_) {
        lock_timeout_ = lock_timeout_local_ = statement_timeout_ = statement_timeout_local_ = false;
        section_ = unit.section;
    }
    TxMode tx = unit.tx;
    if (tx == TxMode::assumed) tx = assume_ ? TxMode::wrapped : TxMode::none;
    // One query holding several statements: PostgreSQL's implicit transaction
    // block, which even a COMMIT in it does not leave
    // (https://www.postgresql.org/docs/15/protocol-flow.html#PROTOCOL-FLOW-MULTI-STATEMENT).
    batch_ = (tx == TxMode::wrapped_batch || tx == TxMode::implicit_block) && statements > 1;
    open_ = tx == TxMode::wrapped || tx == TxMode::wrapped_batch || batch_;
    tool_ = commits_ = tx == TxMode::wrapped || tx == TxMode::wrapped_batch;
    explicit_ = false;
}

bool Session::leave() {
    bool was = in_transaction();
    open_ = explicit_ = batch_ = tool_ = commits_ = false;
    if (was) transaction_ended();
    return was;
}

void Session::transaction_ended() {
    // SET LOCAL lasts until the end of its transaction.
    if (lock_timeout_local_) lock_timeout_ = lock_timeout_local_ = false;
    if (statement_timeout_local_) statement_timeout_ = statement_timeout_local_ = false;
}

bool Session::after(const Statement& st) {
    // Transaction control inside a DO block is not the file's own transaction.
    if (st.kind == "TransactionStmt" && st.do_depth == 0) {
        std::string_view kind = node::str(st.node, "kind");
        if (kind == "TRANS_STMT_BEGIN" || kind == "TRANS_STMT_START") {
            explicit_ = true;
        } else if (kind == "TRANS_STMT_COMMIT" || kind == "TRANS_STMT_ROLLBACK" ||
                   kind == "TRANS_STMT_PREPARE") {
            // Ends the file's block and the tool's (psql -1, goose's transaction:
            // later statements autocommit), but not a batch's implicit block.
            bool was = in_transaction();
            explicit_ = false;
            tool_ = false;
            open_ = batch_;
            if (was) transaction_ended();
            return !in_transaction();
        }
    } else if (st.kind == "VariableSetStmt") {
        std::string_view name = node::str(st.node, "name");
        bool* value = name == "lock_timeout"        ? &lock_timeout_
                      : name == "statement_timeout" ? &statement_timeout_
                                                    : nullptr;
        bool* local = name == "lock_timeout" ? &lock_timeout_local_ : &statement_timeout_local_;
        std::string_view kind = node::str(st.node, "kind");
        if (value &&
            (kind == "VAR_SET_VALUE" || kind == "VAR_SET_DEFAULT" || kind == "VAR_RESET")) {
            bool is_local = node::flag(st.node, "is_local");
            // SET LOCAL outside a transaction block only warns: nothing is set
            // (https://www.postgresql.org/docs/15/sql-set.html).
            if (!is_local || in_transaction()) {
                *value = kind == "VAR_SET_VALUE" && !sets_zero(st.node);
                *local = *value && is_local;
            }
        }
    }
    return !in_transaction();
}

void Session::fill(Context& ctx) const {
    ctx.in_transaction = in_transaction();
    ctx.explicit_transaction = explicit_;
    ctx.batch = batch_;
    ctx.tool_transaction = tool_;
    ctx.tool_commits = commits_;
    ctx.lock_timeout_set = lock_timeout_;
    ctx.lock_timeout_local = lock_timeout_local_;
    ctx.statement_timeout_set = statement_timeout_;
}

}  // namespace pgw
