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

    void check(const Statement& st, const Context& ctx, Emitter& out) const override {
        if (st.kind != "IndexStmt" || node::flag(st.node, "concurrent")) return;
        node::Element rel;
        // CREATE INDEX ... ON ONLY parent is the partitioned-table recipe: it builds
        // nothing, the partitions' indexes are built concurrently and attached.
        if (node::get(st.node, "relation", rel) && !node::flag(rel, "inh")) return;
        std::string table = rules::target_relation(st);
        if (table.empty() || rules::created_by_change(ctx, table)) return;
        std::string_view name = node::str(st.node, "idxname");
        std::string what = node::flag(st.node, "unique") ? "CREATE UNIQUE INDEX" : "CREATE INDEX";
        if (!name.empty()) what.append(" ").append(name);
        out.emit(st.span, what + " on existing table " + table +
                              " without CONCURRENTLY blocks writes to it until the index is built");
    }
};

PGW_REGISTER_RULE(RequireConcurrentIndex);

}  // namespace
}  // namespace pgw
