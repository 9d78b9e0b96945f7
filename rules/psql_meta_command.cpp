// psql-meta-command: backslash commands are psql's, not SQL; they are skipped.
#include "engine/rule.h"

namespace pgw {
namespace {

class PsqlMetaCommand final : public Rule {
  public:
    const RuleInfo& info() const override {
        static const RuleInfo i{
            "psql-meta-command",
            Category::file,
            Severity::info,
            Risk::none,
            "a psql backslash command (skipped, not analysed)",
            "psql meta-commands such as \\set or \\connect only work when the migration is run "
            "with psql; migration runners that send SQL to the server fail on them. pgwarden "
            "skips them and lints the rest.",
            "\\set ON_ERROR_STOP on\nCREATE TABLE t (id bigint);",
            "CREATE TABLE t (id bigint);"};
        return i;
    }

    StatementFilter statements() const override { return StatementFilter::none(); }

    void check_file(const Context& ctx, Emitter& out) const override {
        for (const Span& meta : ctx.migration.split.meta_commands) {
            std::string_view text(ctx.migration.source.bytes.data() + meta.begin,
                                  meta.end - meta.begin);
            std::string_view name = text.substr(0, text.find_first_of(" \t"));
            out.emit(meta, "psql meta-command " + std::string(name) + " skipped");
        }
    }
};

PGW_REGISTER_RULE(PsqlMetaCommand);

}  // namespace
}  // namespace pgw
