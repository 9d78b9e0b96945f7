// rollback-mismatch: the down file must put the schema back exactly as it was
// before the up file; a leftover index or a column not restored is found in
// the incident, when the rollback is the plan.
#include "engine/rule.h"
#include "sets/migration_set.h"

namespace pgw {
namespace {

class RollbackMismatch final : public Rule {
  public:
    const RuleInfo& info() const override {
        static const RuleInfo i{
            "rollback-mismatch",
            Category::policy,
            Severity::warning,
            Risk::none,
            "the down file does not undo what the up file did (static replay)",
            "make the down migration the exact inverse of the up migration: drop what the up "
            "file creates (indexes, constraints, columns, types, functions included), recreate "
            "what it drops and restore what it alters. pgwarden replays the earlier migrations, "
            "then up and down, and compares the schema with the state before up; statements it "
            "cannot follow (dynamic SQL, parse errors) make it claim nothing.",
            "-- 004_tags.up.sql\nALTER TABLE bookings ADD COLUMN tags text[];\n"
            "CREATE INDEX bookings_created_idx ON bookings (created_at);\n"
            "-- 004_tags.down.sql (the index is left over)\n"
            "ALTER TABLE bookings DROP COLUMN tags;",
            "-- 004_tags.down.sql\nDROP INDEX IF EXISTS bookings_created_idx;\n"
            "ALTER TABLE bookings DROP COLUMN IF EXISTS tags;"};
        return i;
    }

    StatementFilter statements() const override { return StatementFilter::none(); }

    void check_file(const Context& ctx, Emitter& out) const override {
        const FileFacts& f = *ctx.facts;
        if (!f.member || !f.rollback_checked) return;
        for (const std::string& d : f.rollback_differences)
            out.emit({0, 0}, "after up then down: " + d);
    }
};

PGW_REGISTER_RULE(RollbackMismatch);

}  // namespace
}  // namespace pgw
