// require-lock-timeout: a statement waiting for an ACCESS EXCLUSIVE or SHARE lock queues
// behind any long query on the table, and every later query queues behind it: a brief
// DDL becomes an outage. `SET lock_timeout` makes it give up instead. Reported once per
// file, on the first such statement.
#include <map>

#include "locking_support.h"

namespace pgw {
namespace {

namespace lk = rules::locking;

class RequireLockTimeout final : public Rule {
  public:
    const RuleInfo& info() const override {
        static const RuleInfo i{
            "require-lock-timeout",
            Category::locking,
            Severity::warning,
            Risk::none,
            "a statement that takes a strong lock on an existing table with no lock_timeout set",
            "start the migration with `SET lock_timeout = '5s';` (or `SET LOCAL` inside the "
            "transaction) so a blocked ALTER gives up instead of stalling every query queued "
            "behind it, and let the deploy retry; consider statement_timeout as well",
            "ALTER TABLE bookings ADD COLUMN tags text[];",
            "SET lock_timeout = '5s';\nALTER TABLE bookings ADD COLUMN tags text[];"};
        return i;
    }

    void check(const Statement& st, const Context& ctx, Emitter& out) const override {
        if (ctx.lock_timeout_set) return;
        auto existing_now = [&](const std::string& rel) {
            return !rules::created_by_change(ctx, rel);
        };
        std::string target = lk::blocking_lock_target(st, ctx, existing_now, ctx.statement_index);
        if (target.empty() || earlier_blocking_statement(ctx)) return;
        out.emit(st.span, "this statement locks " + target +
                              " (SHARE or stronger) and no SET lock_timeout precedes it; "
                              "waiting for the lock blocks every query queued behind it");
    }

  private:
    // Rules are shared across threads, so "first in the file" is recomputed from the
    // statements before this one. The catalog reflects the current statement only: a
    // table this file creates at index k is treated as existing for statements before k.
    static bool earlier_blocking_statement(const Context& ctx) {
        const auto& all = ctx.migration.statements;
        std::size_t end = std::min(ctx.statement_index, all.size());
        std::map<std::string, std::size_t, std::less<>> created_at;
        for (std::size_t j = 0; j < end; ++j) {
            std::string made = created_relation(all[j]);
            if (!made.empty()) created_at.emplace(std::move(made), j);
        }
        for (std::size_t j = 0; j < end; ++j) {
            const Statement& e = all[j];
            if (!e.parsed()) continue;
            auto existing_then = [&](const std::string& rel) {
                if (!rules::created_by_change(ctx, rel)) return true;
                auto it = created_at.find(rel);
                return it != created_at.end() && it->second >= j;
            };
            if (!lk::blocking_lock_target(e, ctx, existing_then, j).empty()) return true;
        }
        return false;
    }

    // The table a statement brings into being, normalized (empty for other statements).
    static std::string created_relation(const Statement& st) {
        node::Element into, rel;
        if (st.kind == "CreateStmt") return lk::relation_field(st.node, "relation");
        if (st.kind == "CreateTableAsStmt" && node::get(st.node, "into", into))
            return lk::relation_field(into, "rel");
        if (st.kind == "RenameStmt" && node::str(st.node, "renameType") == "OBJECT_TABLE" &&
            node::get(st.node, "relation", rel))
            return normalize_relation(node::str(rel, "schemaname"), node::str(st.node, "newname"));
        return {};
    }
};

PGW_REGISTER_RULE(RequireLockTimeout);

}  // namespace
}  // namespace pgw
