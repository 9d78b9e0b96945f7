// drop-schema: DROP SCHEMA removes the schema, and with CASCADE every table,
// view, function and type in it: the largest data loss one statement can cause
// short of DROP DATABASE.
#include "support_destructive.h"

namespace pgw {
namespace {

class DropSchema final : public Rule {
  public:
    const RuleInfo& info() const override {
        static const RuleInfo i{
            "drop-schema",
            Category::dangerous,
            Severity::error,
            Risk::high,
            "DROP SCHEMA deletes the schema (with CASCADE: every object and all data in it)",
            "drop the objects of the schema one by one in earlier, reviewed migrations, back up "
            "what may be needed, then drop the empty schema without CASCADE; acknowledge it with "
            "`-- @override-destructive <reason>` and `-- @rollback-plan: <how to restore>`",
            "DROP SCHEMA reporting CASCADE;",
            "-- @override-destructive reporting moved to the warehouse (TICKET-7)\n"
            "-- @rollback-plan: restore schema reporting from the 2026-01-15 dump\n"
            "DROP SCHEMA IF EXISTS reporting;"};
        return i;
    }

    StatementFilter statements() const override { return StatementFilter::of({"DropStmt"}); }

    void check(const Statement& st, const Context& ctx, Emitter& out) const override {
        if (st.kind != "DropStmt" || node::str(st.node, "removeType") != "OBJECT_SCHEMA") return;
        std::vector<std::string> lost;
        for (const std::string& s : rules::drop_targets(st))
            if (!rules::object_created_by_change(ctx, "OBJECT_SCHEMA", s)) lost.push_back(s);
        if (lost.empty()) return;
        bool cascade = node::str(st.node, "behavior") == "DROP_CASCADE";
        std::string schemas = rules::plural("schema", lost.size());
        std::string what = cascade ? " CASCADE deletes the " + schemas +
                                         " with every object and row in " +
                                         (lost.size() > 1 ? "them" : "it")
                                   : " deletes the " + schemas;
        out.emit(st.span, "DROP SCHEMA " + rules::join_names(lost) + what);
    }
};

PGW_REGISTER_RULE(DropSchema);

}  // namespace
}  // namespace pgw
