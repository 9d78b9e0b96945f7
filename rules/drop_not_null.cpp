// drop-not-null: ALTER COLUMN ... DROP NOT NULL is cheap for the database but
// breaks a contract: code that assumes the column always has a value starts
// reading NULLs once anyone writes one.
#include "support_destructive.h"

namespace pgw {
namespace {

class DropNotNull final : public Rule {
  public:
    const RuleInfo& info() const override {
        static const RuleInfo i{
            "drop-not-null",
            Category::contract,
            Severity::warning,
            Risk::medium,
            "ALTER COLUMN ... DROP NOT NULL lets NULLs into a column clients expect to be set",
            "first deploy code that handles NULL in this column everywhere it is read, then "
            "drop the constraint and acknowledge with `-- @override-destructive <reason>`",
            "ALTER TABLE users ALTER COLUMN phone DROP NOT NULL;",
            "-- @override-destructive all readers handle a missing phone since release 42\n"
            "ALTER TABLE users ALTER COLUMN phone DROP NOT NULL;"};
        return i;
    }

    StatementFilter statements() const override { return StatementFilter::of({"AlterTableStmt"}); }

    void check(const Statement& st, const Context& ctx, Emitter& out) const override {
        if (rules::alters_new_table(st, ctx)) return;
        std::vector<std::string> cols = rules::alter_subcommand_names(st, "AT_DropNotNull");
        if (cols.empty()) return;
        out.emit(st.span, "ALTER TABLE " + rules::display_relation(st.node) + " ALTER COLUMN " +
                              rules::join_names(cols) +
                              " DROP NOT NULL: clients that expect a value may read NULLs");
    }
};

PGW_REGISTER_RULE(DropNotNull);

}  // namespace
}  // namespace pgw
