// add-exclusion-constraint: ADD CONSTRAINT ... EXCLUDE builds its index (usually
// GiST) over every row while holding ACCESS EXCLUSIVE, and unlike UNIQUE there is
// no way around it: an exclusion constraint cannot be attached USING INDEX and
// cannot be NOT VALID.
// https://www.postgresql.org/docs/15/sql-altertable.html ("ADD table_constraint_using_index
// ... only UNIQUE and PRIMARY KEY"; "NOT VALID ... currently only allowed for foreign key
// and CHECK constraints")
#include "locking_support.h"

namespace pgw {
namespace {

class AddExclusionConstraint final : public Rule {
  public:
    const RuleInfo& info() const override {
        static const RuleInfo i{
            "add-exclusion-constraint",
            Category::locking,
            Severity::warning,
            Risk::medium,
            "ADD CONSTRAINT ... EXCLUDE on an existing table builds its index under an "
            "exclusive lock",
            "an exclusion constraint has no concurrent form (no USING INDEX, no NOT VALID): "
            "reads and writes stop while its index is built over every row. Add it when the "
            "table is created, or in a maintenance window with the downtime approved; for a "
            "large table, build a new table with the constraint, backfill it and swap",
            "ALTER TABLE bookings ADD CONSTRAINT bookings_no_overlap\n"
            "    EXCLUDE USING gist (room_id WITH =, during WITH &&);",
            "CREATE TABLE IF NOT EXISTS bookings (\n"
            "    room_id bigint NOT NULL,\n"
            "    during tstzrange NOT NULL,\n"
            "    CONSTRAINT bookings_no_overlap EXCLUDE USING gist (room_id WITH =, during WITH "
            "&&)\n);"};
        return i;
    }

    StatementFilter statements() const override { return StatementFilter::of({"AlterTableStmt"}); }

    void check(const Statement& st, const Context& ctx, Emitter& out) const override {
        if (st.kind != "AlterTableStmt") return;  // only its commands are read
        std::string table = rules::target_relation(st);
        for (node::Element c : rules::alter_table_defs(st, "AT_AddConstraint", "Constraint")) {
            if (node::str(c, "contype") != "CONSTR_EXCLUSION") continue;
            if (rules::created_by_change(ctx, table)) return;
            std::string_view name = node::str(c, "conname");
            std::string method(node::str(c, "access_method"));
            out.emit(rules::command_span_at(st, node::integer(c, "location")),
                     "ADD CONSTRAINT " + (name.empty() ? std::string() : std::string(name) + " ") +
                         "EXCLUDE" + (method.empty() ? "" : " USING " + method) +
                         " builds its index over every row of existing table " + quote_name(table) +
                         " under ACCESS EXCLUSIVE lock, with no concurrent alternative");
        }
    }
};

PGW_REGISTER_RULE(AddExclusionConstraint);

}  // namespace
}  // namespace pgw
