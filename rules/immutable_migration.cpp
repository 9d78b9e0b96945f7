// immutable-migration: a merged migration was edited. Databases that already ran
// it never see the edit, so environments drift apart silently.
#include "engine/rule.h"
#include "sets/migration_set.h"

namespace pgw {
namespace {

class ImmutableMigration final : public Rule {
  public:
    const RuleInfo& info() const override {
        static const RuleInfo i{
            "immutable-migration",
            Category::naming,
            Severity::error,
            Risk::high,
            "a migration that exists at the diff base and was edited, or whose checksum differs "
            "from pgwarden.sum",
            "never edit a migration that was merged or applied: revert the edit and write a new "
            "migration that makes the change. If the edit is intended (a comment, a fix for a "
            "migration no database has run), run `pgwarden sum` to record the new checksum.",
            "-- 003_add_tags.sql, merged last week, edited in this branch",
            "-- 003_add_tags.sql unchanged; 007_fix_tags.sql added"};
        return i;
    }

    StatementFilter statements() const override { return StatementFilter::none(); }

    void check_file(const Context& ctx, Emitter& out) const override {
        const FileFacts& f = *ctx.facts;
        if (!f.member || f.immutable.empty()) return;
        out.emit({0, 0}, "applied migration changed: " + f.immutable);
    }
};

PGW_REGISTER_RULE(ImmutableMigration);

}  // namespace
}  // namespace pgw
