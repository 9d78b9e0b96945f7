// verify-rewrite: the statement rewrote an existing table or index: its relfilenode changed
// (verify). Reported by `pgwarden verify` (SPEC §9) from what a real PostgreSQL did; its metadata
// lives here like every rule's, so `rules`, `explain`, docs/rules.md and SARIF know it. In `check`
// it never fires.
#include "engine/rule.h"

namespace pgw {
namespace {

class VerifyRewrite final : public Rule {
  public:
    StatementFilter statements() const override { return StatementFilter::none(); }
    const RuleInfo& info() const override {
        static const RuleInfo i{
            "verify-rewrite",
            Category::locking,
            Severity::warning,
            Risk::high,
            "the statement rewrote an existing table or index: its relfilenode changed "
            "(verify)",
            "a rewrite copies the whole table under ACCESS EXCLUSIVE: no reads or writes "
            "until it ends. Use a change PostgreSQL makes in place (a non-volatile default, "
            "a binary-coercible type change), or add a new column, backfill it in batches "
            "and swap",
            "ALTER TABLE orders ALTER COLUMN id TYPE bigint;",
            "ALTER TABLE orders ADD COLUMN id_new bigint;\n-- backfill in batches, then "
            "swap in a later migration"};
        return i;
    }
    bool dynamic() const override { return true; }
};

PGW_REGISTER_RULE(VerifyRewrite);

}  // namespace
}  // namespace pgw
