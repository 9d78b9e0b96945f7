// file-naming: the file name must follow one of the configured conventions
// (SPEC §6 `naming`), or its version, and so its order, is a guess.
#include "engine/rule.h"
#include "sets/migration_set.h"

namespace pgw {
namespace {

class FileNaming final : public Rule {
  public:
    const RuleInfo& info() const override {
        static const RuleInfo i{
            "file-naming",
            Category::naming,
            Severity::error,
            Risk::none,
            "a migration file name that matches none of the configured naming patterns, or that "
            "its migration tool does not run",
            "name migrations so their order is explicit: sequential (001_add_users.sql), "
            "timestamp (20260116093000_add_users.sql), flyway (V3__add_users.sql), golang-migrate "
            "(000003_add_users.up.sql), prisma (20260116093000_add_users/migration.sql), drizzle "
            "(0003_add_users.sql) or diesel (2026-01-16-093000_add_users/up.sql). The `naming` key "
            "of .pgwarden.json picks presets or adds RE2 patterns; its default accepts every "
            "preset and the naming of the detected migration tool. A file the tool would never "
            "run (a goose file without a version, prisma SQL outside <folder>/migration.sql, a "
            "drizzle file missing from meta/_journal.json) is always reported.",
            "-- db/migrations/add_users.sql\nCREATE TABLE users (id bigint);",
            "-- db/migrations/001_add_users.sql\nCREATE TABLE users (id bigint);"};
        return i;
    }

    // A name the set's tool does not run is always wrong (the migration would
    // never be applied); the configured patterns judge the rest. Without a
    // `naming` key a name the detected tool runs is fine (SPEC §6: the tool's
    // own convention counts), and plain sets need one of the presets.
    StatementFilter statements() const override { return StatementFilter::none(); }

    void check_file(const Context& ctx, Emitter& out) const override {
        const FileFacts& f = *ctx.facts;
        if (!f.member) return;
        if (!f.misnamed.empty()) {
            out.emit({0, 0}, f.tool + " never runs this file: " + f.misnamed);
            return;
        }
        if (f.name || (!f.naming_configured && f.tool != "plain")) return;
        out.emit({0, 0},
                 "file name matches none of the naming patterns (" + f.accepted_names + ")");
    }
};

PGW_REGISTER_RULE(FileNaming);

}  // namespace
}  // namespace pgw
