// Applying one script statement by statement, as its tool would, with or
// without tracing (SPEC §9 "Checks"):
//
// - A statement outside any transaction block is run inside BEGIN ... COMMIT
//   of pgwarden's own, which is what autocommit does anyway, so its locks can
//   be read from pg_locks before they are released.
// - Inside the file's or the tool's transaction, the locks a statement adds
//   to those the transaction already holds are its own.
// - Statements PostgreSQL refuses in a transaction block (CONCURRENTLY,
//   VACUUM, ...) run on their own, watched from a second session.
#pragma once

#include <map>
#include <memory>
#include <set>
#include <string>

#include "engine/observations.h"
#include "verify/libpq.h"
#include "verify/plan.h"

namespace pgw {

// The relations that existed before a traced migration, and the storage
// (relfilenode) each one had last.
struct ExistingRelations {
    struct Relation {
        std::string name;  // schema-qualified, quote_ident'ed
        std::string kind;  // "table", "index", ...
        long long filenode = 0;
        long long table = 0;  // the table of an index
        std::string plain;    // "schema.name" unquoted
    };
    std::map<long long, Relation> by_oid;
    std::map<std::string, long long> by_name;
    std::map<std::string, long long> by_plain;  // "schema.name" unquoted, as parse trees name them

    // Kept up to date between migrations of one connection: relations created
    // since (a higher oid) and those the last migrations locked (altered,
    // renamed, dropped: DDL locks what it changes) are read again; anything
    // else changed untraced makes the next refresh a full read.
    bool loaded = false, stale = false;
    bool prepared = false;  // the connection has the observation query prepared
    // The second session that watches non-transactional statements, opened
    // the first time one comes: a new connection per statement would cost
    // more than most statements.
    std::unique_ptr<pq::Connection> watcher;
    long long max_oid = 0;
    std::set<long long> touched;
    void refresh(pq::Connection& c);
    void forget(long long oid);
};

struct ApplyOptions {
    bool trace = false;
    // Kept between the migrations of one connection (it also holds the
    // connection's prepared observation); null: read for this one.
    ExistingRelations* existing = nullptr;
    std::string conninfo;  // the same database, for the second session watching CONCURRENTLY
    // The idempotency trial: inside one transaction that is rolled back, when
    // the script allows it (no transaction control, nothing non-transactional).
    bool trial = false;
    bool track_writes = false;  // during a trial: find the first statement that wrote anything
};

struct ApplyOutcome {
    bool ok = true;
    std::size_t failed = static_cast<std::size_t>(-1);  // index of the failing statement
    pq::PgError error{""};
    std::vector<StatementTrace> traces;  // traced statements, in order
    double seconds = 0;
    // The trial ran in a transaction and is still open (the caller reads the
    // catalog, then rolls back), and the first statement that wrote anything.
    bool trial_open = false;
    std::size_t first_write = static_cast<std::size_t>(-1);
};

// Runs the script on `c` (left outside any transaction afterwards, except an
// open trial). Never throws for the script's own errors: they are the outcome.
ApplyOutcome apply_script(pq::Connection& c, const VerifyScript& script,
                          const ApplyOptions& options);

// Whether the trial of a script can run inside one rolled-back transaction.
bool trial_in_transaction(const VerifyScript& script);

// "AccessExclusiveLock" ranks above "ShareLock": strongest first.
int lock_rank(const std::string& mode);

// A non-transactional statement, run while a second session watches it
// (observer.cpp). Throws pq::PgError when the statement fails.
StatementTrace watch_concurrent(pq::Connection& c, const std::string& conninfo,
                                const VerifyStatement& s, ExistingRelations& existing);

}  // namespace pgw
