// verify-static-mismatch: a lock, rewrite or scan PostgreSQL performed that
// pgwarden's static analysis did not predict for the statement, or a
// prediction the run contradicts (verify). Reported by `pgwarden verify` (SPEC
// §9), which replays the set's schema model beside the real database and
// compares schema/effects.h's prediction with what pg_locks, relfilenode and
// pg_stat_xact_user_tables showed. In `check` it never fires.
#include "engine/rule.h"

namespace pgw {
namespace {

class VerifyStaticMismatch final : public Rule {
  public:
    StatementFilter statements() const override { return StatementFilter::none(); }
    const RuleInfo& info() const override {
        static const RuleInfo i{
            "verify-static-mismatch",
            Category::policy,
            Severity::warning,
            Risk::none,
            "PostgreSQL locked, rewrote or scanned differently from what the static analysis "
            "predicted (verify)",
            "the static rules judged this statement on a wrong premise: trust what PostgreSQL "
            "did (the verify-locks, verify-rewrite and verify-scan findings beside it), and "
            "report the statement to pgwarden's maintainers so the prediction can be fixed",
            "-- a statement whose locks the static analysis gets wrong",
            "-- statements whose locks, rewrites and scans match the prediction"};
        return i;
    }
    bool dynamic() const override { return true; }
};

PGW_REGISTER_RULE(VerifyStaticMismatch);

}  // namespace
}  // namespace pgw
