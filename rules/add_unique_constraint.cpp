// add-unique-constraint: ADD UNIQUE / ADD PRIMARY KEY builds the index while holding
// ACCESS EXCLUSIVE on the table: no reads, no writes until it is done.
#include "locking_support.h"

namespace pgw {
namespace {

namespace lk = rules::locking;

class AddUniqueConstraint final : public Rule {
  public:
    const RuleInfo& info() const override {
        static const RuleInfo i{
            "add-unique-constraint",
            Category::locking,
            Severity::warning,
            Risk::medium,
            "ADD UNIQUE / PRIMARY KEY without USING INDEX builds the index under an exclusive lock",
            "build the index first with CREATE UNIQUE INDEX CONCURRENTLY in its own migration "
            "outside a transaction, then attach it with ALTER TABLE ... ADD CONSTRAINT ... "
            "UNIQUE USING INDEX (or PRIMARY KEY USING INDEX, once the columns are NOT NULL), "
            "which only takes a brief lock",
            "ALTER TABLE users ADD CONSTRAINT users_email_key UNIQUE (email);",
            "-- migration 1, outside a transaction:\n"
            "CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS users_email_key ON users (email);\n"
            "-- migration 2:\n"
            "ALTER TABLE users ADD CONSTRAINT users_email_key UNIQUE USING INDEX users_email_key;"};
        return i;
    }

    void check(const Statement& st, const Context& ctx, Emitter& out) const override {
        std::string table = rules::target_relation(st);
        for (node::Element c : rules::alter_table_defs(st, "AT_AddConstraint", "Constraint")) {
            if (!node::str(c, "indexname").empty()) continue;
            std::string_view type = node::str(c, "contype");
            if (type != "CONSTR_UNIQUE" && type != "CONSTR_PRIMARY") continue;
            if (rules::created_by_change(ctx, table)) return;
            bool primary = type == "CONSTR_PRIMARY";
            std::string what = primary ? "PRIMARY KEY" : "UNIQUE";
            std::string_view name = node::str(c, "conname");
            if (!name.empty()) what = std::string(name) + " " + what;
            Emit e;
            e.span = st.span;
            e.message = "ADD CONSTRAINT " + what + " on existing table " + table +
                        " builds its index under ACCESS EXCLUSIVE lock";
            // SPEC §5: primary key changes are HIGH, other constraints MEDIUM.
            if (primary) e.risk = Risk::high;
            out.emit(std::move(e));
        }
        // ADD COLUMN ... UNIQUE / PRIMARY KEY builds the same index, over every row.
        for (node::Element col : rules::alter_table_defs(st, "AT_AddColumn", "ColumnDef")) {
            bool primary = lk::has_column_constraint(col, "CONSTR_PRIMARY");
            if (!primary && !lk::has_column_constraint(col, "CONSTR_UNIQUE")) continue;
            if (rules::created_by_change(ctx, table)) return;
            Emit e;
            e.span = st.span;
            e.message = "ADD COLUMN " + std::string(node::str(col, "colname")) +
                        (primary ? " PRIMARY KEY" : " UNIQUE") + " on existing table " + table +
                        " builds its index under ACCESS EXCLUSIVE lock";
            if (primary) e.risk = Risk::high;
            out.emit(std::move(e));
        }
    }
};

PGW_REGISTER_RULE(AddUniqueConstraint);

}  // namespace
}  // namespace pgw
