// Statements that cannot run in a transaction block (CREATE INDEX
// CONCURRENTLY, DROP INDEX CONCURRENTLY, REINDEX CONCURRENTLY, VACUUM, DETACH
// PARTITION CONCURRENTLY) commit internally, so their locks cannot be read
// by the applying session afterwards. A second session watches them instead:
// it opens a REPEATABLE READ transaction with a snapshot and ACCESS SHARE on
// the tables the statement names, which the CONCURRENTLY forms must wait for
// (they wait for older snapshots and for conflicting lockers), polls pg_locks
// for the applying backend while it waits, then lets it go.
// https://www.postgresql.org/docs/15/sql-createindex.html#SQL-CREATEINDEX-CONCURRENTLY
#include <algorithm>
#include <chrono>
#include <memory>
#include <set>
#include <thread>

#include "verify/apply.h"

namespace pgw {

namespace {

using Clock = std::chrono::steady_clock;

// The existing tables a statement names (an index's table for its name).
std::vector<std::string> tables_named(const VerifyStatement& s, const ExistingRelations& existing) {
    std::set<std::string> out;
    for (const std::string& written : s.names) {
        // As written: "users", "app.users", "app.\"Order\"". Unqualified names
        // are looked up in public, the default search_path's schema.
        std::string name = written.find('.') == std::string::npos ? "public." + written : written;
        auto it = existing.by_plain.find(name);
        if (it == existing.by_plain.end()) continue;
        const auto& rel = existing.by_oid.at(it->second);
        if (rel.kind == "table" || rel.kind == "partitioned table") out.insert(rel.name);
        if (rel.kind == "index" && existing.by_oid.count(rel.table)) {
            const auto& t = existing.by_oid.at(rel.table);
            if (t.kind == "table" || t.kind == "partitioned table") out.insert(t.name);
        }
    }
    return {out.begin(), out.end()};
}

// The existing relations the statement may rewrite: those it names, the
// tables of named indexes, and every index of those tables (all of them when
// it names none, as a database-wide VACUUM FULL). Looked up by name, which
// follows an index REINDEX CONCURRENTLY swapped in.
std::vector<std::string> candidates(const VerifyStatement& s, const ExistingRelations& existing) {
    std::set<long long> tables, out;
    for (const std::string& written : s.names) {
        std::string name = written.find('.') == std::string::npos ? "public." + written : written;
        auto it = existing.by_plain.find(name);
        if (it == existing.by_plain.end()) continue;
        out.insert(it->second);
        const auto& rel = existing.by_oid.at(it->second);
        tables.insert(rel.kind == "index" ? rel.table : it->second);
    }
    for (const auto& [oid, rel] : existing.by_oid)
        if (s.names.empty() || tables.count(oid) ||
            (rel.kind == "index" && tables.count(rel.table)))
            out.insert(oid);
    std::vector<std::string> names;
    for (long long oid : out) names.push_back(existing.by_oid.at(oid).name);
    return names;
}

std::map<std::string, long long> filenodes(pq::Connection& c,
                                           const std::vector<std::string>& names) {
    std::map<std::string, long long> out;
    if (names.empty()) return out;
    std::string array = "{";
    for (std::size_t i = 0; i < names.size(); ++i) {
        array += i ? ",\"" : "\"";
        for (char ch : names[i])
            array += ch == '"' || ch == '\\' ? std::string("\\") + ch : std::string(1, ch);
        array += "\"";
    }
    array += "}";
    pq::Result r = c.exec(
        "SELECT x, (SELECT relfilenode::bigint FROM pg_class WHERE oid = to_regclass(x)) FROM "
        "unnest($1::text[]) x",
        {array});
    for (int i = 0; i < r.rows(); ++i)
        if (!r.is_null(i, 1)) out[r.str(i, 0)] = r.integer(i, 1);
    return out;
}

}  // namespace

StatementTrace watch_concurrent(pq::Connection& c, const std::string& conninfo,
                                const VerifyStatement& s, ExistingRelations& existing) {
    StatementTrace trace;
    trace.concurrent = true;
    std::vector<std::string> names = candidates(s, existing);
    auto before = filenodes(c, names);
    if (!existing.watcher) existing.watcher = std::make_unique<pq::Connection>(conninfo);
    pq::Connection& watcher = *existing.watcher;
    std::string pid = std::to_string(c.backend_pid());
    watcher.exec("BEGIN ISOLATION LEVEL REPEATABLE READ; SELECT 1");
    std::vector<std::string> tables = tables_named(s, existing);
    if (!tables.empty()) {
        std::string list;
        for (const auto& t : tables) list += (list.empty() ? "" : ", ") + t;
        watcher.exec("LOCK TABLE " + list + " IN ACCESS SHARE MODE");
    }
    std::map<long long, std::set<std::string>> seen;
    auto t0 = Clock::now();
    c.send(s.sql);
    bool holding = true;
    while (c.busy()) {
        pq::Result r = watcher.exec(
            "SELECT l.locktype, l.relation::bigint, l.mode, l.granted FROM pg_locks l WHERE l.pid "
            "= " +
            pid);
        bool waiting = false;
        for (int i = 0; i < r.rows(); ++i) {
            if (r.get(i, 3) != "t") waiting = true;
            if (r.get(i, 0) != "relation") continue;
            existing.touched.insert(r.integer(i, 1));
            if (existing.by_oid.count(r.integer(i, 1))) seen[r.integer(i, 1)].insert(r.str(i, 2));
        }
        // Seen waiting (its locks are all there), or it never waits: let it go.
        if (holding && (waiting || Clock::now() - t0 > std::chrono::seconds(2))) {
            watcher.exec("COMMIT");
            holding = false;
        }
        std::this_thread::sleep_for(std::chrono::microseconds(500));
    }
    if (holding) watcher.exec("COMMIT");
    trace.seconds = std::chrono::duration<double>(Clock::now() - t0).count();
    c.finish();  // throws the statement's error
    auto after = filenodes(c, names);
    std::set<long long> rewritten;
    for (auto& [oid, rel] : existing.by_oid) {
        auto b = before.find(rel.name), a = after.find(rel.name);
        if (b != before.end() && a != after.end() && a->second != b->second) {
            rewritten.insert(oid);
            existing.touched.insert(oid);
            rel.filenode = a->second;
        }
    }
    std::set<long long> oids = rewritten;
    for (const auto& [oid, modes] : seen) oids.insert(oid);
    for (long long oid : oids) {
        const auto& rel = existing.by_oid.at(oid);
        RelationTrace t;
        t.name = rel.name;
        t.kind = rel.kind;
        if (seen.count(oid)) t.locks.assign(seen[oid].begin(), seen[oid].end());
        std::sort(t.locks.begin(), t.locks.end(), [](const std::string& a, const std::string& b) {
            return lock_rank(a) > lock_rank(b);
        });
        t.held = t.locks;
        t.rewritten = rewritten.count(oid) > 0;
        trace.relations.push_back(std::move(t));
    }
    std::sort(trace.relations.begin(), trace.relations.end(),
              [](const RelationTrace& a, const RelationTrace& b) { return a.name < b.name; });
    return trace;
}

}  // namespace pgw
