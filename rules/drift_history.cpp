// drift-history: the migration tool's history table disagrees with the files: applied there but
// missing here, not applied yet, or changed since it was applied (verify --drift). Reported by
// `pgwarden verify` (SPEC §9) from what a real PostgreSQL did; its metadata lives here like every
// rule's, so `rules`, `explain`, docs/rules.md and SARIF know it. In `check` it never fires.
#include "engine/rule.h"

namespace pgw {
namespace {

class DriftHistory final : public Rule {
  public:
    StatementFilter statements() const override { return StatementFilter::none(); }
    const RuleInfo& info() const override {
        static const RuleInfo i{
            "drift-history",
            Category::policy,
            Severity::error,
            Risk::none,
            "the migration tool's history table disagrees with the files: applied there but "
            "missing here, not applied yet, or changed since it was applied (verify "
            "--drift)",
            "never edit or delete a migration that was applied somewhere: add a new one. A "
            "migration that is not applied yet is deployed by running the tool; one applied "
            "but missing here comes from another branch",
            "-- flyway_schema_history: V3 applied with checksum 1234; V3__add_users.sql "
            "edited since",
            "-- the history table and the files agree"};
        return i;
    }
    bool dynamic() const override { return true; }
};

PGW_REGISTER_RULE(DriftHistory);

}  // namespace
}  // namespace pgw
