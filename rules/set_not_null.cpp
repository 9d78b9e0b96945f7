// set-not-null: ALTER COLUMN ... SET NOT NULL scans the whole table under ACCESS
// EXCLUSIVE to prove there is no NULL, unless (PostgreSQL 12+) a validated
// CHECK (col IS NOT NULL) constraint already proves it.
#include <algorithm>

#include "locking_support.h"

namespace pgw {
namespace {

// A validated CHECK that proves `column` not null, from this migration or an
// earlier one of the set (the set replay's model).
bool validated_check(const Context& ctx, const std::string& table, std::string_view column) {
    const schema::Relation* t = ctx.catalog.relation(table);
    if (!t) return false;
    for (const schema::Constraint& c : t->constraints)
        if (c.type == 'c' && c.valid && !c.uncertain &&
            std::find(c.proves_not_null.begin(), c.proves_not_null.end(), column) !=
                c.proves_not_null.end())
            return true;
    return false;
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

    StatementFilter statements() const override { return StatementFilter::of({"AlterTableStmt"}); }

    void check(const Statement& st, const Context& ctx, Emitter& out) const override {
        if (st.kind != "AlterTableStmt") return;  // only its commands are read
        std::string table = rules::target_relation(st);
        std::vector<std::string> columns;
        bool check_ignored = false;
        const std::vector<node::Element>& commands = rules::alter_table_commands(st);
        std::size_t last = 0;
        for (std::size_t i = 0; i < commands.size(); ++i) {
            node::Element cmd = commands[i];
            if (node::str(cmd, "subtype") != "AT_SetNotNull") continue;
            last = i;
            if (rules::created_by_change(ctx, table)) return;
            std::string_view column = node::str(cmd, "name");
            if (validated_check(ctx, table, column)) {
                if (ctx.config.pg_version >= 12) continue;
                check_ignored = true;
            }
            columns.push_back(std::string(column));
        }
        if (columns.empty()) return;
        std::string msg = "SET NOT NULL on " + quote_name(table) + " (" +
                          rules::join_names(columns) +
                          ") scans the whole table under ACCESS EXCLUSIVE lock";
        if (check_ignored)
            msg += "; PostgreSQL " + std::to_string(ctx.config.pg_version) +
                   " does not use the validated CHECK constraint (12+ does)";
        // One column: its clause; several: the statement that names them all.
        out.emit(columns.size() == 1 ? rules::command_span(st, last) : st.span, msg);
    }
};

PGW_REGISTER_RULE(SetNotNull);

}  // namespace
}  // namespace pgw
