// require-concurrent-index: CREATE INDEX without CONCURRENTLY holds a SHARE lock on the
// table for the whole build, so every INSERT, UPDATE and DELETE waits until it is done.
#include "locking_support.h"

namespace pgw {
namespace {

class RequireConcurrentIndex final : public Rule {
  public:
    const RuleInfo& info() const override {
        static const RuleInfo i{
            "require-concurrent-index",
            Category::locking,
            Severity::error,
            Risk::medium,
            "CREATE INDEX on an existing table without CONCURRENTLY blocks writes during the build",
            "create the index with CREATE INDEX CONCURRENTLY in its own migration, outside a "
            "transaction (CONCURRENTLY fails inside BEGIN ... COMMIT). A failed concurrent build "
            "leaves an INVALID index: drop it with DROP INDEX CONCURRENTLY IF EXISTS and retry. "
            "For a partitioned table, build the index CONCURRENTLY on each partition, create it "
            "ON ONLY the parent, then ALTER INDEX ... ATTACH PARTITION each one.",
            "CREATE INDEX bookings_user_id_idx ON bookings (user_id);",
            "-- in its own migration, without BEGIN/COMMIT\n"
            "CREATE INDEX CONCURRENTLY IF NOT EXISTS bookings_user_id_idx ON bookings (user_id);"};
        return i;
    }

    StatementFilter statements() const override { return StatementFilter::of({"IndexStmt"}); }

    void check(const Statement& st, const Context& ctx, Emitter& out) const override {
        if (st.kind != "IndexStmt") return;
        node::Element rel;
        // CREATE INDEX ... ON ONLY parent is the partitioned-table recipe: it builds
        // nothing, the partitions' indexes are built concurrently and attached.
        if (node::get(st.node, "relation", rel) && !node::flag(rel, "inh")) return;
        std::string table = rules::target_relation(st);
        if (table.empty() || rules::created_by_change(ctx, table)) return;
        const schema::Relation* t = ctx.catalog.relation(table);
        bool partitioned = t && t->partitioned;
        std::string_view name = node::str(st.node, "idxname");
        std::string what = node::flag(st.node, "unique") ? "CREATE UNIQUE INDEX" : "CREATE INDEX";
        if (!name.empty()) what.append(" ").append(name);
        static const std::string partition_help =
            "a partitioned table has no CONCURRENTLY: CREATE INDEX ... ON ONLY the parent "
            "(instant, invalid until complete), CREATE INDEX CONCURRENTLY on each partition "
            "in its own statement outside a transaction, then ALTER INDEX parent_idx ATTACH "
            "PARTITION partition_idx for each; the parent's index becomes valid once all are "
            "attached";
        if (node::flag(st.node, "concurrent")) {
            // PostgreSQL 15 refuses it (ERROR: cannot create index on partitioned table
            // concurrently; src/backend/commands/indexcmds.c DefineIndex).
            if (partitioned)
                out.emit(Emit{st.span,
                              what + " CONCURRENTLY on partitioned table " + quote_name(table) +
                                  " fails: PostgreSQL cannot build an index on a partitioned "
                                  "table concurrently",
                              partition_help, Risk::none});
            return;
        }
        if (partitioned && all_partitions_indexed(ctx, table, st)) return;
        if (partitioned)
            out.emit(Emit{st.span,
                          what + " on existing partitioned table " + quote_name(table) +
                              " builds the index on every partition while blocking writes to "
                              "them",
                          partition_help, Risk::none});
        else
            out.emit(st.span, what + " on existing table " + quote_name(table) +
                                  " without CONCURRENTLY blocks writes to it until the index is "
                                  "built");
    }

  private:
    // When every partition already has an index on the same columns (built
    // concurrently earlier), PostgreSQL attaches those instead of building.
    static bool all_partitions_indexed(const Context& ctx, const std::string& table,
                                       const Statement& st) {
        std::vector<std::string> columns;
        for (node::Element p : node::List(st.node, "indexParams")) {
            node::Element elem;
            if (!node::as(p, "IndexElem", elem) || node::str(elem, "name").empty()) return false;
            columns.emplace_back(node::str(elem, "name"));
        }
        const schema::SchemaModel& m = ctx.catalog.model();
        bool any = false;
        for (const auto& [key, r] : m.relations) {
            if (r.parent != table) continue;
            any = true;
            bool indexed = false;
            for (const auto& [ikey, ix] : m.relations)
                indexed = indexed || (ix.kind == schema::RelKind::index && ix.table == key &&
                                      ix.index_columns == columns && !ix.uncertain);
            if (!indexed) return false;
        }
        return any;
    }
};

PGW_REGISTER_RULE(RequireConcurrentIndex);

}  // namespace
}  // namespace pgw
