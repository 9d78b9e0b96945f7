// One migration set through every check, on one connection: base migrations
// untraced, the seed, then each new migration traced (locks, rewrites,
// scans), applied a second time (idempotency) and rolled back through its
// down migration (rollback), in order. A set stops at its first failure, as
// its tool would.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "engine/observations.h"
#include "verify/apply.h"
#include "verify/findings.h"
#include "verify/plan.h"
#include "verify/snapshot.h"
#include "verify/static_mismatch.h"

namespace pgw {

struct SetCheck {
    SetCheck(const VerifySet& set, FindingSink& sink, pq::Connection& c, std::string conninfo,
             const VerifyScript* seed, bool record_xids = false)
        : set(set),
          sink(sink),
          c(c),
          conninfo(std::move(conninfo)),
          seed(seed),
          record_xids(record_xids) {}

    const VerifySet& set;
    FindingSink& sink;
    pq::Connection& c;
    std::string conninfo;
    const VerifyScript* seed = nullptr;
    // Record, per file, the transaction ids its application used (drift
    // attributes each object to the migration that last wrote it).
    bool record_xids = false;
    int pg_version = 15;  // the target of the static predictions

    std::vector<MigrationTrace> traces;
    std::vector<ModelCheck> model_checks;  // filled by run() when the set applied to its end
    std::vector<std::pair<long long, std::string>> xid_starts;  // first xid -> path

    // Applies and checks the set. Throws pq::PgError only when pgwarden's
    // own queries fail (a broken connection); the migrations' errors are findings.
    void run();
    // Only applies it, untraced, for drift: true when everything applied.
    bool apply_only();

  private:
    bool broken_ = false;
    ExistingRelations existing_;            // this connection's relations, between migrations
    std::unique_ptr<StaticReplay> static_;  // the set replay the predictions come from
    StaticReplay& replay();
    void compare_static(const VerifyScript& script, const std::vector<StatementTrace>& traces,
                        const std::map<std::size_t, schema::Effects>& predicted);
    void apply_seed();
    void check_model();
    void failure(const VerifyScript& script, const ApplyOutcome& outcome, const std::string& rule,
                 const std::string& prefix);
    void trace_findings(const VerifyScript& script, const std::vector<StatementTrace>& traces);
    void check_idempotent(const VerifyMigration& m);
    void check_rollback(const VerifyMigration& m, const Snapshot& before);
    void mark_xid(const std::string& path);
};

// "a; b; and 3 more": differences listed in a finding, at most `limit`.
std::string list_differences(const std::vector<SchemaDifference>& diffs, const std::string& missing,
                             const std::string& extra, std::size_t limit = 8);

}  // namespace pgw
