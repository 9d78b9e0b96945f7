// unused-suppression: a pgwarden-ignore that suppressed nothing is stale noise
// that will one day hide a real finding.
#include "engine/rule.h"
#include "frontend/annotations.h"

namespace pgw {
namespace {

class UnusedSuppression final : public Rule {
  public:
    const RuleInfo& info() const override {
        static const RuleInfo i{
            "unused-suppression",
            Category::policy,
            Severity::info,
            Risk::none,
            "a pgwarden-ignore comment that suppressed nothing",
            "remove the comment, or fix the rule id it names (see `pgwarden rules`)",
            "-- pgwarden-ignore drop-table\nCREATE TABLE t (id bigint);",
            "CREATE TABLE t (id bigint);"};
        return i;
    }

    bool late() const override { return true; }

    StatementFilter statements() const override { return StatementFilter::none(); }

    void check_file(const Context& ctx, Emitter& out) const override {
        if (!ctx.file_annotations) return;
        for (const Suppression& s : ctx.file_annotations->suppressions) {
            std::vector<std::string> unused;
            if (s.rules.empty() && s.used.empty()) unused.push_back("(all rules)");
            for (const auto& r : s.rules) {
                // verify's rules only find things on a real PostgreSQL: a static
                // run cannot tell whether their suppression is used.
                const Rule* rule = find_rule(r);
                if (rule && rule->dynamic()) continue;
                if (!s.used.count(r) && !(r == "all" && !s.used.empty())) unused.push_back(r);
            }
            for (const auto& r : unused)
                out.emit(s.comment, "suppression of " + r + " suppresses nothing");
        }
    }
};

PGW_REGISTER_RULE(UnusedSuppression);

}  // namespace
}  // namespace pgw
