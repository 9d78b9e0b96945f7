// constraint-not-valid: ADD CONSTRAINT ... FOREIGN KEY or CHECK validates every existing
// row while holding a lock that blocks writes (ACCESS EXCLUSIVE for CHECK, SHARE ROW
// EXCLUSIVE on both tables for a foreign key).
#include "locking_support.h"

namespace pgw {
namespace {

class ConstraintNotValid final : public Rule {
  public:
    const RuleInfo& info() const override {
        static const RuleInfo i{
            "constraint-not-valid",
            Category::locking,
            Severity::warning,
            Risk::medium,
            "ADD CONSTRAINT FOREIGN KEY / CHECK without NOT VALID scans the table under lock",
            "add the constraint with NOT VALID (only new rows are checked, the lock is brief), "
            "then run ALTER TABLE ... VALIDATE CONSTRAINT in a separate transaction or "
            "migration: validation takes a SHARE UPDATE EXCLUSIVE lock that lets reads and "
            "writes continue",
            "ALTER TABLE bookings ADD CONSTRAINT bookings_user_fk\n"
            "  FOREIGN KEY (user_id) REFERENCES users (id);",
            "ALTER TABLE bookings ADD CONSTRAINT bookings_user_fk\n"
            "  FOREIGN KEY (user_id) REFERENCES users (id) NOT VALID;\n"
            "-- next migration:\n"
            "ALTER TABLE bookings VALIDATE CONSTRAINT bookings_user_fk;"};
        return i;
    }

    StatementFilter statements() const override { return StatementFilter::of({"AlterTableStmt"}); }

    void check(const Statement& st, const Context& ctx, Emitter& out) const override {
        if (st.kind != "AlterTableStmt") return;
        std::string table = rules::target_relation(st);
        // A table created by this change is empty: validating it costs nothing.
        if (rules::created_by_change(ctx, table)) return;
        for (node::Element c : rules::alter_table_defs(st, "AT_AddConstraint", "Constraint"))
            added(st, c, table, out);
        for (node::Element col : rules::alter_table_defs(st, "AT_AddColumn", "ColumnDef"))
            column(st, col, table, out);
        validated(st, ctx, table, out);
    }

  private:
    static std::string lock_of(node::Element c) {
        return node::str(c, "contype") == "CONSTR_FOREIGN"
                   ? "blocking writes to it and to " + rules::locking::relation_field(c, "pktable")
                   : "under ACCESS EXCLUSIVE lock";
    }

    static void added(const Statement& st, node::Element c, const std::string& table,
                      Emitter& out) {
        if (node::flag(c, "skip_validation")) return;
        std::string_view type = node::str(c, "contype");
        if (type != "CONSTR_FOREIGN" && type != "CONSTR_CHECK") return;
        std::string_view name = node::str(c, "conname");
        std::string what = type == "CONSTR_FOREIGN" ? "FOREIGN KEY" : "CHECK";
        if (!name.empty()) what = quote_identifier(name) + " " + what;
        out.emit(rules::command_span_at(st, node::integer(c, "location")),
                 "ADD CONSTRAINT " + what + " validates every row of existing table " +
                     quote_name(table) + " " + lock_of(c));
    }

    // ADD COLUMN with a CHECK checks every existing row, whatever the default;
    // with REFERENCES it does once a default gives the rows a value (with no
    // default every row is NULL and PostgreSQL skips the validation: the
    // "skip_validation" of transformColumnDefinition for a column with no default,
    // https://github.com/postgres/postgres/blob/REL_15_STABLE/src/backend/parser/parse_utilcmd.c).
    static void column(const Statement& st, node::Element col, const std::string& table,
                       Emitter& out) {
        bool has_default = false;
        for (node::Element item : node::List(col, "constraints")) {
            node::Element c;
            if (node::as(item, "Constraint", c) && node::str(c, "contype") == "CONSTR_DEFAULT")
                has_default = true;
        }
        for (node::Element item : node::List(col, "constraints")) {
            node::Element c;
            if (!node::as(item, "Constraint", c)) continue;
            std::string_view type = node::str(c, "contype");
            bool scans = type == "CONSTR_CHECK" || (type == "CONSTR_FOREIGN" && has_default);
            if (!scans) continue;
            std::string what = type == "CONSTR_CHECK" ? "a CHECK" : "a default and REFERENCES";
            out.emit(rules::command_span_at(st, node::integer(col, "location")),
                     "ADD COLUMN " + std::string(node::str(col, "colname")) + " with " + what +
                         " validates every row of existing table " + quote_name(table) + " " +
                         lock_of(c) +
                         "; add the column, then the constraint NOT VALID, then validate it");
        }
    }

    // The constraint `name` of `table` added NOT VALID by `st` (an ALTER TABLE).
    static bool adds_not_valid(const Statement& st, const std::string& table, std::string_view name,
                               node::Element* out = nullptr) {
        if (st.kind != "AlterTableStmt" || rules::target_relation(st) != table) return false;
        for (node::Element c : rules::alter_table_defs(st, "AT_AddConstraint", "Constraint"))
            if (node::flag(c, "skip_validation") && node::str(c, "conname") == name) {
                if (out) *out = c;
                return true;
            }
        return false;
    }

    // VALIDATE CONSTRAINT before the transaction that added it NOT VALID ends:
    // the ADD's lock (ACCESS EXCLUSIVE for a CHECK, SHARE ROW EXCLUSIVE on both
    // tables for a foreign key) is held until commit, so the validation scan
    // runs under it and NOT VALID bought nothing.
    static void validated(const Statement& st, const Context& ctx, const std::string& table,
                          Emitter& out) {
        const std::vector<node::Element>& commands = rules::alter_table_commands(st);
        for (std::size_t i = 0; i < commands.size(); ++i) {
            if (node::str(commands[i], "subtype") != "AT_ValidateConstraint") continue;
            std::string_view name = node::str(commands[i], "name");
            node::Element added;
            bool same = adds_not_valid(st, table, name, &added);
            for (std::size_t j = ctx.transaction_begin;
                 !same && ctx.in_transaction && j < ctx.statement_index; ++j) {
                const Statement& earlier = ctx.migration.statements[j];
                same = earlier.parsed() && adds_not_valid(earlier, table, name, &added);
            }
            if (!same) continue;
            std::string held =
                node::str(added, "contype") == "CONSTR_FOREIGN"
                    ? "SHARE ROW EXCLUSIVE lock on it and on " +
                          quote_name(rules::locking::relation_field(added, "pktable"))
                    : "ACCESS EXCLUSIVE lock";
            out.emit(rules::command_span(st, i),
                     "VALIDATE CONSTRAINT " + quote_identifier(name) +
                         " runs in the transaction that added it NOT VALID: its scan of " +
                         quote_name(table) + " runs under the " + held +
                         " the ADD still holds; commit between the two");
        }
    }
};

PGW_REGISTER_RULE(ConstraintNotValid);

}  // namespace
}  // namespace pgw
