// add-column-not-null-without-default: ADD COLUMN ... NOT NULL with no default fails on
// any table that has rows, and where it does run it holds ACCESS EXCLUSIVE.
#include "locking_support.h"

namespace pgw {
namespace {

namespace lk = rules::locking;

// DEFAULT NULL fills nothing: the NOT NULL check still fails on the first row.
bool has_real_default(node::Element col) {
    node::Element def, expr, c;
    if (!lk::column_constraint(col, "CONSTR_DEFAULT", def)) return false;
    return !node::get(def, "raw_expr", expr) || !node::as(expr, "A_Const", c) ||
           !node::flag(c, "isnull");
}

class AddColumnNotNullWithoutDefault final : public Rule {
  public:
    const RuleInfo& info() const override {
        static const RuleInfo i{
            "add-column-not-null-without-default",
            Category::locking,
            Severity::error,
            Risk::high,
            "ADD COLUMN ... NOT NULL without a default fails on a table that has rows",
            "either give the column a non-volatile DEFAULT (PostgreSQL 11+ stores it without a "
            "rewrite), or add it as nullable, backfill it in batches, add "
            "CHECK (col IS NOT NULL) NOT VALID, VALIDATE CONSTRAINT in a separate transaction, "
            "then SET NOT NULL (PostgreSQL 12+ uses the validated check and skips the scan) and "
            "drop the check",
            "ALTER TABLE bookings ADD COLUMN status text NOT NULL;",
            "ALTER TABLE bookings ADD COLUMN status text NOT NULL DEFAULT 'confirmed';"};
        return i;
    }

    StatementFilter statements() const override { return StatementFilter::of({"AlterTableStmt"}); }

    void check(const Statement& st, const Context& ctx, Emitter& out) const override {
        if (st.kind != "AlterTableStmt") return;  // only its commands are read
        std::string table = rules::target_relation(st);
        for (node::Element col : rules::alter_table_defs(st, "AT_AddColumn", "ColumnDef")) {
            bool not_null = lk::has_column_constraint(col, "CONSTR_NOTNULL") ||
                            lk::has_column_constraint(col, "CONSTR_PRIMARY");
            // Identity, generated and serial columns fill every row themselves.
            bool filled =
                has_real_default(col) || lk::has_column_constraint(col, "CONSTR_IDENTITY") ||
                lk::has_column_constraint(col, "CONSTR_GENERATED") || lk::is_serial_type(col);
            if (!not_null || filled || rules::created_by_change(ctx, table)) continue;
            // Truncated earlier in this transaction: no row to fail on, and the
            // lock is already held (the set replay keeps the truncation until
            // the transaction ends or a row is written).
            if (ctx.catalog.model().truncated.count(table)) continue;
            out.emit(rules::command_span_at(st, node::integer(col, "location")),
                     "ADD COLUMN " + std::string(node::str(col, "colname")) +
                         " NOT NULL without a default fails on existing table " +
                         quote_name(table) + " when it has rows");
        }
    }
};

PGW_REGISTER_RULE(AddColumnNotNullWithoutDefault);

}  // namespace
}  // namespace pgw
