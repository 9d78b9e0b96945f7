// drop-object: DROP of anything other than a table, an index or a schema (those
// have their own rules): views, functions, types, sequences, triggers, policies,
// extensions, ... Clients, other objects and behaviour (triggers, row security)
// depend on them, and CASCADE silently takes dependent objects, even columns, along.
#include <cctype>

#include "support_destructive.h"

namespace pgw {
namespace {

// Objects that exist inside the change already: dropping them breaks nobody.
bool new_object(const Context& ctx, std::string_view type, const std::string& key) {
    if (rules::created_in_file(ctx, type, key, /*before=*/true)) return true;
    // DROP VIEW v; CREATE VIEW v ...: the usual way to change what CREATE OR REPLACE
    // cannot (a view's columns, a function's signature, a trigger's definition).
    if (rules::created_in_file(ctx, type, key, /*before=*/false)) return true;
    if (type == "OBJECT_TRIGGER" || type == "OBJECT_POLICY" || type == "OBJECT_RULE")
        return rules::created_by_change(ctx, normalize_relation(key.substr(0, key.rfind('.'))));
    if (type == "OBJECT_VIEW" || type == "OBJECT_MATVIEW" || type == "OBJECT_SEQUENCE" ||
        type == "OBJECT_FOREIGN_TABLE")
        return ctx.catalog.is_new_relation(key);
    return false;
}

class DropObject final : public Rule {
  public:
    const RuleInfo& info() const override {
        static const RuleInfo i{
            "drop-object",
            Category::contract,
            Severity::error,
            Risk::medium,
            "DROP of a view, function, type, sequence, trigger, policy, extension or other "
            "object that others depend on",
            "deploy code that no longer uses the object first, and check its dependents "
            "(pg_depend) rather than relying on CASCADE; to change a view or function, prefer "
            "CREATE OR REPLACE, or drop and re-create it in the same migration. Acknowledge the "
            "drop with `-- @override-destructive <reason>`",
            "DROP VIEW active_users CASCADE;",
            "-- @override-destructive no reader left since release 42 (pg_stat_statements)\n"
            "DROP VIEW IF EXISTS active_users;"};
        return i;
    }

    void check(const Statement& st, const Context& ctx, Emitter& out) const override {
        if (st.kind == "DropOwnedStmt" && !ctx.rollback_file) {
            out.emit(Emit{st.span,
                          "DROP OWNED drops every object the role owns, tables and their data "
                          "included",
                          {},
                          Risk::high});
            return;
        }
        if (st.kind != "DropStmt" || ctx.rollback_file) return;
        std::string_view type = node::str(st.node, "removeType");
        if (type == "OBJECT_TABLE" || type == "OBJECT_INDEX" || type == "OBJECT_SCHEMA") return;
        std::vector<std::string> names = rules::drop_display_names(st);
        std::vector<std::string> keys = rules::drop_keys(st);
        std::vector<std::string> lost;
        for (std::size_t i = 0; i < names.size() && i < keys.size(); ++i)
            if (!new_object(ctx, type, keys[i])) lost.push_back(names[i]);
        if (lost.empty()) return;
        // CASCADE can drop columns (DROP TYPE ... CASCADE) and tables' defaults: data loss.
        bool cascade = node::str(st.node, "behavior") == "DROP_CASCADE";
        std::string kind = rules::object_kind_label(type);
        std::string lower = kind;
        for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        std::string it = lost.size() > 1 ? "them" : "it";
        out.emit(Emit{st.span,
                      "DROP " + kind + " " + rules::join_names(lost) + " removes the " +
                          rules::plural(lower, lost.size()) +
                          (cascade ? " and, with CASCADE, everything that depends on " + it
                                   : ": clients and objects that use " + it + " break"),
                      {},
                      cascade ? Risk::high : Risk::none});
    }
};

PGW_REGISTER_RULE(DropObject);

}  // namespace
}  // namespace pgw
