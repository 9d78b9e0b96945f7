// The catalog queries of a snapshot, shared by the two files that hold them.
#pragma once

#include <string>

#include "verify/snapshot.h"

namespace pgw::snapshot_detail {

// User objects only: not the system schemas, not TOAST or temporary
// schemas, not what an extension owns (the extension stands for it).
constexpr const char* kUserSchema =
    "n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\\_toast%' "
    "AND n.nspname NOT LIKE 'pg\\_temp\\_%' ";

inline std::string not_extension_member(const std::string& catalog, const std::string& oid) {
    return " AND NOT EXISTS (SELECT 1 FROM pg_depend e WHERE e.classid = '" + catalog +
           "'::regclass AND e.objid = " + oid + " AND e.deptype = 'e') ";
}

struct Reader {
    pq::Connection& c;
    const SnapshotOptions& options;
    Snapshot& snap;
    int version = c.server_version();
    // Live databases: relations another session holds or waits for in ACCESS
    // EXCLUSIVE ("{oid,...}"). PostgreSQL's deparse functions open the
    // relations they describe for a moment (pg_get_expr, pg_get_indexdef,
    // pg_get_constraintdef) or until the transaction ends (pg_get_viewdef):
    // objects of such relations are not read, so a drift run never waits.
    std::string busy = "{}";

    // A query; on a live database inside a savepoint rolled back right after,
    // which releases whatever lock a deparse function took.
    pq::Result query(const std::string& sql) {
        if (!options.live) return c.exec(sql);
        c.exec("SAVEPOINT pgw_q");
        try {
            pq::Result r = c.exec(sql);
            c.exec("ROLLBACK TO SAVEPOINT pgw_q; RELEASE SAVEPOINT pgw_q");
            return r;
        } catch (const pq::PgError&) {
            c.exec("ROLLBACK TO SAVEPOINT pgw_q; RELEASE SAVEPOINT pgw_q");
            throw;
        }
    }
    // " AND <oid> is not busy" on a live database.
    std::string free(const std::string& oid) const {
        return options.live ? " AND NOT (" + oid + " = ANY('" + busy + "'::oid[])) " : " ";
    }

    SchemaObject& add(std::string kind, std::string name, std::string parent, long long xmin) {
        if (options.with_xmin) snap.xmin[kind + " " + name] = xmin;
        snap.objects.push_back({std::move(kind), std::move(name), std::move(parent), {}, {}});
        return snap.objects.back();
    }

    void schemas();
    void extensions();
    void tables();
    void indexes();
    void constraints();
    void sequences();
    void types();
    void views();
    void routines();
    void triggers();
    void policies();
};

}  // namespace pgw::snapshot_detail
