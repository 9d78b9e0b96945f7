// detach-partition: DETACH PARTITION without CONCURRENTLY takes ACCESS EXCLUSIVE on
// the partitioned table, so every query on any partition waits behind it. From
// PostgreSQL 14, DETACH PARTITION ... CONCURRENTLY takes only SHARE UPDATE
// EXCLUSIVE (it cannot run in a transaction block, nor when a DEFAULT partition
// exists). https://www.postgresql.org/docs/15/sql-altertable.html#SQL-ALTERTABLE-DETACH-PARTITION
#include "locking_support.h"
#include "support_destructive.h"

namespace pgw {
namespace {

class DetachPartition final : public Rule {
  public:
    const RuleInfo& info() const override {
        static const RuleInfo i{
            "detach-partition",
            Category::locking,
            Severity::warning,
            Risk::medium,
            "DETACH PARTITION without CONCURRENTLY locks the whole partitioned table",
            "on PostgreSQL 14+ write ALTER TABLE ... DETACH PARTITION ... CONCURRENTLY in a "
            "migration that runs outside a transaction: it takes SHARE UPDATE EXCLUSIVE on the "
            "table and lets queries continue, locking only the partition itself exclusively "
            "for a moment at the end (not possible while the table has a DEFAULT partition); if "
            "it is interrupted, finish it with DETACH PARTITION ... FINALIZE",
            "ALTER TABLE measurements DETACH PARTITION measurements_2023;",
            "-- outside a transaction:\n"
            "ALTER TABLE measurements DETACH PARTITION measurements_2023 CONCURRENTLY;"};
        return i;
    }

    StatementFilter statements() const override { return StatementFilter::of({"AlterTableStmt"}); }

    void check(const Statement& st, const Context& ctx, Emitter& out) const override {
        if (st.kind != "AlterTableStmt" || ctx.config.pg_version < 14) return;
        if (rules::alters_new_table(st, ctx)) return;
        const std::vector<node::Element>& commands = rules::alter_table_commands(st);
        for (std::size_t i = 0; i < commands.size(); ++i) {
            node::Element def, part;
            if (node::str(commands[i], "subtype") != "AT_DetachPartition" ||
                !node::get(commands[i], "def", def) || !node::as(def, "PartitionCmd", part) ||
                node::flag(part, "concurrent"))
                continue;
            out.emit(rules::command_span(st, i),
                     "DETACH PARTITION " + rules::locking::relation_field(part, "name") +
                         " takes ACCESS EXCLUSIVE on " + rules::display_relation(st.node) +
                         ": every query on the table and its partitions waits until the "
                         "transaction ends; use DETACH PARTITION ... CONCURRENTLY");
        }
    }
};

PGW_REGISTER_RULE(DetachPartition);

}  // namespace
}  // namespace pgw
