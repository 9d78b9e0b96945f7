// The transaction and session a migration's statements run in, the way its
// tool runs them (frontend/layout.h TxMode): where a transaction block starts
// and ends, and which session settings (lock_timeout, statement_timeout) are
// in force. The engine feeds it statement by statement; rules read the result
// through their Context.
#pragma once

#include "engine/config.h"
#include "engine/rule.h"
#include "frontend/parse.h"

namespace pgw {

class Session {
  public:
    explicit Session(const Config& config) : assume_(config.assume_in_transaction) {}

    // A unit starts; `statements` is how many top-level statements it holds.
    void enter(const Unit& unit, std::size_t statements);
    // The unit ended: the tool commits what it opened. Returns true when a
    // transaction ended with it.
    bool leave();
    // After a statement ran. Returns true when no transaction is open after
    // it (it ended one, or ran in autocommit).
    bool after(const Statement& st);

    bool in_transaction() const { return open_ || explicit_; }
    void fill(Context& ctx) const;

  private:
    bool assume_;
    bool open_ = false;      // a transaction the tool opened (or PostgreSQL's implicit block)
    bool explicit_ = false;  // BEGIN written in the file
    bool batch_ = false;     // the unit is one multi-statement query
    bool tool_ = false;      // the tool's BEGIN is open
    bool commits_ = false;   // the tool commits at the end of the unit
    Section section_ = Section::up;
    bool lock_timeout_ = false, lock_timeout_local_ = false;
    bool statement_timeout_ = false, statement_timeout_local_ = false;

    void transaction_ended();
};

}  // namespace pgw
