// What a statement does to the relations it touches, predicted without a
// server: the strongest table lock it takes, whether it rewrites the table
// (new relfilenode) and whether it reads every row under that lock (a
// validation, an index build). The locking rules state these facts in their
// messages and `verify` compares them with what PostgreSQL really did
// (verify-static-mismatch); tests/claims_test.py checks them on PostgreSQL 15.
//
// Lock levels: PostgreSQL 15 docs "Explicit Locking" (13.3.1) and the ALTER
// TABLE page; src/backend/commands/tablecmds.c AlterTableGetLockLevel. Each
// level below was observed in pg_locks on PostgreSQL 15.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "frontend/parse.h"
#include "schema/model.h"

namespace pgw::schema {

// PostgreSQL's table lock modes, weakest first.
enum class LockMode : unsigned char {
    none,
    access_share,
    row_share,
    row_exclusive,
    share_update_exclusive,
    share,
    share_row_exclusive,
    exclusive,
    access_exclusive,
};

// "AccessExclusiveLock", as pg_locks names the mode; "" for none.
std::string_view lock_name(LockMode mode);
// "ACCESS EXCLUSIVE", as the SQL and the docs write it.
std::string_view lock_sql(LockMode mode);
LockMode lock_from_name(std::string_view pg_locks_mode);
// Modes that conflict with INSERT/UPDATE/DELETE (ROW EXCLUSIVE): SHARE and above.
inline bool blocks_writes(LockMode m) {
    return m >= LockMode::share;
}

struct RelationEffect {
    std::string relation;  // the model's key ("users", "audit.events")
    LockMode lock = LockMode::none;
    bool rewrite = false;  // the table (and its indexes) get new files
    bool scan = false;     // every row is read under the lock (validation, index build)
    // The rows may be read, as the planner decides: a foreign key's check joins
    // the referenced table however it likes.
    bool maybe_scan = false;
    // It may be rewritten, as a setting the migration does not show decides
    // (timestamp <-> timestamptz is free when the session TimeZone is UTC).
    bool maybe_rewrite = false;
    std::string why;  // for messages: "ADD CONSTRAINT ... validates every row"
};

struct Effects {
    std::vector<RelationEffect> relations;  // one per relation, strongest lock kept
    // The statement runs outside a transaction block by its nature
    // (CREATE INDEX CONCURRENTLY, VACUUM): no lock is held past it.
    bool concurrent = false;
    // It runs code or queries whose locks and scans are not the statement's to
    // predict: a DO block, a function call, a query's plan.
    bool opaque = false;
    const RelationEffect* on(std::string_view relation) const;
};

// `model` is the schema just before the statement; `pg_version` the target.
Effects predict_effects(const Statement& st, const SchemaModel& model, int pg_version);

}  // namespace pgw::schema
