// drift-different: an object differs between the migrations' schema and the live database (verify
// --drift). Reported by `pgwarden verify` (SPEC §9) from what a real PostgreSQL did; its metadata
// lives here like every rule's, so `rules`, `explain`, docs/rules.md and SARIF know it. In `check`
// it never fires.
#include "engine/rule.h"

namespace pgw {
namespace {

class DriftDifferent final : public Rule {
  public:
    StatementFilter statements() const override { return StatementFilter::none(); }
    const RuleInfo& info() const override {
        static const RuleInfo i{
            "drift-different",
            Category::policy,
            Severity::error,
            Risk::none,
            "an object differs between the migrations' schema and the live database (verify "
            "--drift)",
            "the live object was changed by hand (a default, a type, a constraint, a view's "
            "query): move the change into a migration, or restore the definition the "
            "migrations create. The finding names each difference",
            "-- migrations: status text NOT NULL DEFAULT 'new'\n-- live database: ALTER "
            "TABLE orders ALTER COLUMN status SET DEFAULT 'open';",
            "-- a migration changes the default, so every environment agrees"};
        return i;
    }
    bool dynamic() const override { return true; }
};

PGW_REGISTER_RULE(DriftDifferent);

}  // namespace
}  // namespace pgw
