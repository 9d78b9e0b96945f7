// prefer-text (opt-in): varchar(n) stores and performs exactly like text; the length
// limit only moves a business rule into the type, where raising it later takes an
// ALTER COLUMN TYPE (and, for lowering it, a table rewrite).
#include "column_types.h"

namespace pgw {
namespace {

class PreferText final : public Rule {
  public:
    const RuleInfo& info() const override {
        static const RuleInfo i{
            "prefer-text",
            Category::style,
            Severity::off,
            Risk::none,
            "varchar(n) columns; prefer text",
            "use text, with a CHECK (char_length(col) <= n) constraint when the limit is a real "
            "rule: the constraint can be changed with NOT VALID + VALIDATE, without touching "
            "the column type",
            "CREATE TABLE IF NOT EXISTS users (email varchar(255) NOT NULL);",
            "CREATE TABLE IF NOT EXISTS users (\n"
            "    email text NOT NULL CHECK (char_length(email) <= 255)\n"
            ");"};
        return i;
    }

    StatementFilter statements() const override {
        return StatementFilter::of({"CreateStmt", "AlterTableStmt"});
    }

    void check(const Statement& st, const Context&, Emitter& out) const override {
        for (const rules::ColumnType& t : rules::column_types(st)) {
            // varchar without a length is text under another name: nothing to gain.
            if (!rules::builtin(t) || t.name != "varchar" || !t.has_typmods) continue;
            out.emit(t.span, "column " + std::string(t.column) +
                                 " is varchar(n): prefer text with a CHECK constraint");
        }
    }
};

PGW_REGISTER_RULE(PreferText);

}  // namespace
}  // namespace pgw
