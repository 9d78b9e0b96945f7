// prefer-timestamptz (opt-in): timestamp without time zone stores wall-clock values
// whose meaning depends on the session's TimeZone; timestamptz stores instants.
#include "column_types.h"

namespace pgw {
namespace {

class PreferTimestamptz final : public Rule {
  public:
    const RuleInfo& info() const override {
        static const RuleInfo i{
            "prefer-timestamptz",
            Category::style,
            Severity::off,
            Risk::none,
            "timestamp without time zone columns; prefer timestamptz",
            "use timestamptz (timestamp with time zone): it stores an instant and converts to "
            "the session's time zone on output, so clients in different zones and DST changes "
            "do not corrupt comparisons",
            "CREATE TABLE IF NOT EXISTS events (created_at timestamp NOT NULL DEFAULT now());",
            "CREATE TABLE IF NOT EXISTS events (created_at timestamptz NOT NULL DEFAULT now());"};
        return i;
    }

    StatementFilter statements() const override {
        return StatementFilter::of({"CreateStmt", "AlterTableStmt"});
    }

    void check(const Statement& st, const Context&, Emitter& out) const override {
        for (const rules::ColumnType& t : rules::column_types(st)) {
            if (!rules::builtin(t) || t.name != "timestamp") continue;
            out.emit(t.span, "column " + std::string(t.column) +
                                 " is timestamp without time zone: prefer timestamptz");
        }
    }
};

PGW_REGISTER_RULE(PreferTimestamptz);

}  // namespace
}  // namespace pgw
