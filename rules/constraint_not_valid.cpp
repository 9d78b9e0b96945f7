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

    void check(const Statement& st, const Context& ctx, Emitter& out) const override {
        std::string table = rules::target_relation(st);
        for (node::Element c : rules::alter_table_defs(st, "AT_AddConstraint", "Constraint")) {
            if (node::flag(c, "skip_validation")) continue;
            std::string_view type = node::str(c, "contype");
            if (type != "CONSTR_FOREIGN" && type != "CONSTR_CHECK") continue;
            // A table created by this change is empty: validating it costs nothing.
            if (rules::created_by_change(ctx, table)) return;
            std::string_view name = node::str(c, "conname");
            std::string what = type == "CONSTR_FOREIGN" ? "FOREIGN KEY" : "CHECK";
            if (!name.empty()) what = std::string(name) + " " + what;
            std::string lock =
                type == "CONSTR_FOREIGN"
                    ? "blocking writes to it and to " + rules::locking::relation_field(c, "pktable")
                    : "under ACCESS EXCLUSIVE lock";
            out.emit(st.span, "ADD CONSTRAINT " + what + " validates every row of existing table " +
                                  table + " " + lock);
        }
    }
};

PGW_REGISTER_RULE(ConstraintNotValid);

}  // namespace
}  // namespace pgw
