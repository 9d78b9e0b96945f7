// parse-error: text PostgreSQL cannot parse, and files that are not text.
#include "engine/rule.h"

namespace pgw {
namespace {

class ParseError final : public Rule {
  public:
    const RuleInfo& info() const override {
        static const RuleInfo i{
            "parse-error",
            Category::file,
            Severity::error,
            Risk::none,
            "a statement PostgreSQL cannot parse, or a file that is not UTF-8 text",
            "fix the syntax: the migration would fail at this statement. Other statements of "
            "the file are still linted. Files must be UTF-8 text without NUL bytes.",
            "CREAT TABLE users (id bigint);",
            "CREATE TABLE users (id bigint);"};
        return i;
    }

    StatementFilter statements() const override { return StatementFilter::none(); }

    void check_file(const Context& ctx, Emitter& out) const override {
        const Migration& m = ctx.migration;
        if (!m.source.problem.empty()) {
            std::size_t at = m.source.problem_offset;
            out.emit({at, at + 1}, m.source.problem);
            return;
        }
        for (const Statement& st : m.statements) {
            if (st.parsed()) continue;
            std::size_t at = st.error_offset;
            // Underline the offending token, or the statement when it is unknown.
            Span span = at > st.span.begin && at < st.span.end ? Span{at, at + 1} : st.span;
            out.emit(span, st.error);
        }
    }
};

PGW_REGISTER_RULE(ParseError);

}  // namespace
}  // namespace pgw
