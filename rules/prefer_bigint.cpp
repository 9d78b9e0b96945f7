// prefer-bigint (opt-in): int and smallint columns run out: a busy table's int4 key
// reaches 2^31 and then every insert fails, and widening it later rewrites the table.
#include "column_types.h"

namespace pgw {
namespace {

// The parse tree's names: integer -> int4, smallint -> int2, serial stays serial.
std::string_view wider(std::string_view name) {
    if (name == "int4" || name == "int2") return "bigint";
    if (name == "serial" || name == "serial4" || name == "smallserial" || name == "serial2")
        return "bigserial (or bigint GENERATED ALWAYS AS IDENTITY)";
    return {};
}

std::string_view spelled(std::string_view name) {
    if (name == "int4") return "integer";
    if (name == "int2") return "smallint";
    return name;
}

class PreferBigint final : public Rule {
  public:
    const RuleInfo& info() const override {
        static const RuleInfo i{
            "prefer-bigint",
            Category::style,
            Severity::off,
            Risk::none,
            "integer, smallint and serial columns can overflow; prefer bigint",
            "use bigint (or bigint GENERATED ALWAYS AS IDENTITY for keys): it costs 4 more bytes "
            "per row, while changing the type once the values outgrow integer rewrites the "
            "whole table under an ACCESS EXCLUSIVE lock",
            "CREATE TABLE IF NOT EXISTS events (id serial PRIMARY KEY, account_id integer);",
            "CREATE TABLE IF NOT EXISTS events (\n"
            "    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,\n"
            "    account_id bigint\n"
            ");"};
        return i;
    }

    StatementFilter statements() const override {
        return StatementFilter::of({"CreateStmt", "AlterTableStmt"});
    }

    void check(const Statement& st, const Context&, Emitter& out) const override {
        for (const rules::ColumnType& t : rules::column_types(st)) {
            std::string_view better = rules::builtin(t) ? wider(t.name) : std::string_view{};
            if (better.empty()) continue;
            out.emit(t.span, "column " + std::string(t.column) + " is " +
                                 std::string(spelled(t.name)) + ": prefer " + std::string(better));
        }
    }
};

PGW_REGISTER_RULE(PreferBigint);

}  // namespace
}  // namespace pgw
