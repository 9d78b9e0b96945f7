// blocking-maintenance: maintenance commands that lock a live table for as long as
// they run: VACUUM FULL and CLUSTER rewrite it, REINDEX rebuilds its indexes, LOCK TABLE
// holds whatever it asked for until COMMIT, REFRESH MATERIALIZED VIEW blocks readers.
#include "locking_support.h"

namespace pgw {
namespace {

namespace lk = rules::locking;

class BlockingMaintenance final : public Rule {
  public:
    const RuleInfo& info() const override {
        static const RuleInfo i{
            "blocking-maintenance",
            Category::locking,
            Severity::warning,
            Risk::medium,
            "VACUUM FULL, CLUSTER, REINDEX, LOCK TABLE or a plain REFRESH MATERIALIZED VIEW "
            "blocks the table while it runs",
            "keep maintenance out of migrations: use pg_repack (or pg_squeeze) instead of "
            "VACUUM FULL / CLUSTER, REINDEX ... CONCURRENTLY (PostgreSQL 12+) outside a "
            "transaction, REFRESH MATERIALIZED VIEW CONCURRENTLY (needs a unique index on the "
            "view), and no explicit LOCK TABLE; if a blocking operation is unavoidable, run it "
            "in a maintenance window with a short lock_timeout",
            "VACUUM FULL bookings;\nREINDEX TABLE bookings;\n"
            "REFRESH MATERIALIZED VIEW booking_stats;",
            "REINDEX TABLE CONCURRENTLY bookings;\n"
            "REFRESH MATERIALIZED VIEW CONCURRENTLY booking_stats;",
            "REINDEX CONCURRENTLY exists from PostgreSQL 12; before 12 an index is rebuilt "
            "without blocking by CREATE INDEX CONCURRENTLY + DROP INDEX CONCURRENTLY + rename"};
        return i;
    }

    StatementFilter statements() const override {
        return StatementFilter::of(
            {"VacuumStmt", "ClusterStmt", "ReindexStmt", "LockStmt", "RefreshMatViewStmt"});
    }

    void check(const Statement& st, const Context& ctx, Emitter& out) const override {
        std::string msg = problem(st, ctx);
        if (msg.empty()) return;
        // PostgreSQL refuses REINDEX SYSTEM CONCURRENTLY ("cannot reindex system
        // catalogs concurrently"): the rule's usual advice would not run.
        // https://www.postgresql.org/docs/15/sql-reindex.html
        if (st.kind == "ReindexStmt" && node::str(st.node, "kind") == "REINDEX_OBJECT_SYSTEM")
            out.emit(Emit{st.span,
                          msg,
                          "system catalogs cannot be reindexed concurrently: keep REINDEX "
                          "SYSTEM out of migrations and run it in a maintenance window",
                          {}});
        else
            out.emit(st.span, msg);
    }

  private:
    static std::string problem(const Statement& st, const Context& ctx) {
        const node::Element n = st.node;
        // Maintenance of what the change itself creates disturbs nobody.
        auto existing = [&](const std::string& rel) { return !rules::created_by_change(ctx, rel); };
        auto first_existing = [&](const std::vector<std::string>& rels) {
            for (const auto& r : rels)
                if (existing(r)) return quote_name(r);
            return std::string();
        };
        if (st.kind == "VacuumStmt") {
            if (!lk::option_enabled(n, "options", "full")) return {};
            std::vector<std::string> rels = lk::relation_list(n, "rels");
            std::string target = rels.empty() ? "every table" : first_existing(rels);
            if (target.empty()) return {};
            return "VACUUM FULL rewrites " + target + " under ACCESS EXCLUSIVE lock";
        }
        if (st.kind == "ClusterStmt") {
            std::string rel = rules::target_relation(st);
            if (!rel.empty() && !existing(rel)) return {};
            return "CLUSTER rewrites " + (rel.empty() ? "every clustered table" : quote_name(rel)) +
                   " under ACCESS EXCLUSIVE lock";
        }
        if (st.kind == "ReindexStmt") return reindex(st, ctx, existing);
        if (st.kind == "LockStmt") {
            // Below SHARE (mode 5), a LOCK TABLE lets writes through.
            if (node::integer(n, "mode", 8) < 5) return {};
            std::string rel = first_existing(lk::relation_list(n, "relations"));
            if (rel.empty()) return {};
            return "LOCK TABLE " + rel + " blocks writes" +
                   (node::integer(n, "mode", 8) == 8 ? " and reads" : "") +
                   " until the transaction ends";
        }
        if (st.kind == "RefreshMatViewStmt" && !node::flag(n, "concurrent")) {
            std::string rel = rules::target_relation(st);
            if (rel.empty() || !existing(rel)) return {};
            return "REFRESH MATERIALIZED VIEW " + quote_name(rel) +
                   " without CONCURRENTLY blocks every read of it until the refresh ends";
        }
        return {};
    }

    template <class Existing>
    static std::string reindex(const Statement& st, const Context& ctx, Existing existing) {
        if (lk::option_enabled(st.node, "params", "concurrently")) {
            if (node::str(st.node, "kind") == "REINDEX_OBJECT_SYSTEM")
                return "REINDEX SYSTEM CONCURRENTLY fails: PostgreSQL cannot reindex system "
                       "catalogs concurrently";
            if (ctx.config.pg_version >= 12) return {};
            return "REINDEX CONCURRENTLY needs PostgreSQL 12 (target: " +
                   std::to_string(ctx.config.pg_version) +
                   "): the statement fails; rebuild with CREATE INDEX CONCURRENTLY, "
                   "DROP INDEX CONCURRENTLY and rename";
        }
        std::string_view kind = node::str(st.node, "kind");
        std::string rel = rules::target_relation(st);
        std::string target;
        if (kind == "REINDEX_OBJECT_TABLE") {
            if (!existing(rel)) return {};
            target = "TABLE " + quote_name(rel);
        } else if (kind == "REINDEX_OBJECT_INDEX") {
            if (lk::index_created_by_change(ctx, rel)) return {};
            target = "INDEX " + quote_name(rel);
        } else {
            std::string name(node::str(st.node, "name"));
            if (kind == "REINDEX_OBJECT_SCHEMA")
                target = "SCHEMA " + quote_identifier(name);
            else if (kind == "REINDEX_OBJECT_SYSTEM")
                target = "SYSTEM" + (name.empty() ? "" : " " + quote_identifier(name));
            else
                target = "DATABASE" + (name.empty() ? "" : " " + quote_identifier(name));
        }
        std::string msg = "REINDEX " + target +
                          " without CONCURRENTLY blocks writes (and reads "
                          "that use the index) until the rebuild ends";
        if (ctx.config.pg_version < 12)
            msg += "; REINDEX CONCURRENTLY needs PostgreSQL 12 (target: " +
                   std::to_string(ctx.config.pg_version) +
                   "): rebuild with CREATE INDEX CONCURRENTLY, DROP INDEX CONCURRENTLY and rename";
        return msg;
    }
};

PGW_REGISTER_RULE(BlockingMaintenance);

}  // namespace
}  // namespace pgw
