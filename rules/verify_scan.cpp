// verify-scan: the statement scanned an existing table under a lock that blocks writes (verify).
// Reported by `pgwarden verify` (SPEC §9) from what a real PostgreSQL did; its metadata lives here
// like every rule's, so `rules`, `explain`, docs/rules.md and SARIF know it. In `check` it never
// fires.
#include "engine/rule.h"

namespace pgw {
namespace {

class VerifyScan final : public Rule {
  public:
    StatementFilter statements() const override { return StatementFilter::none(); }
    const RuleInfo& info() const override {
        static const RuleInfo i{
            "verify-scan",
            Category::locking,
            Severity::info,
            Risk::medium,
            "the statement scanned an existing table under a lock that blocks writes "
            "(verify)",
            "a full scan under SHARE or a stronger lock blocks every write for as long as "
            "it takes: add CHECK and FOREIGN KEY constraints NOT VALID and VALIDATE them in "
            "a later migration (VALIDATE takes SHARE UPDATE EXCLUSIVE), build indexes "
            "CONCURRENTLY, and for SET NOT NULL validate a CHECK (col IS NOT NULL) first",
            "ALTER TABLE orders ADD CONSTRAINT orders_total_positive CHECK (total >= 0);",
            "ALTER TABLE orders ADD CONSTRAINT orders_total_positive CHECK (total >= 0) NOT "
            "VALID;\n-- later: ALTER TABLE orders VALIDATE CONSTRAINT "
            "orders_total_positive;"};
        return i;
    }
    bool dynamic() const override { return true; }
};

PGW_REGISTER_RULE(VerifyScan);

}  // namespace
}  // namespace pgw
