// concurrently-in-transaction: PostgreSQL refuses CREATE/DROP INDEX CONCURRENTLY,
// REINDEX CONCURRENTLY and DETACH PARTITION CONCURRENTLY inside a transaction block,
// so the migration fails at deploy time.
#include "locking_support.h"
#include "sets/migration_set.h"
#include "tools/tool.h"

namespace pgw {
namespace {

class ConcurrentlyInTransaction final : public Rule {
  public:
    const RuleInfo& info() const override {
        static const RuleInfo i{
            "concurrently-in-transaction",
            Category::locking,
            Severity::error,
            Risk::none,
            "a CONCURRENTLY operation inside a transaction fails",
            "move the CONCURRENTLY statement into its own migration that runs outside a "
            "transaction: no BEGIN/COMMIT around it, and tell the migration runner not to wrap "
            "the file (for example `-- +goose NO TRANSACTION`, `disable_ddl_transaction!`, "
            "Flyway `executeInTransaction=false`). A DO block always runs in a transaction: "
            "write the statement at top level instead.",
            "BEGIN;\n"
            "CREATE INDEX CONCURRENTLY bookings_user_id_idx ON bookings (user_id);\n"
            "COMMIT;",
            "-- its own migration, not wrapped in a transaction\n"
            "CREATE INDEX CONCURRENTLY IF NOT EXISTS bookings_user_id_idx ON bookings (user_id);"};
        return i;
    }

    StatementFilter statements() const override {
        return StatementFilter::of({"IndexStmt", "DropStmt", "ReindexStmt", "AlterTableStmt"});
    }

    void check(const Statement& st, const Context& ctx, Emitter& out) const override {
        std::string op = rules::locking::concurrent_operation(st);
        if (op.empty()) return;
        // It fails whatever the table: no existing-table test here.
        const std::string& tool = ctx.facts->tool;
        std::string where;
        if (st.do_depth > 0)
            where = "a DO block, which always runs in a transaction";
        else if (ctx.explicit_transaction)
            where = "the transaction opened by BEGIN";
        else if (ctx.batch)
            where = "one multi-statement query (" + tool +
                    " sends the file or section at once), which PostgreSQL runs as one implicit "
                    "transaction block even across a COMMIT";
        else if (ctx.in_transaction && tool != "plain")
            where = "the transaction " + tool + " runs the file in";
        else if (ctx.in_transaction)
            where = "the transaction the migration runner wraps the file in";
        if (where.empty()) return;
        std::string help;
        if (const tools::Tool* t = tools::find_tool(tool); t && !t->outside_transaction().empty())
            help = std::string(t->outside_transaction());
        out.emit(Emit{st.span, op + " cannot run inside a transaction block; it is inside " + where,
                      help, Risk::none});
    }
};

PGW_REGISTER_RULE(ConcurrentlyInTransaction);

}  // namespace
}  // namespace pgw
