#include "verify/drift.h"

#include <algorithm>
#include <map>
#include <regex>
#include <set>

#include "verify/check_set.h"
#include "verify/cluster.h"
#include "verify/findings.h"
#include "verify/history.h"
#include "verify/snapshot.h"

namespace pgw {

namespace {

// The live side: one REPEATABLE READ, READ ONLY transaction, short timeouts.
// https://www.postgresql.org/docs/15/sql-set-transaction.html
struct LiveRead {
    Snapshot snapshot;
    std::vector<HistoryReport> histories;
};

std::string label_of(const std::string& url);

LiveRead read_live(const std::string& url, const std::vector<VerifySet>& sets, FindingSink& sink) {
    LiveRead out;
    std::string label = label_of(url);
    try {
        pq::Connection c(url);
        c.exec("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
        c.exec(
            "SET LOCAL lock_timeout = '1s'; SET LOCAL statement_timeout = '60s'; "
            "SET LOCAL idle_in_transaction_session_timeout = '5min'; "
            "SET LOCAL application_name = 'pgwarden drift'");
        SnapshotOptions options;
        options.live = true;
        options.exclude_tables = history_table_names();
        out.snapshot = read_snapshot(c, options);
        c.exec("SET LOCAL search_path = ''");
        out.histories = compare_history(c, label, sets, sink);
        c.exec("ROLLBACK");
    } catch (const pq::PgError& e) {
        throw VerifyError(
            label + ": " + e.what() +
            (e.sqlstate == "55P03" ? " (a lock it needed was held: nothing was changed)" : ""));
    }
    return out;
}

// "app on db.example.com" for a URL or a keyword/value connection string;
// the redacted string itself when neither says which database.
std::string label_of(const std::string& url) {
    std::smatch m;
    static const std::regex uri(R"(^postgres(?:ql)?://(?:[^@/]*@)?([^/?]*)/([^?]+))");
    if (std::regex_search(url, m, uri) && !m.str(2).empty())
        return m.str(2) + (m.str(1).empty() ? "" : " on " + m.str(1));
    static const std::regex db(R"((?:^|\s)dbname\s*=\s*'?([^'\s]+))"),
        host(R"((?:^|\s)host\s*=\s*'?([^'\s]+))");
    std::smatch d, h;
    if (std::regex_search(url, d, db))
        return d.str(1) + (std::regex_search(url, h, host) ? " on " + h.str(1) : "");
    return pq::redact(url);
}

}  // namespace

RunResult run_drift(const std::vector<VerifySet>& sets, const Config& config,
                    const VerifyOptions& options) {
    if (options.database_url.empty())
        throw VerifyError("--drift needs --database-url URL: the live database to compare");
    FindingSink sink(config);
    auto observations = std::make_shared<Observations>();
    SchemaComparison cmp;
    std::map<std::string, const VerifyScript*> scripts;
    for (const auto& s : sets)
        for (const auto& m : s.migrations) scripts[m.up.path] = &m.up;

    Snapshot expected;
    std::vector<std::pair<long long, std::string>> xids;
    std::string right_url = options.against.empty() ? options.database_url : options.against;
    if (options.against.empty()) {
        // The migrations' schema, built in a private cluster: every set in one
        // database, as the live database holds them all.
        install_signal_cleanup();
        std::unique_ptr<Cluster> cluster;
        try {
            cluster = Cluster::start({options.pg_bindir, options.keep});
        } catch (const ClusterError& e) {
            throw VerifyError(e.what());
        }
        observations->server = "PostgreSQL " + cluster->version() + ", private cluster";
        try {
            pq::Connection admin(cluster->conninfo());
            admin.exec("CREATE DATABASE drift TEMPLATE template0");
            pq::Connection c(cluster->conninfo("drift"));
            c.exec("SET client_min_messages = warning");
            for (const auto& set : sets) {
                SetCheck apply{set, sink, c, cluster->conninfo("drift"), nullptr, true};
                bool ok = apply.apply_only();
                for (auto& t : apply.traces) observations->migrations.push_back(std::move(t));
                for (auto& x : apply.xid_starts) xids.push_back(x);
                if (!ok)
                    observations->migrations.back().outcome +=
                        " (the migrations' schema is incomplete)";
            }
            SnapshotOptions so;
            so.exclude_tables = history_table_names();
            so.with_xmin = true;
            expected = read_snapshot(c, so);
        } catch (const pq::PgError& e) {
            throw VerifyError(std::string("private cluster: ") + e.what());
        }
        cluster->stop();
        if (options.keep && options.note) options.note(cluster->kept_message());
        cmp.left_label = "migrations";
        cmp.title = "drift: migrations vs " + label_of(right_url);
    } else {
        LiveRead left = read_live(options.database_url, sets, sink);
        expected = std::move(left.snapshot);
        for (auto& h : left.histories) observations->histories.push_back(std::move(h));
        cmp.left_label = label_of(options.database_url);
        cmp.title = "drift: " + cmp.left_label + " vs " + label_of(right_url);
    }
    LiveRead live = read_live(right_url, sets, sink);
    for (auto& h : live.histories) observations->histories.push_back(std::move(h));
    cmp.right_label = label_of(right_url);
    // Relations a live side could not read without waiting are left out of
    // the comparison on both sides, and said so.
    std::set<std::string> skipped(live.snapshot.skipped.begin(), live.snapshot.skipped.end());
    skipped.insert(expected.skipped.begin(), expected.skipped.end());
    auto leave_out = [&](std::vector<SchemaObject>& objects) {
        objects.erase(std::remove_if(objects.begin(), objects.end(),
                                     [&](const SchemaObject& o) {
                                         return skipped.count(o.name) || skipped.count(o.parent);
                                     }),
                      objects.end());
    };
    leave_out(expected.objects);
    leave_out(live.snapshot.objects);
    for (const auto& name : skipped)
        cmp.notes.push_back(name +
                            ": not compared, another session holds or waits for an ACCESS "
                            "EXCLUSIVE lock on it (drift never waits for a lock)");
    cmp.differences = compare_snapshots(expected.objects, live.snapshot.objects);
    cmp.notes.insert(cmp.notes.end(), expected.notes.begin(), expected.notes.end());
    cmp.notes.insert(cmp.notes.end(), live.snapshot.notes.begin(), live.snapshot.notes.end());

    // Each finding goes to the migration that last wrote the object (or its
    // table), found through the transaction ids each migration used.
    std::sort(xids.begin(), xids.end());
    auto migration_of = [&](const std::string& kind,
                            const std::string& name) -> const VerifyScript* {
        auto it = expected.xmin.find(kind + " " + name);
        if (it == expected.xmin.end() || xids.empty()) return nullptr;
        auto after = std::upper_bound(xids.begin(), xids.end(),
                                      std::make_pair(it->second, std::string("\xff")));
        if (after == xids.begin()) return nullptr;
        auto s = scripts.find(std::prev(after)->second);
        return s == scripts.end() ? nullptr : s->second;
    };
    for (const SchemaDifference& d : cmp.differences) {
        const VerifyScript* at = migration_of(d.kind, d.name);
        if (!at && !d.parent.empty()) at = migration_of("table", d.parent);
        std::string rule, msg;
        switch (d.change) {
            case SchemaDifference::Change::missing:
                rule = "drift-missing";
                msg = d.kind + " " + d.name + " is missing from " + cmp.right_label;
                break;
            case SchemaDifference::Change::extra:
                rule = "drift-extra";
                msg = d.kind + " " + d.name + " exists in " + cmp.right_label + " but not in " +
                      cmp.left_label;
                break;
            case SchemaDifference::Change::different:
                rule = "drift-different";
                msg = describe_difference(d, "", "") + " (" + cmp.left_label + " -> " +
                      cmp.right_label + ")";
                break;
        }
        if (at)
            sink.add(*at, rule, msg);
        else
            sink.add_unplaced(cmp.right_label, rule, msg);
    }
    cmp.left = std::move(expected.objects);
    cmp.right = std::move(live.snapshot.objects);
    observations->comparisons.push_back(std::move(cmp));
    RunResult run;
    run.files = sink.reports();
    run.observations = std::move(observations);
    run.summarize();
    return run;
}

}  // namespace pgw
