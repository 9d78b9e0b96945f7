// add-column-volatile-default: a default PostgreSQL must compute per row (random(),
// gen_random_uuid(), nextval() of a serial, a stored generated column) rewrites the
// whole table under ACCESS EXCLUSIVE. Before PostgreSQL 11 every default did.
#include "locking_support.h"
#include "schema/volatility.h"

namespace pgw {
namespace {

namespace lk = rules::locking;

// Why adding this column rewrites the table, or empty when it does not.
std::string rewrite_reason(node::Element col, int pg_version) {
    node::Element c, expr, k;
    if (lk::column_constraint(col, "CONSTR_GENERATED", c))
        return "a stored generated column is computed for every row";
    if (lk::has_column_constraint(col, "CONSTR_IDENTITY"))
        return "an identity column draws a sequence value for every row";
    if (lk::is_serial_type(col)) return "a serial column's default nextval() is volatile";
    if (!lk::column_constraint(col, "CONSTR_DEFAULT", c) || !node::get(c, "raw_expr", expr))
        return {};
    // DEFAULT NULL is what a plain ADD COLUMN does anyway.
    if (node::as(expr, "A_Const", k) && node::flag(k, "isnull")) return {};
    schema::Volatility v = schema::classify_volatility(expr);
    if (v.is_volatile) return "the default " + v.culprit + " is volatile";
    if (pg_version < 11)
        return "before PostgreSQL 11 any default is written into every row (target: " +
               std::to_string(pg_version) + ")";
    return {};
}

class AddColumnVolatileDefault final : public Rule {
  public:
    const RuleInfo& info() const override {
        static const RuleInfo i{
            "add-column-volatile-default",
            Category::locking,
            Severity::warning,
            Risk::medium,
            "ADD COLUMN with a volatile default or a stored generated column rewrites the table",
            "add the column without a default (or with a constant one), set the volatile "
            "default with ALTER COLUMN ... SET DEFAULT so only new rows use it, then backfill "
            "existing rows in batches; for a generated column, add a plain column kept up to "
            "date by a trigger and backfilled in batches",
            "ALTER TABLE bookings ADD COLUMN public_id uuid DEFAULT gen_random_uuid();",
            "ALTER TABLE bookings ADD COLUMN public_id uuid;\n"
            "ALTER TABLE bookings ALTER COLUMN public_id SET DEFAULT gen_random_uuid();\n"
            "-- then backfill in batches:\n"
            "UPDATE bookings SET public_id = gen_random_uuid()\n"
            "  WHERE id IN (SELECT id FROM bookings WHERE public_id IS NULL LIMIT 10000);",
            "PostgreSQL 11+ adds a column with a non-volatile default without a rewrite; "
            "before 11 (--pg-version < 11) any non-NULL default rewrites the table"};
        return i;
    }

    StatementFilter statements() const override { return StatementFilter::of({"AlterTableStmt"}); }

    void check(const Statement& st, const Context& ctx, Emitter& out) const override {
        if (st.kind != "AlterTableStmt") return;  // only its commands are read
        std::string table = rules::target_relation(st);
        for (node::Element col : rules::alter_table_defs(st, "AT_AddColumn", "ColumnDef")) {
            std::string why = rewrite_reason(col, ctx.config.pg_version);
            if (why.empty() || rules::created_by_change(ctx, table)) continue;
            out.emit(rules::command_span_at(st, node::integer(col, "location")),
                     "ADD COLUMN " + std::string(node::str(col, "colname")) +
                         " rewrites existing table " + quote_name(table) +
                         " under ACCESS EXCLUSIVE lock: " + why);
        }
    }
};

PGW_REGISTER_RULE(AddColumnVolatileDefault);

}  // namespace
}  // namespace pgw
