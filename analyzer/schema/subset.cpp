// The part of a model a rollback pair can touch. check_rollback used to copy
// and diff the whole model for every pair, which cost more than parsing and
// linting the corpus; a pair only reaches relations it names, their indexes
// and sequences, and what depends on them through foreign keys, views and
// column types. Everything else stays out of the copy and out of the diff.
#include <algorithm>
#include <cctype>

#include "frontend/parse.h"
#include "schema/compare.h"
#include "schema/text.h"

namespace pgw::schema {

namespace {

void collect_strings(node::Element e, std::vector<std::string_view>& out) {
    if (e.is_object()) {
        for (auto [k, v] : e.get_object()) collect_strings(v, out);
    } else if (e.is_array()) {
        for (node::Element v : e.get_array()) collect_strings(v, out);
    } else {
        std::string_view s;
        if (!e.get(s)) out.push_back(s);
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
    if (!types.sorted.empty())
        for (const Column& c : r.columns)
            if (type_mentions(c.type, types)) return true;
    return false;
}

template <class Map>
Names present(const Map& objects, const Names& names) {
    Names out;
    for (const auto& [key, object] : objects)
        if (std::string_view bare = bare_name(key); names.count(bare)) out.sorted.push_back(bare);
    finish_names(out);
    return out;
}

}  // namespace

void add_mentioned_names(const Migration& m, Section part, Names& names) {
    for (const Statement& st : m.statements) {
        if (!st.parsed() || m.unit_of(st).section != part) continue;
        collect_strings(st.node, names.sorted);
        // Whole schemas (DROP SCHEMA ... CASCADE, a schema renamed) reach
        // relations that are not named: keep the whole model then.
        std::string_view type = st.kind == "DropStmt"     ? node::str(st.node, "removeType")
                                : st.kind == "RenameStmt" ? node::str(st.node, "renameType")
                                                          : std::string_view();
        if (type == "OBJECT_SCHEMA" || st.kind == "DropOwnedStmt" || st.kind == "ReassignOwnedStmt")
            names.everything = true;
    }
}

void finish_names(Names& names) {
    std::sort(names.sorted.begin(), names.sorted.end());
    names.sorted.erase(std::unique(names.sorted.begin(), names.sorted.end()), names.sorted.end());
    names.set.clear();
    names.set.reserve(names.sorted.size());
    names.set.insert(names.sorted.begin(), names.sorted.end());
}

Names mentioned_names(const Migration& a, const Migration& b) {
    Names names;
    add_mentioned_names(a, Section::up, names);
    add_mentioned_names(b, Section::up, names);
    finish_names(names);
    return names;
}

SchemaModel relevant_part(const SchemaModel& m, const Names& names) {
    SchemaModel out;
    out.adopt_numbering(m);
    out.details = m.details;
    out.search_path = m.search_path;
    // created_names only answers Catalog, and check_rollback starts with no
    // unknown drops: neither is copied.
    Names relations = present(m.relations, names), types = present(m.types, names);
    for (const auto& [key, r] : m.relations)
        if (relevant(r, names, relations, types))
            out.relations.emplace_hint(out.relations.end(), key, r);
    // Routines are reached by their name, triggers and policies by theirs or
    // their table's (only DROP SCHEMA, which keeps everything, goes further).
    // Types (domains and composites over other types) and the rest: whole.
    for (const auto& [key, r] : m.routines)
        if (names.everything || named(std::string_view(key).substr(0, key.find('(')), names))
            out.routines.emplace_hint(out.routines.end(), key, r);
    for (auto [from, to] : {std::pair{&m.triggers, &out.triggers}, {&m.policies, &out.policies}})
        for (const auto& [key, object] : *from)
            if (names.everything || named(key.first, names) || names.count(key.second))
                to->emplace_hint(to->end(), key, object);
    out.types = m.types;
    out.schemas = m.schemas;
    out.extensions = m.extensions;
    return out;
}

}  // namespace pgw::schema
