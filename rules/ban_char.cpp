// ban-char (opt-in): char(n) pads values with spaces to n characters, which leaks into
// comparisons, lengths and clients, and it is no faster than text.
#include "column_types.h"

namespace pgw {
namespace {

class BanChar final : public Rule {
  public:
    const RuleInfo& info() const override {
        static const RuleInfo i{
            "ban-char",
            Category::style,
            Severity::off,
            Risk::none,
            "char(n) / character(n) columns; use text",
            "use text (with a CHECK (char_length(col) = n) constraint for fixed-length codes): "
            "char(n) pads with spaces, ignores trailing spaces in comparisons and is stored "
            "like text anyway",
            "CREATE TABLE IF NOT EXISTS countries (code char(2) PRIMARY KEY);",
            "CREATE TABLE IF NOT EXISTS countries (\n"
            "    code text PRIMARY KEY CHECK (char_length(code) = 2)\n"
            ");"};
        return i;
    }

    StatementFilter statements() const override {
        return StatementFilter::of({"CreateStmt", "AlterTableStmt"});
    }

    void check(const Statement& st, const Context&, Emitter& out) const override {
        for (const rules::ColumnType& t : rules::column_types(st)) {
            // bpchar is char(n); the quoted one-byte "char" type is a different thing.
            if (!rules::builtin(t) || t.name != "bpchar") continue;
            out.emit(t.span, "column " + std::string(t.column) +
                                 " is char(n), which pads with spaces: use text");
        }
    }
};

PGW_REGISTER_RULE(BanChar);

}  // namespace
}  // namespace pgw
