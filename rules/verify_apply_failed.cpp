// verify-apply-failed: a migration fails on a real PostgreSQL (verify). Reported by `pgwarden
// verify` (SPEC §9) from what a real PostgreSQL did; its metadata lives here like every rule's, so
// `rules`, `explain`, docs/rules.md and SARIF know it. In `check` it never fires.
#include "engine/rule.h"

namespace pgw {
namespace {

class VerifyApplyFailed final : public Rule {
  public:
    StatementFilter statements() const override { return StatementFilter::none(); }
    const RuleInfo& info() const override {
        static const RuleInfo i{
            "verify-apply-failed",
            Category::file,
            Severity::error,
            Risk::none,
            "a migration fails on a real PostgreSQL (verify)",
            "fix the statement PostgreSQL rejected; the finding gives the server's message "
            "and SQLSTATE at the failing statement. Run `pgwarden verify` locally: it "
            "applies the migrations in order to a private cluster",
            "-- the column is named email_address\nCREATE INDEX users_email ON users "
            "(email);",
            "CREATE INDEX users_email ON users (email_address);"};
        return i;
    }
    bool dynamic() const override { return true; }
};

PGW_REGISTER_RULE(VerifyApplyFailed);

}  // namespace
}  // namespace pgw
