// table-rewrite: ALTER TABLE forms other than a column type change that give an
// existing table new files under ACCESS EXCLUSIVE: SET LOGGED / SET UNLOGGED
// (the data is rewritten, and written to WAL for LOGGED), SET TABLESPACE (every
// block is copied) and SET ACCESS METHOD (every row is rewritten, PostgreSQL 15+).
// No reads or writes of the table until it is done.
// https://www.postgresql.org/docs/15/sql-altertable.html
#include "locking_support.h"
#include "support_destructive.h"

namespace pgw {
namespace {

class TableRewrite final : public Rule {
  public:
    const RuleInfo& info() const override {
        static const RuleInfo i{
            "table-rewrite",
            Category::locking,
            Severity::warning,
            Risk::medium,
            "SET LOGGED / UNLOGGED, SET TABLESPACE or SET ACCESS METHOD rewrites an existing "
            "table under an exclusive lock",
            "these forms hold ACCESS EXCLUSIVE while every block of the table (and, for SET "
            "TABLESPACE, of the table only: indexes move separately) is copied or rewritten, "
            "so reads and writes stop for as long as that takes: run them in a maintenance "
            "window, or build the new table beside the old one and swap",
            "ALTER TABLE events SET UNLOGGED;",
            "-- a new table beside the old one: nothing is locked while it fills\n"
            "CREATE UNLOGGED TABLE IF NOT EXISTS events_new (LIKE events INCLUDING ALL);\n"
            "-- copy in batches, then swap the names in one short transaction"};
        return i;
    }

    StatementFilter statements() const override { return StatementFilter::of({"AlterTableStmt"}); }

    void check(const Statement& st, const Context& ctx, Emitter& out) const override {
        if (st.kind != "AlterTableStmt" || rules::alters_new_table(st, ctx)) return;
        std::string_view objtype = node::str(st.node, "objtype");
        if (objtype != "OBJECT_TABLE" && objtype != "OBJECT_MATVIEW") return;
        std::string table = rules::display_relation(st.node);
        const std::vector<node::Element>& commands = rules::alter_table_commands(st);
        for (std::size_t i = 0; i < commands.size(); ++i) {
            std::string_view sub = node::str(commands[i], "subtype");
            std::string what;
            if (sub == "AT_SetLogged") {
                what = "SET LOGGED rewrites " + table + " and writes all of it to the WAL";
            } else if (sub == "AT_SetUnLogged") {
                what = "SET UNLOGGED rewrites " + table;
            } else if (sub == "AT_SetTableSpace") {
                what = "SET TABLESPACE " + std::string(node::str(commands[i], "name")) +
                       " copies every block of " + table;
            } else if (sub == "AT_SetAccessMethod") {
                if (ctx.config.pg_version < 15) {
                    out.emit(rules::command_span(st, i),
                             "SET ACCESS METHOD needs PostgreSQL 15 (target: " +
                                 std::to_string(ctx.config.pg_version) + "): the statement fails");
                    continue;
                }
                what = "SET ACCESS METHOD " + std::string(node::str(commands[i], "name")) +
                       " rewrites every row of " + table;
            } else {
                continue;
            }
            out.emit(rules::command_span(st, i), what + " under ACCESS EXCLUSIVE lock");
        }
    }
};

PGW_REGISTER_RULE(TableRewrite);

}  // namespace
}  // namespace pgw
