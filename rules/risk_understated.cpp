// risk-understated: the declared risk (header `Risk:` or `@risk`) decides the
// approvals and the deployment window; declaring less than the change does
// routes a dangerous migration through the light process.
#include "engine/rule.h"
#include "frontend/annotations.h"

namespace pgw {
namespace {

class RiskUnderstated final : public Rule {
  public:
    const RuleInfo& info() const override {
        static const RuleInfo i{
            "risk-understated",
            Category::policy,
            Severity::error,
            Risk::none,
            "the declared risk is lower than the computed risk",
            "declare at least the computed risk (`-- Risk: HIGH` in the header, or `-- @risk "
            "HIGH`) so the migration gets the approvals and deployment window its risk level "
            "requires (risk_policy), or split the risky statements into their own migration.",
            "-- Risk: LOW\nALTER TABLE bookings DROP COLUMN notes;",
            "-- Risk: HIGH\n-- @override-destructive\n-- @rollback-plan: restore notes from the "
            "nightly backup\nALTER TABLE bookings DROP COLUMN notes;"};
        return i;
    }

    bool late() const override { return true; }  // needs every other rule's risk

    StatementFilter statements() const override { return StatementFilter::none(); }

    void check_file(const Context& ctx, Emitter& out) const override {
        const auto& declared = ctx.file_annotations->file.risk;
        if (!declared || *declared >= ctx.computed_risk) return;
        Span at{0, 0};
        for (const auto& h : ctx.file_annotations->header)
            if (h.key == "risk") at = h.span;
        out.emit(at, "declared risk " + std::string(to_string(*declared)) +
                         " is lower than the computed " +
                         std::string(to_string(ctx.computed_risk)));
    }
};

PGW_REGISTER_RULE(RiskUnderstated);

}  // namespace
}  // namespace pgw
