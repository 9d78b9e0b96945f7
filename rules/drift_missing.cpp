// drift-missing: an object the migrations create is missing from the live database (verify
// --drift). Reported by `pgwarden verify` (SPEC §9) from what a real PostgreSQL did; its metadata
// lives here like every rule's, so `rules`, `explain`, docs/rules.md and SARIF know it. In `check`
// it never fires.
#include "engine/rule.h"

namespace pgw {
namespace {

class DriftMissing final : public Rule {
  public:
    StatementFilter statements() const override { return StatementFilter::none(); }
    const RuleInfo& info() const override {
        static const RuleInfo i{
            "drift-missing",
            Category::policy,
            Severity::error,
            Risk::none,
            "an object the migrations create is missing from the live database (verify "
            "--drift)",
            "someone dropped it by hand, or a migration was never applied there: check the "
            "tool's history table, then re-create the object with a migration (never by "
            "hand, or the next environment drifts the same way)",
            "-- migrations: CREATE INDEX users_email ON users (email);\n-- live database: "
            "DROP INDEX users_email; (run by hand)",
            "-- live database: the index exists, as the migrations create it"};
        return i;
    }
    bool dynamic() const override { return true; }
};

PGW_REGISTER_RULE(DriftMissing);

}  // namespace
}  // namespace pgw
