// verify-not-idempotent: applying the migration a second time fails or changes the catalog
// (verify). Reported by `pgwarden verify` (SPEC §9) from what a real PostgreSQL did; its metadata
// lives here like every rule's, so `rules`, `explain`, docs/rules.md and SARIF know it. In `check`
// it never fires.
#include "engine/rule.h"

namespace pgw {
namespace {

class VerifyNotIdempotent final : public Rule {
  public:
    StatementFilter statements() const override { return StatementFilter::none(); }
    const RuleInfo& info() const override {
        static const RuleInfo i{
            "verify-not-idempotent",
            Category::idempotency,
            Severity::warning,
            Risk::none,
            "applying the migration a second time fails or changes the catalog (verify)",
            "make every statement re-runnable: CREATE ... IF NOT EXISTS, CREATE OR REPLACE, "
            "DROP ... IF EXISTS, ADD COLUMN IF NOT EXISTS, or guard it in a DO block that "
            "checks the catalog first. Checked only for sets whose tool re-runs migrations, "
            "or when idempotent-ddl is on",
            "CREATE TABLE tags (id bigint PRIMARY KEY);",
            "CREATE TABLE IF NOT EXISTS tags (id bigint PRIMARY KEY);"};
        return i;
    }
    bool dynamic() const override { return true; }
};

PGW_REGISTER_RULE(VerifyNotIdempotent);

}  // namespace
}  // namespace pgw
