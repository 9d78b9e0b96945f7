// set-not-null: ALTER COLUMN ... SET NOT NULL scans the whole table under ACCESS
// EXCLUSIVE to prove there is no NULL, unless (PostgreSQL 12+) a validated
// CHECK (col IS NOT NULL) constraint already proves it.
#include <set>

#include "locking_support.h"

namespace pgw {
namespace {

// `col IS NOT NULL`, alone or as one term of an AND: PostgreSQL's implication
// test accepts both.
bool proves_not_null(node::Element expr, std::string_view column) {
    node::Element test, arg, ref, boolexpr;
    if (node::as(expr, "NullTest", test)) {
        if (node::str(test, "nulltesttype") != "IS_NOT_NULL" || !node::get(test, "arg", arg) ||
            !node::as(arg, "ColumnRef", ref))
            return false;
        return node::last_name(ref, "fields") == column;
    }
    if (node::as(expr, "BoolExpr", boolexpr) && node::str(boolexpr, "boolop") == "AND_EXPR") {
        for (node::Element term : node::List(boolexpr, "args"))
            if (proves_not_null(term, column)) return true;
    }
    return false;
}

// Whether statements before the current one leave a validated CHECK constraint on
// `table` that proves `column` is not null.
bool validated_check_before(const Context& ctx, const std::string& table, std::string_view column) {
    std::set<std::string, std::less<>> pending, validated;
    bool unnamed_validated = false;
    const auto& all = ctx.migration.statements;
    for (std::size_t i = 0; i < ctx.statement_index && i < all.size(); ++i) {
        const Statement& st = all[i];
        if (st.kind != "AlterTableStmt" || rules::target_relation(st) != table) continue;
        for (node::Element cmd : rules::alter_table_commands(st)) {
            std::string_view subtype = node::str(cmd, "subtype");
            std::string name(node::str(cmd, "name"));
            node::Element def, c, expr;
            if (subtype == "AT_AddConstraint" && node::get(cmd, "def", def) &&
                node::as(def, "Constraint", c) && node::str(c, "contype") == "CONSTR_CHECK" &&
                node::get(c, "raw_expr", expr) && proves_not_null(expr, column)) {
                std::string conname(node::str(c, "conname"));
                if (node::flag(c, "skip_validation"))
                    pending.insert(conname);
                else if (conname.empty())
                    unnamed_validated = true;
                else
                    validated.insert(conname);
            } else if (subtype == "AT_ValidateConstraint" && pending.erase(name)) {
                validated.insert(name);
            } else if (subtype == "AT_DropConstraint") {
                pending.erase(name);
                validated.erase(name);
            }
        }
    }
    return unnamed_validated || !validated.empty();
}

class SetNotNull final : public Rule {
  public:
    const RuleInfo& info() const override {
        static const RuleInfo i{
            "set-not-null",
            Category::locking,
            Severity::warning,
            Risk::medium,
            "SET NOT NULL scans the whole table while holding an ACCESS EXCLUSIVE lock",
            "on PostgreSQL 12+: ADD CONSTRAINT c CHECK (col IS NOT NULL) NOT VALID, then "
            "VALIDATE CONSTRAINT c in a separate transaction (it does not block writes), then "
            "SET NOT NULL (it uses the validated check and skips the scan), then DROP "
            "CONSTRAINT c. Before 12 the scan cannot be avoided: keep the CHECK constraint "
            "instead of NOT NULL, or run it in a maintenance window.",
            "ALTER TABLE bookings ALTER COLUMN status SET NOT NULL;",
            "ALTER TABLE bookings ADD CONSTRAINT bookings_status_not_null\n"
            "  CHECK (status IS NOT NULL) NOT VALID;\n"
            "-- next migration:\n"
            "ALTER TABLE bookings VALIDATE CONSTRAINT bookings_status_not_null;\n"
            "ALTER TABLE bookings ALTER COLUMN status SET NOT NULL;\n"
            "ALTER TABLE bookings DROP CONSTRAINT bookings_status_not_null;",
            "PostgreSQL 12+ skips the scan when a validated CHECK (col IS NOT NULL) exists; "
            "before 12 SET NOT NULL always scans the table"};
        return i;
    }

    void check(const Statement& st, const Context& ctx, Emitter& out) const override {
        std::string table = rules::target_relation(st);
        std::vector<std::string> columns;
        bool check_ignored = false;
        for (node::Element cmd : rules::alter_table_commands(st)) {
            if (node::str(cmd, "subtype") != "AT_SetNotNull") continue;
            if (rules::created_by_change(ctx, table)) return;
            std::string_view column = node::str(cmd, "name");
            if (validated_check_before(ctx, table, column)) {
                if (ctx.config.pg_version >= 12) continue;
                check_ignored = true;
            }
            columns.push_back(std::string(column));
        }
        if (columns.empty()) return;
        std::string msg = "SET NOT NULL on " + table + " (" + rules::join_names(columns) +
                          ") scans the whole table under ACCESS EXCLUSIVE lock";
        if (check_ignored)
            msg += "; PostgreSQL " + std::to_string(ctx.config.pg_version) +
                   " does not use the validated CHECK constraint (12+ does)";
        out.emit(st.span, msg);
    }
};

PGW_REGISTER_RULE(SetNotNull);

}  // namespace
}  // namespace pgw
