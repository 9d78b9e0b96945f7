// version-order: a new migration that sorts before one already merged. Databases
// that applied the newer one never run it (most runners only move forward), or
// run it out of order against a schema it was not written for.
#include "engine/rule.h"
#include "sets/migration_set.h"

namespace pgw {
namespace {

class VersionOrder final : public Rule {
  public:
    const RuleInfo& info() const override {
        static const RuleInfo i{
            "version-order",
            Category::naming,
            Severity::error,
            Risk::none,
            "a new migration whose version sorts before a migration that already exists at the "
            "diff base",
            "rename the new migration with a version after the newest migration on the base "
            "branch (for timestamps: regenerate it now). Checked with --diff-base.",
            "-- main has 20260110_add_tags.sql; the branch adds 20260105_add_index.sql",
            "-- the branch adds 20260120_add_index.sql"};
        return i;
    }

    StatementFilter statements() const override { return StatementFilter::none(); }

    void check_file(const Context& ctx, Emitter& out) const override {
        const FileFacts& f = *ctx.facts;
        if (!f.member || f.sorts_before.empty()) return;
        std::string version = f.name && f.name->version ? f.name->version->text : f.key;
        out.emit({0, 0}, "new migration " + version + " sorts before " + f.sorts_before +
                             ", which already exists at the diff base");
    }
};

PGW_REGISTER_RULE(VersionOrder);

}  // namespace
}  // namespace pgw
