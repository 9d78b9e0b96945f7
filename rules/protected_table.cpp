// protected-table: the tables listed in `protected_tables` (users, payments, ...)
// may only change through a migration someone explicitly signed off. Any DDL or
// DML on them is gated like a contract rule (the engine special-cases this id):
// it fails the check until an @override-destructive acknowledges it.
#include "config.h"
#include "support_destructive.h"

namespace pgw {
namespace {

class ProtectedTable final : public Rule {
public:
    const RuleInfo& info() const override {
        static const RuleInfo i{
            "protected-table", Category::policy, Severity::error, Risk::high,
            "any DDL or DML on a table listed in the `protected_tables` configuration",
            "changes to protected tables need an explicit sign-off: get the approvals your "
            "process requires, then acknowledge the statement with "
            "`-- @override-destructive <reason, approver, ticket>` directly above it",
            "-- .pgwarden.json: {\"protected_tables\": [\"users\"]}\n"
            "ALTER TABLE users ADD COLUMN nickname text;",
            "-- @override-destructive approved by the data owner (TICKET-12)\n"
            "ALTER TABLE users ADD COLUMN nickname text;"};
        return i;
    }

    void check(const Statement& st, const Context& ctx, Emitter& out) const override {
        if (ctx.config.protected_tables.empty()) return;
        std::vector<std::string> hit;
        const rules::TouchedRelation* first = nullptr;
        std::vector<rules::TouchedRelation> touched = rules::touched_relations(st);
        for (const rules::TouchedRelation& r : touched) {
            if (!ctx.config.is_protected(r.normalized)) continue;
            if (std::find(hit.begin(), hit.end(), r.normalized) != hit.end()) continue;
            if (!first) first = &r;
            hit.push_back(r.normalized);
        }
        if (!first) return;
        // One finding per statement (one override acknowledges it), pointing at the
        // first protected table's name when the parser says where it is.
        Span span = first->location >= 0 ? rules::name_span(st, first->location) : st.span;
        out.emit(span, first->action + " on " + rules::plural("protected table", hit.size()) +
                           " " + rules::join_names(hit) + " needs an explicit override");
    }
};

PGW_REGISTER_RULE(ProtectedTable);

}  // namespace
}  // namespace pgw
