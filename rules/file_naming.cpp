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
            "a migration file name that matches none of the configured naming patterns",
            "name migrations so their order is explicit: sequential (001_add_users.sql), "
            "timestamp (20260116093000_add_users.sql), flyway (V3__add_users.sql), golang-migrate "
            "(000003_add_users.up.sql), prisma (20260116093000_add_users/migration.sql), drizzle "
            "(0003_add_users.sql) or diesel (2026-01-16-093000_add_users/up.sql). The `naming` key "
            "of .pgwarden.json picks presets or adds RE2 patterns; its default accepts every "
            "preset.",
            "-- db/migrations/add_users.sql\nCREATE TABLE users (id bigint);",
            "-- db/migrations/001_add_users.sql\nCREATE TABLE users (id bigint);"};
        return i;
    }

    void check_file(const Context& ctx, Emitter& out) const override {
        const FileFacts& f = *ctx.facts;
        if (!f.member || f.name) return;
        out.emit({0, 0},
                 "file name matches none of the naming patterns (" + f.accepted_names + ")");
    }
};

PGW_REGISTER_RULE(FileNaming);

}  // namespace
}  // namespace pgw
