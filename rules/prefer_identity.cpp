// prefer-identity (opt-in): serial columns are a sequence plus a default, with their
// own ownership and permission quirks; identity columns are the SQL-standard form.
#include "column_types.h"
#include "engine/config.h"

namespace pgw {
namespace {

bool is_serial(std::string_view name) {
    return name == "serial" || name == "bigserial" || name == "smallserial" || name == "serial2" ||
           name == "serial4" || name == "serial8";
}

std::string_view identity_type(std::string_view name) {
    if (name == "smallserial" || name == "serial2") return "smallint";
    if (name == "serial" || name == "serial4") return "integer";
    return "bigint";
}

class PreferIdentity final : public Rule {
  public:
    const RuleInfo& info() const override {
        static const RuleInfo i{
            "prefer-identity",
            Category::style,
            Severity::off,
            Risk::none,
            "serial / bigserial columns; prefer identity columns",
            "use `bigint GENERATED ALWAYS AS IDENTITY` (or BY DEFAULT): the sequence belongs to "
            "the column, needs no separate grants, and GENERATED ALWAYS stops clients from "
            "writing ids that collide with the sequence later",
            "CREATE TABLE IF NOT EXISTS events (id bigserial PRIMARY KEY);",
            "CREATE TABLE IF NOT EXISTS events (\n"
            "    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY\n"
            ");",
            "identity columns need PostgreSQL 10+: with --pg-version below 10 the rule is silent"};
        return i;
    }

    StatementFilter statements() const override {
        return StatementFilter::of({"CreateStmt", "AlterTableStmt"});
    }

    void check(const Statement& st, const Context& ctx, Emitter& out) const override {
        if (ctx.config.pg_version < 10) return;
        for (const rules::ColumnType& t : rules::column_types(st)) {
            if (!rules::builtin(t) || !is_serial(t.name)) continue;
            out.emit(t.span, "column " + std::string(t.column) + " is " + std::string(t.name) +
                                 ": prefer " + std::string(identity_type(t.name)) +
                                 " GENERATED ALWAYS AS IDENTITY");
        }
    }
};

PGW_REGISTER_RULE(PreferIdentity);

}  // namespace
}  // namespace pgw
