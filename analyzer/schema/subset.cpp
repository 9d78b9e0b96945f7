// The part of a model statements can touch: the relations they name, their
// indexes and sequences, and what depends on them through foreign keys, views
// and column types. A migration's down sections are linted on a copy of that
// part (Engine::lint). Rollback checks and down files copied it too, once per
// pair; they now replay on the set's model in a trial (SchemaModel::Trial).
#include <cctype>

#include "frontend/parse.h"
#include "schema/compare.h"
#include "schema/text.h"

namespace pgw::schema {

namespace {

void collect_strings(node::Element e, Names& out) {
    if (e.is_object()) {
        for (auto [k, v] : e.get_object()) collect_strings(v, out);
    } else if (e.is_array()) {
        for (node::Element v : e.get_array()) collect_strings(v, out);
    } else {
        std::string_view s;
        if (!e.get(s)) out.add(s);
    }
}

bool named(std::string_view key, const Names& names) {
    return !key.empty() && names.count(bare_name(key));
}

// "public.mood[]", "character varying(20)": any identifier in it is a name.
bool type_mentions(std::string_view type, const Names& names) {
    auto ident = [](char c) {
        return std::isalnum(static_cast<unsigned char>(c)) || c == '_' ||
               static_cast<unsigned char>(c) >= 0x80;
    };
    for (std::size_t i = 0; i < type.size();) {
        if (!ident(type[i])) {
            ++i;
            continue;
        }
        std::size_t b = i;
        while (i < type.size() && ident(type[i])) ++i;
        if (names.count(type.substr(b, i - b))) return true;
    }
    return false;
}

// `relations` and `types`: the names of the model's relations and types that
// the statements use. Views and columns depend on those, not on any string
// (a column named id, a type named text).
bool relevant(const Relation& r, const Names& names, const Names& relations, const Names& types) {
    if (names.everything || named(r.key, names) || named(r.table, names)) return true;
    for (const Constraint& c : r.constraints)
        if (named(c.references, names)) return true;
    for (const std::string& used : r.uses)
        if (relations.count(used)) return true;
    if (!types.empty())
        for (const Column& c : r.columns)
            if (type_mentions(c.type, types)) return true;
    return false;
}

template <class Map>
Names present(const Map& objects, const Names& names) {
    Names out;
    for (const auto& [key, object] : objects)
        if (std::string_view bare = bare_name(key); names.count(bare)) out.add(bare);
    return out;
}

}  // namespace

void add_mentioned_names(const Migration& m, Section part, Names& names) {
    for (const Statement& st : m.statements) {
        if (!st.parsed() || m.unit_of(st).section != part) continue;
        collect_strings(st.node, names);
        // Whole schemas (DROP SCHEMA ... CASCADE, a schema renamed) reach
        // relations that are not named: keep the whole model then.
        std::string_view type = st.kind == "DropStmt"     ? node::str(st.node, "removeType")
                                : st.kind == "RenameStmt" ? node::str(st.node, "renameType")
                                                          : std::string_view();
        if (type == "OBJECT_SCHEMA" || st.kind == "DropOwnedStmt" || st.kind == "ReassignOwnedStmt")
            names.everything = true;
    }
}

ModelPart reachable_part(const SchemaModel& m, const Names& names) {
    ModelPart out;
    out.whole = &m;
    Names relations = present(m.relations, names), types = present(m.types, names);
    for (const auto& entry : m.relations)
        if (relevant(entry.second, names, relations, types)) out.relations.push_back(&entry);
    // Routines are reached by their name, triggers and policies by theirs or
    // their table's (only DROP SCHEMA, which keeps everything, goes further).
    // Types (domains and composites over other types) and the rest: whole.
    for (const auto& entry : m.routines) {
        const std::string& key = entry.first;
        if (names.everything || named(std::string_view(key).substr(0, key.find('(')), names))
            out.routines.push_back(&entry);
    }
    for (auto [from, to] : {std::pair{&m.triggers, &out.triggers}, {&m.policies, &out.policies}})
        for (const auto& entry : *from)
            if (names.everything || named(entry.first.first, names) ||
                names.count(entry.first.second))
                to->push_back(&entry);
    return out;
}

ModelPart whole_model(const SchemaModel& m) {
    ModelPart out;
    out.whole = &m;
    out.relations = all_entries(m.relations);
    out.routines = all_entries(m.routines);
    out.triggers = all_entries(m.triggers);
    out.policies = all_entries(m.policies);
    return out;
}

SchemaModel copy_of(const ModelPart& part) {
    const SchemaModel& m = *part.whole;
    SchemaModel out;
    out.adopt_numbering(m);
    out.details = m.details;
    out.search_path = m.search_path;
    // created_names only answers Catalog, and a down section's scratch starts
    // with no unknown drops: neither is copied.
    for (const auto* entry : part.relations) out.relations.append(*entry);
    for (const auto* entry : part.routines) out.routines.append(*entry);
    for (const auto* entry : part.triggers) out.triggers.append(*entry);
    for (const auto* entry : part.policies) out.policies.append(*entry);
    out.types = m.types;
    out.schemas = m.schemas;
    out.extensions = m.extensions;
    return out;
}

}  // namespace pgw::schema
