// verify-rollback-incomplete: after the up migration and then its down migration, the catalog
// differs from before (verify). Reported by `pgwarden verify` (SPEC §9) from what a real PostgreSQL
// did; its metadata lives here like every rule's, so `rules`, `explain`, docs/rules.md and SARIF
// know it. In `check` it never fires.
#include "engine/rule.h"

namespace pgw {
namespace {

class VerifyRollbackIncomplete final : public Rule {
  public:
    StatementFilter statements() const override { return StatementFilter::none(); }
    const RuleInfo& info() const override {
        static const RuleInfo i{
            "verify-rollback-incomplete",
            Category::policy,
            Severity::warning,
            Risk::none,
            "after the up migration and then its down migration, the catalog differs from "
            "before (verify)",
            "make the down migration undo everything the up migration did, in reverse "
            "order: drop what it created, re-create what it dropped, restore changed "
            "defaults, types and constraints. The finding names each difference",
            "-- up: ALTER TABLE users ADD COLUMN nickname text;\n--     CREATE INDEX "
            "users_nickname ON users (nickname);\n-- down:\nDROP INDEX users_nickname;",
            "-- down:\nDROP INDEX users_nickname;\nALTER TABLE users DROP COLUMN nickname;"};
        return i;
    }
    bool dynamic() const override { return true; }
};

PGW_REGISTER_RULE(VerifyRollbackIncomplete);

}  // namespace
}  // namespace pgw
