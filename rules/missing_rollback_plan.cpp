// missing-rollback-plan: an override of a dangerous operation must say how to
// undo it. The check itself is part of the override workflow in the engine
// (it must see which findings an override acknowledged); this file holds the
// rule's metadata, and its severity (or `off`) decides what the engine does.
#include "engine/rule.h"

namespace pgw {
namespace {

class MissingRollbackPlan final : public Rule {
  public:
    StatementFilter statements() const override { return StatementFilter::none(); }
    const RuleInfo& info() const override {
        static const RuleInfo i{
            "missing-rollback-plan",
            Category::policy,
            Severity::error,
            Risk::none,
            "an @override-destructive on a dangerous operation without a non-empty @rollback-plan",
            "dangerous operations (data loss) need both the override and a written rollback "
            "plan: add `-- @rollback-plan: <how to undo this>` next to the override. Set this "
            "rule to off if your process accepts an override alone.",
            "-- @override-destructive\nALTER TABLE users DROP COLUMN legacy_flag;",
            "-- @override-destructive column unused since v42\n"
            "-- @rollback-plan: re-add the column as nullable; values restored from backup\n"
            "ALTER TABLE users DROP COLUMN legacy_flag;"};
        return i;
    }
};

PGW_REGISTER_RULE(MissingRollbackPlan);

}  // namespace
}  // namespace pgw
