// verify-locks: the locks the statement took on existing relations, by mode (verify). Reported by
// `pgwarden verify` (SPEC §9) from what a real PostgreSQL did; its metadata lives here like every
// rule's, so `rules`, `explain`, docs/rules.md and SARIF know it. In `check` it never fires.
#include "engine/rule.h"

namespace pgw {
namespace {

class VerifyLocks final : public Rule {
  public:
    StatementFilter statements() const override { return StatementFilter::none(); }
    const RuleInfo& info() const override {
        static const RuleInfo i{
            "verify-locks",
            Category::locking,
            Severity::info,
            Risk::low,
            "the locks the statement took on existing relations, by mode (verify)",
            "read the modes against what the table serves: ACCESS EXCLUSIVE blocks reads, "
            "SHARE and stronger block writes. Set lock_timeout before such statements so a "
            "queued lock cannot stall the application, and prefer the CONCURRENTLY and NOT "
            "VALID forms",
            "CREATE INDEX orders_customer ON orders (customer_id);",
            "CREATE INDEX CONCURRENTLY orders_customer ON orders (customer_id);"};
        return i;
    }
    bool dynamic() const override { return true; }
};

PGW_REGISTER_RULE(VerifyLocks);

}  // namespace
}  // namespace pgw
