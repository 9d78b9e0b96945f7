// missing-rollback: with `rollback.required`, every up migration needs its
// down file (SPEC §2 pairing), written before it is needed in an incident.
#include "engine/rule.h"
#include "sets/migration_set.h"
#include "tools/naming.h"

namespace pgw {
namespace {

class MissingRollback final : public Rule {
  public:
    const RuleInfo& info() const override {
        static const RuleInfo i{
            "missing-rollback",
            Category::policy,
            Severity::off,
            Risk::none,
            "an up migration with no paired down / rollback file",
            "write the rollback next to the migration: X.up.sql with X.down.sql, up.sql with "
            "down.sql in the same folder, or X.sql with X_rollback.sql / X.rollback.sql. Turned on "
            "by \"rollback\": {\"required\": true} in .pgwarden.json.",
            "-- 004_add_tags.up.sql alone",
            "-- 004_add_tags.up.sql and 004_add_tags.down.sql"};
        return i;
    }

    StatementFilter statements() const override { return StatementFilter::none(); }

    void check_file(const Context& ctx, Emitter& out) const override {
        const FileFacts& f = *ctx.facts;
        if (!f.member || f.down || f.rollback_style == RollbackStyle::none) return;
        if (f.rollback_style == RollbackStyle::sections) {
            for (const Statement& st : ctx.migration.statements)
                if (ctx.migration.is_down(st)) return;
            out.emit({0, 0},
                     "no down section (" + f.tool + " runs the file's down part to roll back)");
            return;
        }
        if (!f.partners.empty()) return;
        auto expected = rollback_partners(ctx.path);
        std::string names;
        for (const auto& p : expected) {
            auto slash = p.rfind('/');
            names += (names.empty() ? "" : " or ") +
                     p.substr(slash == std::string::npos ? 0 : slash + 1);
        }
        out.emit({0, 0}, "no rollback file" + (names.empty() ? "" : " (expected " + names + ")"));
    }
};

PGW_REGISTER_RULE(MissingRollback);

}  // namespace
}  // namespace pgw
