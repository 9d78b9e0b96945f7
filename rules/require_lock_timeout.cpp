// require-lock-timeout: a statement waiting for an ACCESS EXCLUSIVE or SHARE lock queues
// behind any long query on the table, and every later query queues behind it: a brief
// DDL becomes an outage. `SET lock_timeout` makes it give up instead. Reported once per
// file, on the first such statement.
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
        // Only the file's first strong lock is judged: the timeout set before it
        // (or not) is the file's policy. Once it was, later statements need no look.
        std::string section = ctx.unit().section == Section::down ? "down" : "up";
        if (ctx.notes->seen(this, section)) return;
        auto existing = [&](const std::string& rel) { return !rules::created_by_change(ctx, rel); };
        std::string target = lk::blocking_lock_target(st, ctx, existing);
        if (target.empty()) return;
        ctx.notes->remember(this, section);
        if (ctx.lock_timeout_set) return;
        if (lk::concurrent_operation(st) == "DETACH PARTITION CONCURRENTLY")
            out.emit(st.span, "DETACH PARTITION CONCURRENTLY on " + target +
                                  " waits for every transaction that uses the table, and no "
                                  "SET lock_timeout precedes it: a long query stalls the "
                                  "migration indefinitely");
        else
            out.emit(st.span, "this statement locks " + target +
                                  " (SHARE or stronger) and no SET lock_timeout precedes it; "
                                  "waiting for the lock blocks every query queued behind it");
    }
};

PGW_REGISTER_RULE(RequireLockTimeout);

}  // namespace
}  // namespace pgw
