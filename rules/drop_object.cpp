// drop-object: DROP of anything other than a table, an index or a schema (those
// have their own rules): views, functions, types, sequences, triggers, policies,
// extensions, ... Clients, other objects and behaviour (triggers, row security)
// depend on them, and CASCADE silently takes dependent objects, even columns, along.
#include <cctype>

#include "support_destructive.h"

namespace pgw {
namespace {

// The enum swap (Prisma's way to remove a value): `ALTER TYPE mood RENAME TO
// mood_old`, a new mood, the columns converted, `DROP TYPE mood_old`. The
// dropped type is the copy this migration renamed out of the way; only the
// columns' type change is a real change (alter-column-type judges it). Without
// CASCADE PostgreSQL refuses the drop while a column still uses it.
bool swapped_out(const Context& ctx, std::string_view type, const std::string& key, bool cascade) {
    if ((type != "OBJECT_TYPE" && type != "OBJECT_DOMAIN") || cascade) return false;
    const schema::SchemaModel& m = ctx.catalog.model();
    const schema::Type* t = m.type(key);
    return t && !t->renamed_from.empty() && m.by_change(t->renamed_in) &&
           m.types.count(t->renamed_from) > 0;
}

// Objects that exist inside the change already: dropping them breaks nobody.
bool new_object(const Context& ctx, const Rule* rule, std::string_view type, const std::string& key,
                bool cascade) {
    // DROP VIEW v; CREATE VIEW v ...: the usual way to change what CREATE OR REPLACE
    // cannot (a view's columns, a function's signature, a trigger's definition).
    return rules::object_created_by_change(ctx, type, key) ||
           rules::noted_creation(ctx, rule, type, key) || rules::created_later(ctx, type, key) ||
           swapped_out(ctx, type, key, cascade);
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
        rules::note_creations(ctx, this, st);
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
        // CASCADE can drop columns (DROP TYPE ... CASCADE) and tables' defaults: data loss.
        bool cascade = node::str(st.node, "behavior") == "DROP_CASCADE";
        std::vector<std::string> lost;
        for (std::size_t i = 0; i < names.size() && i < keys.size(); ++i)
            if (!new_object(ctx, this, type, keys[i], cascade)) lost.push_back(names[i]);
        if (lost.empty()) return;
        std::string kind = rules::object_kind_label(type);
        std::string lower = kind;
        for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        std::string it = lost.size() > 1 ? "them" : "it";
        out.emit(Emit{st.span,
                      "DROP " + kind + " " + rules::join_list(lost) + " removes the " +
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
