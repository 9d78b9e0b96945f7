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
