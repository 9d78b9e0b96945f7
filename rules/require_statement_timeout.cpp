// require-statement-timeout (opt-in): a statement that rewrites or scans an existing
// table, or builds an index on it, runs as long as the table is big while holding
// its lock. `SET statement_timeout` bounds that: the migration fails and rolls back
// instead of blocking the table for an unknown time. Reported once per file (and
// down section), on the first such statement.
// https://www.postgresql.org/docs/15/runtime-config-client.html#GUC-STATEMENT-TIMEOUT
#include "locking_support.h"
#include "schema/effects.h"

namespace pgw {
namespace {

class RequireStatementTimeout final : public Rule {
  public:
    const RuleInfo& info() const override {
        static const RuleInfo i{
            "require-statement-timeout",
            Category::locking,
            Severity::off,
            Risk::none,
            "a statement that rewrites, scans or indexes an existing table under a lock with no "
            "statement_timeout set",
            "set `SET statement_timeout = '...'` (or SET LOCAL inside the transaction) before "
            "the statement, sized from the table's measured duration on a copy of production, "
            "so a slow rewrite aborts and rolls back instead of holding the lock indefinitely; "
            "do not bound CREATE INDEX CONCURRENTLY this way (a cancelled build leaves an "
            "invalid index behind)",
            "ALTER TABLE orders ALTER COLUMN id TYPE bigint;",
            "SET statement_timeout = '15min';\nALTER TABLE orders ALTER COLUMN id TYPE bigint;"};
        return i;
    }

    void check(const Statement& st, const Context& ctx, Emitter& out) const override {
        if (ctx.statement_timeout_set || st.do_depth != 0) return;
        // One finding per section: once made, later statements need no look.
        std::string section = ctx.unit().section == Section::down ? "down" : "up";
        if (ctx.notes->seen(this, section)) return;
        schema::Effects effects =
            schema::predict_effects(st, ctx.catalog.model(), ctx.config.pg_version);
        if (effects.concurrent) return;
        const schema::RelationEffect* slow = nullptr;
        for (const schema::RelationEffect& r : effects.relations)
            if ((r.rewrite || r.maybe_rewrite || r.scan) && r.lock >= schema::LockMode::share &&
                !rules::created_by_change(ctx, r.relation)) {
                slow = &r;
                break;
            }
        if (!slow) return;
        ctx.notes->remember(this, section);
        std::string what = slow->rewrite         ? "rewrites"
                           : slow->maybe_rewrite ? "may rewrite"
                                                 : "reads every row of";
        out.emit(st.span, "this statement " + what + " " + slow->relation + " under " +
                              std::string(schema::lock_sql(slow->lock)) +
                              " lock and no SET statement_timeout precedes it: it holds the "
                              "lock for as long as the table takes");
    }
};

PGW_REGISTER_RULE(RequireStatementTimeout);

}  // namespace
}  // namespace pgw
