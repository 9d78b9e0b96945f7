// What `pgwarden verify` observed on a real PostgreSQL (SPEC §9), as plain
// data that a RunResult carries to the reporters (which may not include the
// verify layer): per migration, per statement, the locks, rewrites and scans
// on relations that existed before the migration; and the schema comparisons
// of drift, rollback and idempotency checks.
//
// Written so that static predictions can be compared with it statement by
// statement: a StatementTrace names its file span, its parse-tree kind and,
// per relation, exactly what PostgreSQL reported.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "frontend/types.h"

namespace pgw {

// One relation that existed before the migration, as one statement touched it.
struct RelationTrace {
    std::string name;  // schema-qualified, quote_ident'ed: "public.users", "app.\"Order\""
    std::string
        kind;  // "table", "partitioned table", "index", "materialized view", "sequence", "view"
    // Modes this statement acquired, pg_locks' names ("AccessExclusiveLock"),
    // strongest first. A mode the transaction already held from an earlier
    // statement is in `held`, not here.
    std::vector<std::string> locks;
    std::vector<std::string> held;  // every mode held when the statement ended
    bool rewritten = false;         // relfilenode changed, or re-created under its name
    long long seq_scans = 0;        // pg_stat_xact_user_tables.seq_scan delta
};

struct StatementTrace {
    Span span;                    // in the file, `;` excluded
    Position start, end;          // 1-based, end inclusive
    std::string kind;             // parse-tree node ("AlterTableStmt"); empty if it did not parse
    std::string sql;              // the text sent (shortened for display)
    double seconds = 0;           // the statement alone, tracing excluded
    bool concurrent = false;      // run outside a transaction block, watched from a second session
    bool in_transaction = false;  // ran inside a transaction block (the file's or the tool's)
    std::vector<RelationTrace> relations;  // sorted by name
    std::string error;                     // the server's message when it failed
    std::string sqlstate;
    // Per relation of `relations`' kind, the strongest mode its transaction
    // already held when the statement began (pg_locks' name). Not reported:
    // verify-static-mismatch needs it because `relations` leaves out what the
    // statement did not add to.
    std::map<std::string, std::string> held_before;
};

struct MigrationTrace {
    std::string path;             // as displayed
    std::string set;              // the folder holding its sequence
    bool traced = false;          // false: applied untraced (it exists at the diff base, a seed)
    bool in_transaction = false;  // the tool wraps the file in one transaction
    std::string outcome;          // "applied", "failed", "not run (an earlier migration failed)"
    double seconds = 0;
    std::vector<StatementTrace> statements;  // traced ones only
};

// One object of a catalog snapshot, normalised (SPEC §9 "Catalog snapshots").
struct SchemaObject {
    std::string kind;    // "table", "column", "index", "constraint", "sequence", "type",
                         // "view", "materialized view", "function", "trigger", "policy",
                         // "schema", "extension"
    std::string name;    // identity: "public.users", "public.users.email" (column), ...
    std::string parent;  // the table of a column, index, constraint, trigger or policy
    // Compared: what the object is, without internal ids ("type" -> "bigint").
    std::map<std::string, std::string> attributes;
    std::string definition;  // DDL to show and copy
};

struct SchemaDifference {
    enum class Change { missing, extra, different };
    Change change = Change::different;
    std::string kind, name, parent;
    std::vector<std::string> details;  // "type character varying(100) -> character varying(50)"
    bool breaking = false;             // a drop, a narrowing, a lost constraint
    std::string left, right;           // the definitions on each side (empty where absent)
};

// Two schemas side by side: left is the reference (what the migrations
// produce, the state before up), right what was found.
struct SchemaComparison {
    std::string title;  // "drift: migrations vs postgresql://db.example/app"
    std::string left_label, right_label;
    std::vector<SchemaObject> left, right;  // sorted by kind, name
    std::vector<SchemaDifference> differences;
    std::vector<std::string> notes;  // what could not be compared, and why
};

// A migration tool's history table in a live database against the files.
struct HistoryEntry {
    std::string version;  // as the tool keys it
    std::string path;     // the file, empty when no file has that version
    std::string state;    // "applied", "applied, file missing", "not applied", "checksum differs"
    std::string detail;
};

struct HistoryReport {
    std::string database;  // redacted URL
    std::string table;     // "goose_db_version"
    std::string tool;
    std::vector<HistoryEntry> entries;
};

// The static schema model after a set's replay against the catalog the set
// left (the model half of verify-static-mismatch): how many objects were
// compared, and each disagreement with its class ("column type", ...).
struct ModelCheck {
    std::string set;
    std::size_t compared = 0;
    std::vector<std::pair<std::string, std::string>> disagreements;  // (class, message)
};

struct Observations {
    std::string server;  // "PostgreSQL 15.18 (private cluster, warm start 0.21 s)"
    std::vector<MigrationTrace> migrations;
    std::vector<SchemaComparison> comparisons;
    std::vector<HistoryReport> histories;
    std::vector<ModelCheck> model_checks;  // one per set verify traced to its end
};

// E.g. "AccessExclusiveLock" -> "ACCESS EXCLUSIVE", as LOCK TABLE spells it.
std::string lock_mode_sql(const std::string& pg_locks_mode);

}  // namespace pgw
