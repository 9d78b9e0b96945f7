// empty-migration: a file with no statements at all.
#include "engine/rule.h"

namespace pgw {
namespace {

class EmptyMigration final : public Rule {
  public:
    const RuleInfo& info() const override {
        static const RuleInfo i{
            "empty-migration",
            Category::file,
            Severity::error,
            Risk::none,
            "a migration file with no statements",
            "an empty migration is usually a forgotten file or a bad merge: add its statements, "
            "or delete the file. Comments and psql meta-commands alone do not count.",
            "-- TODO: add the tags column\n",
            "ALTER TABLE bookings ADD COLUMN IF NOT EXISTS tags text[];"};
        return i;
    }

    StatementFilter statements() const override { return StatementFilter::none(); }

    void check_file(const Context& ctx, Emitter& out) const override {
        const Migration& m = ctx.migration;
        if (!m.source.problem.empty() || !m.split.statements.empty()) return;
        out.emit({0, 0}, "migration has no statements");
    }
};

PGW_REGISTER_RULE(EmptyMigration);

}  // namespace
}  // namespace pgw
