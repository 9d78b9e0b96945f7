// custom:<id>: user rules from the configuration: an RE2 pattern matched
// against the text of statements of the given parse-tree kinds.
#include <re2/re2.h>

#include <algorithm>

#include "engine/config.h"
#include "engine/rule.h"

namespace pgw {
namespace {

class CustomRuleImpl final : public Rule {
  public:
    explicit CustomRuleImpl(const CustomRule& spec) : spec_(spec), re_(spec.pattern, options()) {
        info_.id = "custom:" + spec.id;
        info_.category = Category::custom;
        info_.default_severity = spec.severity;
        info_.risk = Risk::none;
        info_.summary = spec.message;
        info_.help = "custom rule from the configuration: pattern `" + spec.pattern + "`";
    }

    const RuleInfo& info() const override { return info_; }

    // The statement kinds of its configuration; none listed: every statement.
    StatementFilter statements() const override {
        if (spec_.kinds.empty()) return StatementFilter::all();
        StatementFilter f = StatementFilter::none();
        for (const std::string& kind : spec_.kinds) f.kinds.push_back(kind);
        return f;
    }

    void check(const Statement& st, const Context&, Emitter& out) const override {
        if (!spec_.kinds.empty() &&
            std::find(spec_.kinds.begin(), spec_.kinds.end(), st.kind) == spec_.kinds.end())
            return;
        re2::StringPiece match;
        re2::StringPiece text(st.text.data(), st.text.size());
        if (!re_.Match(text, 0, text.size(), re2::RE2::UNANCHORED, &match, 1)) return;
        std::size_t at = static_cast<std::size_t>(match.data() - st.text.data());
        Span span = st.exact
                        ? Span{st.base + at, st.base + at + std::max<std::size_t>(match.size(), 1)}
                        : st.span;
        out.emit(span, spec_.message);
    }

  private:
    static re2::RE2::Options options() {
        re2::RE2::Options o;
        o.set_log_errors(false);
        return o;
    }
    CustomRule spec_;
    re2::RE2 re_;
    RuleInfo info_;
};

}  // namespace

std::unique_ptr<Rule> make_custom_rule(const CustomRule& spec) {
    return std::make_unique<CustomRuleImpl>(spec);
}

}  // namespace pgw
