// drift-extra: the live database holds an object no migration creates (verify --drift). Reported by
// `pgwarden verify` (SPEC §9) from what a real PostgreSQL did; its metadata lives here like every
// rule's, so `rules`, `explain`, docs/rules.md and SARIF know it. In `check` it never fires.
#include "engine/rule.h"

namespace pgw {
namespace {

class DriftExtra final : public Rule {
  public:
    StatementFilter statements() const override { return StatementFilter::none(); }
    const RuleInfo& info() const override {
        static const RuleInfo i{
            "drift-extra",
            Category::policy,
            Severity::warning,
            Risk::none,
            "the live database holds an object no migration creates (verify --drift)",
            "an object created by hand is unknown to every other environment: write the "
            "migration that creates it, or drop it if it is a leftover",
            "-- live database: ALTER TABLE users ADD COLUMN tmp_flag boolean; (run by hand)",
            "-- a migration adds the column, so every environment has it"};
        return i;
    }
    bool dynamic() const override { return true; }
};

PGW_REGISTER_RULE(DriftExtra);

}  // namespace
}  // namespace pgw
