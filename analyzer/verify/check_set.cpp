#include "verify/check_set.h"

#include <algorithm>
#include <set>

#include "verify/model_check.h"

namespace pgw {

namespace {

constexpr std::size_t npos = static_cast<std::size_t>(-1);

// Modes that conflict with ROW EXCLUSIVE, the lock INSERT, UPDATE and DELETE take.
// https://www.postgresql.org/docs/15/explicit-locking.html#TABLE-LOCK-COMPATIBILITY
bool blocks_writes(const std::string& mode) {
    return lock_rank(mode) >= lock_rank("ShareLock");
}

std::string join(const std::vector<std::string>& items, const std::string& sep = ", ") {
    std::string out;
    for (const auto& i : items) out += (out.empty() ? "" : sep) + i;
    return out;
}

std::string modes_sql(const std::vector<std::string>& modes) {
    std::vector<std::string> out;
    for (const auto& m : modes) out.push_back(lock_mode_sql(m));
    return join(out);
}

// The file offset of a 1-based character position inside a statement.
std::size_t offset_in(const VerifyStatement& s, int position) {
    std::size_t chars = 0;
    for (std::size_t i = 0; i < s.sql.size(); ++i)
        if ((static_cast<unsigned char>(s.sql[i]) & 0xC0) != 0x80 &&
            ++chars == static_cast<std::size_t>(position))
            return s.span.begin + i;
    return s.span.begin;
}

}  // namespace

std::string list_differences(const std::vector<SchemaDifference>& diffs, const std::string& missing,
                             const std::string& extra, std::size_t limit) {
    std::string out;
    for (std::size_t i = 0; i < diffs.size() && i < limit; ++i)
        out += (i ? "; " : "") + describe_difference(diffs[i], missing, extra);
    if (diffs.size() > limit) out += "; and " + std::to_string(diffs.size() - limit) + " more";
    return out;
}

void SetCheck::failure(const VerifyScript& script, const ApplyOutcome& outcome,
                       const std::string& rule, const std::string& prefix) {
    std::string msg = prefix + outcome.error.what();
    if (!outcome.error.sqlstate.empty()) msg += " (SQLSTATE " + outcome.error.sqlstate + ")";
    if (!outcome.error.detail.empty()) msg += ": " + outcome.error.detail;
    if (outcome.failed == npos || outcome.failed >= script.statements.size()) {
        sink.add(script, rule, msg);
        return;
    }
    const VerifyStatement& s = script.statements[outcome.failed];
    Span span = s.span;
    if (outcome.error.position > 0 && script.source) {
        Position at = script.source->source.position_at(offset_in(s, outcome.error.position));
        msg += " (at " + std::to_string(at.line) + ":" + std::to_string(at.column) + ")";
    }
    sink.add(script, rule, msg, &span);
}

void SetCheck::trace_findings(const VerifyScript& script,
                              const std::vector<StatementTrace>& traces) {
    for (const StatementTrace& t : traces) {
        std::vector<std::string> rewritten, scanned, locks;
        for (const RelationTrace& r : t.relations) {
            if (r.rewritten) rewritten.push_back(r.kind + " " + r.name);
            if (r.seq_scans > 0) {
                std::vector<std::string> blocking;
                for (const auto& m : r.held)
                    if (blocks_writes(m)) blocking.push_back(m);
                if (!blocking.empty())
                    scanned.push_back(r.name + " under " + lock_mode_sql(blocking.front()));
            }
            if (!r.locks.empty()) locks.push_back(modes_sql(r.locks) + " on " + r.name);
        }
        Span span = t.span;
        if (!rewritten.empty())
            sink.add(
                script, "verify-rewrite",
                "rewrote " + join(rewritten) + " (new relfilenode): the whole relation was copied",
                &span);
        if (!scanned.empty())
            sink.add(script, "verify-scan",
                     "scanned " + join(scanned) + ", which blocks writes while it reads every row",
                     &span);
        if (!locks.empty())
            sink.add(script, "verify-locks",
                     "took " + join(locks, "; ") +
                         (t.concurrent ? " (watched from a second session)" : ""),
                     &span);
    }
}

void SetCheck::check_idempotent(const VerifyMigration& m) {
    bool in_txn = trial_in_transaction(m.up);
    Snapshot first;
    if (!in_txn) first = read_snapshot(c);
    ApplyOutcome again = apply_script(
        c, m.up,
        ApplyOptions{
            .existing = &existing_, .conninfo = conninfo, .trial = true, .track_writes = true});
    if (!again.ok) {
        failure(m.up, again, "verify-not-idempotent", "applying it a second time fails: ");
        return;
    }
    std::vector<SchemaDifference> diffs;
    std::size_t at = npos;
    if (again.trial_open) {
        if (again.first_write != npos) {
            Snapshot second = read_snapshot(c);
            c.exec("ROLLBACK");
            first = read_snapshot(c);
            diffs = compare_snapshots(first.objects, second.objects);
            at = again.first_write;
        } else {
            c.exec("ROLLBACK");
        }
    } else {
        diffs = compare_snapshots(first.objects, read_snapshot(c).objects);
    }
    if (diffs.empty()) return;
    Span span = at < m.up.statements.size() ? m.up.statements[at].span : Span{};
    sink.add(m.up, "verify-not-idempotent",
             "applying it a second time changes the catalog: " +
                 list_differences(diffs, "dropped by the second run", "created by the second run"),
             at < m.up.statements.size() ? &span : nullptr);
}

void SetCheck::check_rollback(const VerifyMigration& m, const Snapshot& before) {
    sink.touch(m.down);
    // A down migration that can run in one transaction is tried in one that
    // is rolled back: the up migration's schema stays for the next ones.
    // Otherwise it runs for real and the up migration is applied again.
    bool trial = trial_in_transaction(m.down);
    ApplyOutcome down = apply_script(
        c, m.down, ApplyOptions{.existing = &existing_, .conninfo = conninfo, .trial = trial});
    if (!down.ok) {
        failure(m.down, down, "verify-apply-failed", "the down migration fails: ");
        // Rolled back, or failed before changing anything: the schema is the
        // up migration's, and the set goes on. Otherwise nothing is known.
        if (!trial && !m.down.in_transaction && down.failed > 0) broken_ = true;
        return;
    }
    Snapshot after = read_snapshot(c);
    if (down.trial_open) c.exec("ROLLBACK");
    std::vector<SchemaDifference> diffs = compare_snapshots(before.objects, after.objects);
    if (!diffs.empty())
        sink.add(m.down, "verify-rollback-incomplete",
                 "after " + m.up.path +
                     " and then this down migration the catalog differs from before: " +
                     list_differences(diffs, "is missing", "is left behind"));
    if (down.trial_open) return;
    ApplyOutcome up = apply_script(c, m.up, ApplyOptions{.existing = &existing_});
    if (!up.ok) {
        std::string where;
        if (up.failed < m.up.statements.size())
            where = " at line " + std::to_string(m.up.statements[up.failed].start.line);
        sink.add(m.down, "verify-rollback-incomplete",
                 "re-applying " + m.up.path + " after this down migration fails" + where + ": " +
                     up.error.what() +
                     (up.error.sqlstate.empty() ? "" : " (SQLSTATE " + up.error.sqlstate + ")"));
        broken_ = true;
    }
}

StaticReplay& SetCheck::replay() {
    if (!static_) static_ = std::make_unique<StaticReplay>(pg_version);
    return *static_;
}

void SetCheck::compare_static(const VerifyScript& script, const std::vector<StatementTrace>& traces,
                              const std::map<std::size_t, schema::Effects>& predicted) {
    for (const Mismatch& m : static_mismatches(traces, predicted, replay().existed())) {
        Span span = m.span;
        sink.add(script, "verify-static-mismatch", m.message, &span);
    }
}

void SetCheck::apply_seed() {
    if (!seed) return;
    replay().replay(*seed);  // the seed's tables are part of the schema the rest meets
    sink.touch(*seed);
    ApplyOutcome out = apply_script(c, *seed, ApplyOptions{.existing = &existing_});
    MigrationTrace t{
        seed->path,  set.name, false, seed->in_transaction, out.ok ? "applied (seed)" : "failed",
        out.seconds, {}};
    traces.push_back(std::move(t));
    if (!out.ok) {
        failure(*seed, out, "verify-apply-failed", "the seed fails: ");
        broken_ = true;
    }
    seed = nullptr;
}

void SetCheck::mark_xid(const std::string& path) {
    if (record_xids)
        xid_starts.push_back({c.exec("SELECT txid_current() % 4294967296").integer(0, 0), path});
}

void SetCheck::run() {
    for (const VerifyMigration& m : set.migrations) {
        if (!m.at_base) apply_seed();
        MigrationTrace t{m.up.path, set.name, !m.at_base, m.up.in_transaction, {}, 0, {}};
        if (!m.at_base) sink.touch(m.up);
        if (broken_) {
            t.outcome = "not run (an earlier step failed)";
            traces.push_back(std::move(t));
            continue;
        }
        if (!m.up.problem.empty()) {
            sink.add(m.up, "verify-apply-failed", "cannot be applied: " + m.up.problem);
            t.outcome = "failed";
            broken_ = true;
            traces.push_back(std::move(t));
            continue;
        }
        bool rollback = !m.at_base && !m.down.path.empty() && m.down.problem.empty() &&
                        sink.enabled("verify-rollback-incomplete");
        bool idempotent = !m.at_base && m.check_idempotent && sink.enabled("verify-not-idempotent");
        Snapshot before;
        if (rollback) before = read_snapshot(c);
        std::map<std::size_t, schema::Effects> predicted = replay().replay(m.up);
        mark_xid(m.up.path);
        ApplyOutcome up = apply_script(
            c, m.up,
            ApplyOptions{.trace = !m.at_base, .existing = &existing_, .conninfo = conninfo});
        t.statements = std::move(up.traces);
        t.seconds = up.seconds;
        if (!up.ok) {
            failure(m.up, up, "verify-apply-failed", "");
            t.outcome = "failed";
            broken_ = true;
            traces.push_back(std::move(t));
            continue;
        }
        t.outcome = "applied";
        trace_findings(m.up, t.statements);
        if (!m.at_base && sink.enabled("verify-static-mismatch"))
            compare_static(m.up, t.statements, predicted);
        traces.push_back(std::move(t));
        if (idempotent) check_idempotent(m);
        if (rollback) check_rollback(m, before);
    }
    apply_seed();  // every migration was at the base
    check_model();
}

// The model the predictions came from, against the catalog the set left:
// one finding per migration that created what disagrees (the last traced
// one for what the model lacks), so a wrong model is seen where it went wrong.
void SetCheck::check_model() {
    if (broken_ || !static_ || !sink.enabled("verify-static-mismatch")) return;
    std::set<const VerifyScript*> traced;
    const VerifyScript* last = nullptr;
    for (const VerifyMigration& m : set.migrations)
        if (!m.at_base) traced.insert(last = &m.up);
    if (!last) return;
    ModelAgreement agreement = compare_model(static_->model(), read_snapshot(c));
    ModelCheck record{set.name, agreement.compared, {}};
    for (const ModelDisagreement& d : agreement.disagreements)
        record.disagreements.emplace_back(d.kind, d.message);
    model_checks.push_back(std::move(record));
    std::map<const VerifyScript*, std::vector<std::string>> by_script;
    std::vector<const VerifyScript*> order;
    for (const ModelDisagreement& d : agreement.disagreements) {
        const VerifyScript* at = static_->script_of(d.creator);
        if (!traced.count(at)) at = last;
        if (!by_script.count(at)) order.push_back(at);
        by_script[at].push_back(d.message);
    }
    for (const VerifyScript* script : order) {
        const std::vector<std::string>& items = by_script[script];
        std::string msg =
            "after the set, pgwarden's schema model (what its rules read) differs "
            "from PostgreSQL's catalog: ";
        for (std::size_t i = 0; i < items.size() && i < 8; ++i) msg += (i ? "; " : "") + items[i];
        if (items.size() > 8) msg += "; and " + std::to_string(items.size() - 8) + " more";
        sink.add(*script, "verify-static-mismatch", msg);
    }
}

bool SetCheck::apply_only() {
    for (const VerifyMigration& m : set.migrations) {
        if (!m.up.problem.empty()) {
            sink.add(m.up, "verify-apply-failed", "cannot be applied: " + m.up.problem);
            return false;
        }
        mark_xid(m.up.path);
        ApplyOutcome up = apply_script(c, m.up, ApplyOptions{.existing = &existing_});
        traces.push_back({m.up.path,
                          set.name,
                          false,
                          m.up.in_transaction,
                          up.ok ? "applied" : "failed",
                          up.seconds,
                          {}});
        if (!up.ok) {
            failure(m.up, up, "verify-apply-failed", "");
            return false;
        }
    }
    return true;
}

}  // namespace pgw
