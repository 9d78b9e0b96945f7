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

std::map<std::string, long long> filenodes(pq::Connection& c) {
    std::map<std::string, long long> out;
    pq::Result r = c.exec(
        "SELECT quote_ident(n.nspname) || '.' || quote_ident(c.relname), c.relfilenode::bigint "
        "FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.relkind IN ('r', "
        "'i', 'm') AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT "
        "LIKE "
        "'pg\\_toast%'");
    for (int i = 0; i < r.rows(); ++i) out[r.str(i, 0)] = r.integer(i, 1);
    return out;
}

}  // namespace

StatementTrace watch_concurrent(pq::Connection& c, const std::string& conninfo,
                                const VerifyStatement& s, ExistingRelations& existing) {
    StatementTrace trace;
    trace.concurrent = true;
    auto before = filenodes(c);
    pq::Connection watcher(conninfo);
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
            if (r.get(i, 0) == "relation" && existing.by_oid.count(r.integer(i, 1)))
                seen[r.integer(i, 1)].insert(r.str(i, 2));
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
    auto after = filenodes(c);
    std::set<long long> rewritten;
    for (auto& [oid, rel] : existing.by_oid) {
        auto b = before.find(rel.name), a = after.find(rel.name);
        if (b != before.end() && a != after.end() && a->second != b->second) {
            rewritten.insert(oid);
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
