// The relations that existed before a traced migration, kept up to date
// between the migrations of one connection (see apply.h).
#include <map>
#include <string>

#include "verify/apply.h"

namespace pgw {

void ExistingRelations::forget(long long oid) {
    auto it = by_oid.find(oid);
    if (it == by_oid.end()) return;
    auto n = by_name.find(it->second.name);
    if (n != by_name.end() && n->second == oid) by_name.erase(n);
    auto p = by_plain.find(it->second.plain);
    if (p != by_plain.end() && p->second == oid) by_plain.erase(p);
    by_oid.erase(it);
}

void ExistingRelations::refresh(pq::Connection& c) {
    bool full = !loaded || stale;
    std::string only;
    if (!full) {
        std::string list;
        for (long long oid : touched) list += (list.empty() ? "" : ",") + std::to_string(oid);
        only = " AND (c.oid > " + std::to_string(max_oid) +
               (list.empty() ? "" : " OR c.oid IN (" + list + ")") + ")";
    }
    pq::Result r = c.exec(
        "SELECT c.oid::bigint, quote_ident(n.nspname) || '.' || quote_ident(c.relname), c.relkind, "
        "c.relfilenode::bigint, coalesce(i.indrelid, 0)::bigint, n.nspname || '.' || c.relname "
        "FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace LEFT JOIN pg_index i ON "
        "i.indexrelid = c.oid WHERE c.relkind IN ('r', 'p', 'i', 'I', 'm', 'S', 'v', 'f') AND "
        "n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE "
        "'pg\\_toast%' "
        "AND n.nspname NOT LIKE 'pg\\_temp\\_%'" +
        only);
    if (full) {
        by_oid.clear();
        by_name.clear();
        by_plain.clear();
    } else {
        for (long long oid : touched) forget(oid);  // dropped ones stay forgotten
    }
    static const std::map<std::string, std::string> kinds = {
        {"r", "table"}, {"p", "partitioned table"}, {"i", "index"},
        {"I", "index"}, {"m", "materialized view"}, {"S", "sequence"},
        {"v", "view"},  {"f", "foreign table"}};
    for (int i = 0; i < r.rows(); ++i) {
        long long oid = r.integer(i, 0);
        forget(oid);
        Relation rel{r.str(i, 1), kinds.at(r.str(i, 2)), r.integer(i, 3), r.integer(i, 4),
                     r.str(i, 5)};
        by_name[rel.name] = oid;
        by_plain[rel.plain] = oid;
        by_oid[oid] = std::move(rel);
        max_oid = std::max(max_oid, oid);
    }
    loaded = true;
    stale = false;
    touched.clear();
}

}  // namespace pgw
