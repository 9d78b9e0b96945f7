// prefer-jsonb (opt-in): json stores the text as written and re-parses it on every
// access; it has no equality operator, so no index, no DISTINCT, no GROUP BY.
// https://www.postgresql.org/docs/15/datatype-json.html
#include "column_types.h"

namespace pgw {
namespace {

class PreferJsonb final : public Rule {
  public:
    const RuleInfo& info() const override {
        static const RuleInfo i{
            "prefer-jsonb",
            Category::style,
            Severity::off,
            Risk::none,
            "json columns; prefer jsonb",
            "use jsonb: it is stored parsed, supports indexing (GIN), containment and equality; "
            "keep json only when the exact text (key order, duplicate keys, whitespace) must "
            "be preserved",
            "CREATE TABLE IF NOT EXISTS events (payload json NOT NULL);",
            "CREATE TABLE IF NOT EXISTS events (payload jsonb NOT NULL);"};
        return i;
    }

    StatementFilter statements() const override {
        return StatementFilter::of({"CreateStmt", "AlterTableStmt"});
    }

    void check(const Statement& st, const Context&, Emitter& out) const override {
        for (const rules::ColumnType& t : rules::column_types(st)) {
            if (!rules::builtin(t) || t.name != "json") continue;
            std::string what =
                t.column.empty() ? std::string("a column") : "column " + std::string(t.column);
            out.emit(t.span, what + " is json: prefer jsonb");
        }
    }
};

PGW_REGISTER_RULE(PreferJsonb);

}  // namespace
}  // namespace pgw
