// add-unique-constraint: ADD UNIQUE / ADD PRIMARY KEY builds the index while holding
// ACCESS EXCLUSIVE on the table: no reads, no writes until it is done.
#include <algorithm>

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

    // PRIMARY KEY USING INDEX marks the index's columns NOT NULL, and for a
    // nullable column PostgreSQL proves it with a full scan under the ACCESS
    // EXCLUSIVE lock the ALTER holds (index_check_primary_key, then the
    // AT_SetNotNull check of ATRewriteTables) unless a validated CHECK (col IS
    // NOT NULL) already proves it (PostgreSQL 12+, NotNullImpliedByRelConstraints).
    // https://github.com/postgres/postgres/blob/REL_15_STABLE/src/backend/catalog/index.c
    static void check_primary_using_index(const Statement& st, const Context& ctx, node::Element c,
                                          const std::string& table, Emitter& out) {
        const schema::Relation* t = ctx.catalog.relation(table);
        std::string index(node::str(c, "indexname"));
        std::size_t dot = table.rfind('.');
        const schema::Relation* ix = ctx.catalog.relation(
            dot == std::string::npos ? index : table.substr(0, dot + 1) + index);
        if (!t || !ix || ix->kind != schema::RelKind::index) return;
        std::vector<std::string> nullable;
        for (const std::string& name : ix->index_columns) {
            const schema::Column* col = ctx.catalog.column(table, name);
            if (!col || col->not_null) continue;  // an expression, or already NOT NULL
            bool proven = false;
            for (const schema::Constraint& k : t->constraints)
                if (k.type == 'c' && k.valid && !k.uncertain && ctx.config.pg_version >= 12 &&
                    std::find(k.proves_not_null.begin(), k.proves_not_null.end(), name) !=
                        k.proves_not_null.end())
                    proven = true;
            if (!proven) nullable.push_back(name);
        }
        if (nullable.empty()) return;
        Emit e;
        e.span = rules::command_span_at(st, node::integer(c, "location"));
        e.message = "ADD PRIMARY KEY USING INDEX " + quote_identifier(index) +
                    " makes nullable column" + (nullable.size() > 1 ? "s " : " ") +
                    rules::join_names(nullable) + " of " + quote_name(table) +
                    " NOT NULL, which scans the whole table under ACCESS EXCLUSIVE lock; "
                    "add a CHECK (... IS NOT NULL) NOT VALID constraint and validate it first";
        e.risk = Risk::high;
        out.emit(std::move(e));
    }

    StatementFilter statements() const override { return StatementFilter::of({"AlterTableStmt"}); }

    void check(const Statement& st, const Context& ctx, Emitter& out) const override {
        if (st.kind != "AlterTableStmt") return;  // only its commands are read
        std::string table = rules::target_relation(st);
        for (node::Element c : rules::alter_table_defs(st, "AT_AddConstraint", "Constraint")) {
            std::string_view type = node::str(c, "contype");
            if (type != "CONSTR_UNIQUE" && type != "CONSTR_PRIMARY") continue;
            if (rules::created_by_change(ctx, table)) return;
            if (!node::str(c, "indexname").empty()) {
                if (type == "CONSTR_PRIMARY") check_primary_using_index(st, ctx, c, table, out);
                continue;
            }
            bool primary = type == "CONSTR_PRIMARY";
            std::string what = primary ? "PRIMARY KEY" : "UNIQUE";
            std::string_view name = node::str(c, "conname");
            if (!name.empty()) what = quote_identifier(name) + " " + what;
            Emit e;
            e.span = rules::command_span_at(st, node::integer(c, "location"));
            e.message = "ADD CONSTRAINT " + what + " on existing table " + quote_name(table) +
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
            e.span = rules::command_span_at(st, node::integer(col, "location"));
            e.message = "ADD COLUMN " + std::string(node::str(col, "colname")) +
                        (primary ? " PRIMARY KEY" : " UNIQUE") + " on existing table " +
                        quote_name(table) + " builds its index under ACCESS EXCLUSIVE lock";
            if (primary) e.risk = Risk::high;
            out.emit(std::move(e));
        }
    }
};

PGW_REGISTER_RULE(AddUniqueConstraint);

}  // namespace
}  // namespace pgw
