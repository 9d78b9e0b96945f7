#include "verify/apply.h"

#include <algorithm>
#include <chrono>
#include <optional>
#include <set>

namespace pgw {

namespace {

using Clock = std::chrono::steady_clock;

double since(Clock::time_point t) {
    return std::chrono::duration<double>(Clock::now() - t).count();
}

std::string short_sql(const std::string& sql) {
    std::string out;
    bool space = false;
    for (char c : sql) {
        bool ws = c == ' ' || c == '\n' || c == '\t' || c == '\r';
        if (ws) {
            space = !out.empty();
            continue;
        }
        if (space) out += ' ';
        space = false;
        out += c;
        if (out.size() > 300) return out + " ...";
    }
    return out;
}

// What one transaction has shown so far: the modes it holds and the scans it
// made, per relation, so each statement gets only what it added.
struct TransactionState {
    std::map<long long, std::set<std::string>> held;
    std::map<long long, long long> scans;
    // The baseline is taken before the first statement that is not SET
    // TRANSACTION, which must come before any query of its transaction.
    bool based = false;
    // Relations dropped earlier in this transaction: their locks stay until it
    // ends, but only the statement that dropped them (and re-created one under
    // the name, as ALTER COLUMN TYPE rebuilds an index) reports on them. A
    // later CREATE under that name makes a new relation, not a rewrite.
    std::set<long long> gone;
};

// One round trip after each traced statement, inside its transaction: the
// backend's own relation locks, each relation's sequential scans so far in
// this transaction and its current relfilenode.
// https://www.postgresql.org/docs/15/view-pg-locks.html
// https://www.postgresql.org/docs/15/monitoring-stats.html (pg_stat_xact_user_tables)
constexpr const char* kObserve =
    "SELECT l.relation::bigint, l.mode, pg_stat_get_xact_numscans(l.relation), "
    "c.relfilenode::bigint FROM pg_locks l LEFT JOIN pg_class c ON c.oid = l.relation "
    "WHERE l.pid = pg_backend_pid() AND l.locktype = 'relation' AND l.granted "
    "AND l.relation >= 16384";

bool rewritable(const std::string& kind) {
    return kind == "table" || kind == "index" || kind == "materialized view";
}

void observe(pq::Connection& c, const pq::Result& r, ExistingRelations& existing,
             TransactionState& tx, StatementTrace& trace) {
    std::map<long long, std::set<std::string>> held;
    std::map<long long, long long> scans, filenodes;
    std::vector<long long> vanished;
    std::set<long long> just_gone;  // vanished in this statement (one row per lock mode)
    for (int i = 0; i < r.rows(); ++i) {
        long long oid = r.integer(i, 0);
        existing.touched.insert(oid);
        if (!existing.by_oid.count(oid)) continue;  // created by this migration
        if (tx.gone.count(oid) && !just_gone.count(oid)) continue;
        held[oid].insert(r.str(i, 1));
        scans[oid] = r.integer(i, 2);
        if (r.is_null(i, 3)) {
            if (just_gone.insert(oid).second) vanished.push_back(oid);
            tx.gone.insert(oid);
        } else
            filenodes[oid] = r.integer(i, 3);
    }
    std::map<long long, RelationTrace> out;
    auto entry = [&](long long oid) -> RelationTrace& {
        RelationTrace& t = out[oid];
        t.name = existing.by_oid[oid].name;
        t.kind = existing.by_oid[oid].kind;
        return t;
    };
    for (auto& [oid, modes] : held) {
        const auto& before = tx.held[oid];
        std::vector<std::string> added;
        for (const auto& m : modes)
            if (!before.count(m)) added.push_back(m);
        long long scan_delta = scans[oid] - tx.scans[oid];
        auto& rel = existing.by_oid[oid];
        bool rewritten = filenodes.count(oid) && rewritable(rel.kind) &&
                         filenodes[oid] != rel.filenode && rel.filenode != 0;
        if (filenodes.count(oid)) rel.filenode = filenodes[oid];
        if (added.empty() && scan_delta <= 0 && !rewritten) continue;
        RelationTrace& t = entry(oid);
        t.locks = added;
        t.held.assign(modes.begin(), modes.end());
        t.rewritten = rewritten;
        t.seq_scans = rel.kind == "table" ? std::max(0LL, scan_delta) : 0;
    }
    // A relation dropped and created again under its name (an index rebuilt by
    // ALTER COLUMN TYPE, DROP + CREATE INDEX) was rewritten: match by name.
    if (!vanished.empty()) {
        std::string names = "{";
        for (std::size_t i = 0; i < vanished.size(); ++i) {
            std::string n = existing.by_oid[vanished[i]].name;
            std::string quoted = "\"";
            for (char ch : n)
                quoted += ch == '"' || ch == '\\' ? std::string("\\") + ch : std::string(1, ch);
            names += (i ? "," : "") + quoted + "\"";
        }
        names += "}";
        pq::Result again = c.exec(
            "SELECT x, to_regclass(x)::oid::bigint, (SELECT relfilenode::bigint FROM pg_class "
            "WHERE "
            "oid = to_regclass(x)) FROM unnest($1::text[]) x",
            {names});
        for (int i = 0; i < again.rows(); ++i) {
            if (again.is_null(i, 1)) continue;
            long long old_oid = existing.by_name[again.str(i, 0)];
            auto rel = existing.by_oid[old_oid];
            if (!rewritable(rel.kind)) continue;
            entry(old_oid).rewritten = true;
            long long now = again.integer(i, 1);
            rel.filenode = again.integer(i, 2);
            existing.by_oid[now] = rel;  // later statements see the new one as existing
            existing.by_name[rel.name] = now;
            existing.touched.insert(now);
        }
    }
    for (const auto& [oid, modes] : tx.held) {
        auto rel = existing.by_oid.find(oid);
        if (rel == existing.by_oid.end() || modes.empty()) continue;
        std::string strongest = *std::max_element(
            modes.begin(), modes.end(),
            [](const std::string& a, const std::string& b) { return lock_rank(a) < lock_rank(b); });
        trace.held_before[rel->second.name] = strongest;
    }
    tx.held = std::move(held);
    tx.scans = std::move(scans);
    for (auto& [oid, t] : out) {
        std::sort(t.locks.begin(), t.locks.end(), [](const std::string& a, const std::string& b) {
            return lock_rank(a) > lock_rank(b);
        });
        std::sort(t.held.begin(), t.held.end(), [](const std::string& a, const std::string& b) {
            return lock_rank(a) > lock_rank(b);
        });
        trace.relations.push_back(std::move(t));
    }
    std::sort(trace.relations.begin(), trace.relations.end(),
              [](const RelationTrace& a, const RelationTrace& b) { return a.name < b.name; });
}

// At the start of a transaction: the scan counts it starts from. A backend
// folds the counts of its earlier transactions into pg_stat_xact_* until it
// flushes them (when idle, at most once a second in PostgreSQL 15), so the
// first statement's scans are the difference from here.
// https://github.com/postgres/postgres/blob/REL_15_STABLE/src/backend/utils/activity/pgstat_relation.c
void baseline(const pq::Result& r, const ExistingRelations& existing, TransactionState& tx) {
    tx = {};
    tx.based = true;
    for (int i = 0; i < r.rows(); ++i) {
        long long oid = r.integer(i, 0);
        if (existing.by_oid.count(oid)) tx.scans[oid] = r.integer(i, 2);
    }
}

// The counts of every existing table, whether or not this transaction has
// locked it yet.
constexpr const char* kBaseline =
    "SELECT c.oid::bigint, '', pg_stat_get_xact_numscans(c.oid) FROM pg_class c WHERE c.oid >= "
    "16384 AND c.relkind IN ('r', 'm') AND pg_stat_get_xact_numscans(c.oid) > 0";

bool ended_transaction(pq::TxStatus s) {
    return s == pq::TxStatus::idle;
}

}  // namespace

int lock_rank(const std::string& mode) {
    // The eight table lock modes, weakest to strongest.
    // https://www.postgresql.org/docs/15/explicit-locking.html#TABLE-LOCK-COMPATIBILITY
    static const std::vector<std::string> order = {
        "AccessShareLock", "RowShareLock",          "RowExclusiveLock", "ShareUpdateExclusiveLock",
        "ShareLock",       "ShareRowExclusiveLock", "ExclusiveLock",    "AccessExclusiveLock"};
    auto it = std::find(order.begin(), order.end(), mode);
    return it == order.end() ? -1 : static_cast<int>(it - order.begin());
}

bool trial_in_transaction(const VerifyScript& script) {
    for (const auto& s : script.statements)
        if (s.transaction_control || s.non_transactional) return false;
    return true;
}

ApplyOutcome apply_script(pq::Connection& c, const VerifyScript& script,
                          const ApplyOptions& options) {
    ApplyOutcome out;
    auto begin = Clock::now();
    ExistingRelations local;
    ExistingRelations& existing = options.existing ? *options.existing : local;
    // PostgreSQL 15 can be told to flush a backend's scan counts when its
    // transaction ends (pg_stat_force_next_flush): each transaction then counts
    // from zero. Older servers need a baseline read at its start.
    // https://www.postgresql.org/docs/15/monitoring-stats.html#MONITORING-STATS-FUNCTIONS
    bool flush = options.trace && c.server_version() >= 150000;
    // The observation is planned once per connection (PREPARE); DISCARD and
    // DEALLOCATE in a migration drop it, so it is prepared again after them.
    const std::string observe_sql =
        std::string(flush ? "SELECT pg_stat_force_next_flush(); " : "") + "EXECUTE pgw_observe";
    auto prepare = [&] {
        if (existing.prepared) return;
        c.exec(std::string("PREPARE pgw_observe AS ") + kObserve);
        existing.prepared = true;
    };
    auto fresh = [&](TransactionState& t) {
        t = {};
        t.based = flush;
    };
    if (options.trace) {
        if (flush) c.exec("SELECT pg_stat_force_next_flush()");
        existing.refresh(c);
    }
    bool trial_txn = options.trial && trial_in_transaction(script);
    TransactionState tx;
    constexpr std::size_t npos = static_cast<std::size_t>(-1);
    std::size_t unit = npos;  // the unit being run
    bool unit_open = false;   // its transaction is the tool's, opened here
    try {
        if (trial_txn) c.exec("BEGIN"), fresh(tx);
        for (std::size_t i = 0; i < script.statements.size(); ++i) {
            const VerifyStatement& s = script.statements[i];
            if (!trial_txn && s.unit != unit) {
                // The tool commits one unit (goose's section, a changeset) before
                // the next; a deferred constraint failing then is that unit's.
                if (unit_open && c.transaction_status() != pq::TxStatus::idle) {
                    try {
                        c.exec("COMMIT");
                    } catch (const pq::PgError& e) {
                        out.ok = false;
                        out.failed = i ? i - 1 : 0;
                        out.error = e;
                        break;
                    }
                }
                unit = s.unit;
                unit_open = unit < script.unit_transaction.size() &&
                            script.unit_transaction[unit] &&
                            c.transaction_status() == pq::TxStatus::idle;
                if (unit_open) c.exec("BEGIN"), fresh(tx);
            }
            pq::TxStatus status = c.transaction_status();
            bool own = options.trace && status == pq::TxStatus::idle && !s.transaction_control &&
                       !s.sets_transaction;
            bool concurrent = own && s.non_transactional;
            StatementTrace trace;
            trace.span = s.span;
            trace.start = s.start;
            trace.end = s.end;
            trace.kind = s.kind;
            trace.sql = short_sql(s.sql);
            auto watched = [&] {
                StatementTrace w = watch_concurrent(c, options.conninfo, s, existing);
                w.span = trace.span, w.start = trace.start, w.end = trace.end;
                w.kind = trace.kind, w.sql = trace.sql;
                return w;
            };
            auto t0 = Clock::now();
            std::optional<pq::Result> observed;
            try {
                if (concurrent) {
                    trace = watched();
                    // Its scans are not this session's next statement's.
                    if (flush) c.exec("SELECT pg_stat_force_next_flush()");
                } else {
                    if (own && flush)
                        c.exec("BEGIN"), fresh(tx);
                    else if (own)
                        baseline(c.exec(std::string("BEGIN; ") + kBaseline), existing, tx);
                    else if (options.trace && status == pq::TxStatus::in_transaction && !tx.based &&
                             !s.sets_transaction && !s.transaction_control)
                        baseline(c.exec(kBaseline), existing, tx);
                    try {
                        c.exec_with_copy(s.sql, s.copy_data);
                    } catch (const pq::PgError& e) {
                        // Not allowed in a transaction block after all (25001):
                        // run it on its own like the tool would, watched.
                        if (!own || e.sqlstate != "25001") throw;
                        c.exec("ROLLBACK");
                        own = false;
                        t0 = Clock::now();
                        trace = watched();
                        concurrent = true;
                        if (flush) c.exec("SELECT pg_stat_force_next_flush()");
                    }
                    trace.seconds = since(t0);
                    if (s.kind == "DiscardStmt" || s.kind == "DeallocateStmt")
                        existing.prepared = false;
                    // Its locks before they are released; with our own BEGIN the
                    // COMMIT goes in the same round trip (a deferred constraint
                    // failing there is this statement's failure).
                    if (options.trace && !concurrent && !s.transaction_control &&
                        c.transaction_status() == pq::TxStatus::in_transaction && tx.based) {
                        prepare();
                        if (own)
                            observed = std::move(c.exec_all(observe_sql + "; COMMIT").end()[-2]);
                        else
                            observed = c.exec(observe_sql);
                    } else if (own) {
                        c.exec("COMMIT");
                    }
                }
            } catch (const pq::PgError& e) {
                out.ok = false;
                out.failed = i;
                out.error = e;
                trace.error = e.what();
                trace.sqlstate = e.sqlstate;
                trace.seconds = since(t0);
                if (options.trace) out.traces.push_back(std::move(trace));
                break;
            }
            if (concurrent) trace.seconds = trace.seconds ? trace.seconds : since(t0);
            if (options.trace && !concurrent) {
                trace.in_transaction = !own;
                if (observed) observe(c, *observed, existing, tx, trace);
                pq::TxStatus after = c.transaction_status();
                // The file's own BEGIN: counts start before its first statement.
                if (s.transaction_control && status == pq::TxStatus::idle &&
                    after == pq::TxStatus::in_transaction)
                    fresh(tx);
                if (ended_transaction(after)) tx = {};
            }
            if (trial_txn && options.track_writes &&
                out.first_write == static_cast<std::size_t>(-1) &&
                !c.exec("SELECT txid_current_if_assigned() IS NULL").get(0, 0).starts_with("t"))
                out.first_write = i;
            if (options.trace) out.traces.push_back(std::move(trace));
        }
        if (!out.ok) {
            if (c.transaction_status() != pq::TxStatus::idle) c.exec("ROLLBACK");
        } else if (trial_txn) {
            out.trial_open = true;
        } else if (unit_open && c.transaction_status() != pq::TxStatus::idle) {
            try {
                c.exec("COMMIT");
            } catch (const pq::PgError& e) {
                out.ok = false;
                out.failed = script.statements.empty() ? npos : script.statements.size() - 1;
                out.error = e;
            }
        }
    } catch (const pq::PgError& e) {
        // pgwarden's own queries failed (the connection broke, ...).
        out.ok = false;
        out.error = e;
        if (c.transaction_status() != pq::TxStatus::idle) {
            try {
                c.exec("ROLLBACK");
            } catch (const pq::PgError&) {
            }
        }
    }
    // What changed untraced is not known statement by statement: read it all
    // next time. A renamed schema renames relations without locking them.
    if (options.existing && !options.trace && !trial_txn) options.existing->stale = true;
    for (const auto& st : script.statements)
        if (options.existing && st.kind == "RenameStmt") options.existing->stale = true;
    out.seconds = since(begin);
    return out;
}

}  // namespace pgw
