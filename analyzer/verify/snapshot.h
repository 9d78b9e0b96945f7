// Catalog snapshots (SPEC §9): what a user would call the schema, read from
// the catalogs and normalised so that two databases (or one database before
// and after) compare equal when they hold the same schema: PostgreSQL's own
// canonical text (pg_get_indexdef, pg_get_constraintdef, pg_get_viewdef,
// pg_get_functiondef, pg_get_triggerdef, pg_get_expr, format_type) read with
// an empty search_path so every name is qualified; no OIDs, no column
// positions (a column dropped and re-added compares equal), no data.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "engine/observations.h"
#include "verify/libpq.h"

namespace pgw {

struct SnapshotOptions {
    // A live database: one read-only transaction with short lock and statement
    // timeouts, and views read only when nothing holds their relations in
    // ACCESS EXCLUSIVE (pg_get_viewdef takes ACCESS SHARE on them).
    bool live = false;
    std::vector<std::string> exclude_tables;  // unqualified names (tool history tables)
    bool with_xmin = false;                   // fill Snapshot::xmin (drift attribution)
};

struct Snapshot {
    std::vector<SchemaObject> objects;  // sorted by kind, name
    std::vector<std::string> notes;     // what could not be read
    // Live databases: relations not read because another session holds or
    // waits for ACCESS EXCLUSIVE on them (their objects are left out).
    std::vector<std::string> skipped;
    // kind + " " + name -> the transaction id that last wrote its catalog row.
    std::map<std::string, long long> xmin;
};

// Reads the schema of the database `c` is connected to. Inside an open
// transaction it runs in a savepoint and leaves the transaction as it was.
// Throws pq::PgError.
Snapshot read_snapshot(pq::Connection& c, const SnapshotOptions& options = {});

// Differences between two snapshots, left the reference (SPEC §9: drift, rollback).
std::vector<SchemaDifference> compare_snapshots(const std::vector<SchemaObject>& left,
                                                const std::vector<SchemaObject>& right);

// "column public.users.email: type character varying(100) -> character varying(50)";
// `missing` / `extra` say what absence on each side means for the check.
std::string describe_difference(const SchemaDifference& d, const std::string& missing,
                                const std::string& extra);

}  // namespace pgw
