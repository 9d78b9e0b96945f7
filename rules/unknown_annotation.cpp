// unknown-annotation: a misspelt annotation silently does nothing, so the
// author believes a change is acknowledged when it is not.
#include "engine/rule.h"
#include "frontend/annotations.h"

namespace pgw {
namespace {

class UnknownAnnotationRule final : public Rule {
  public:
    const RuleInfo& info() const override {
        static const RuleInfo i{
            "unknown-annotation",
            Category::policy,
            Severity::warning,
            Risk::none,
            "an @annotation that looks like a misspelt known one (and therefore does not count)",
            "spell it as one of @override-destructive (aliases @migration-override, "
            "@allow-destructive), @rollback-plan: <text>, @risk LOW|MEDIUM|HIGH",
            "-- @overide-destructive\nDROP TABLE old_sessions;",
            "-- @override-destructive sessions moved to redis\n"
            "-- @rollback-plan: recreate from 001_sessions.sql, sessions are ephemeral\n"
            "DROP TABLE old_sessions;"};
        return i;
    }

    StatementFilter statements() const override { return StatementFilter::none(); }

    void check_file(const Context& ctx, Emitter& out) const override {
        if (!ctx.file_annotations) return;
        for (const auto& u : ctx.file_annotations->unknown)
            out.emit(u.span, "unknown annotation " + u.written + "; did you mean " + u.suggestion +
                                 "? It has no effect as written");
    }
};

PGW_REGISTER_RULE(UnknownAnnotationRule);

}  // namespace
}  // namespace pgw
