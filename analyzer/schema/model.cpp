// Model operations: names, lookups and placing objects. What drops and renames
// do to dependent objects is in dependents.cpp.
#include "schema/model.h"

#include <algorithm>
#include <cctype>

#include "schema/text.h"

namespace pgw {

std::string normalize_relation(std::string_view schema, std::string_view name) {
    if (schema.empty() || schema == "public") return std::string(name);
    return std::string(schema) + "." + std::string(name);
}

std::string normalize_relation(std::string_view dotted) {
    auto dot = dotted.rfind('.');
    if (dot == std::string_view::npos) return std::string(dotted);
    return normalize_relation(dotted.substr(0, dot), dotted.substr(dot + 1));
}

namespace schema {

Column* Relation::find_column(const std::string& name) {
    // A table of up to 64 columns is scanned: hashing its names into a fresh
    // index (after every change or journal copy) cost more than the compares
    // it saves. Corpus, --jobs 1 (issue 17): always indexed 1,992 M
    // instructions; scanned up to 8 columns 1,989 M, 16 1,983 M, 32 1,976 M,
    // 64 1,970 M, 128 1,970 M. Wider tables keep the index: a file adding
    // thousands of columns stays linear.
    constexpr std::size_t kScanUpTo = 64;
    if (columns.size() <= kScanUpTo) {
        for (Column& c : columns)
            if (c.name == name) return &c;
        return nullptr;
    }
    ColumnIndex& ix = column_index_;
    if (ix.covered > columns.size()) ix = {};
    for (; ix.covered < columns.size(); ++ix.covered)
        if (!ix.first.emplace(columns[ix.covered].name, ix.covered).second) ix.duplicates = true;
    if (!ix.duplicates) {
        auto it = ix.first.find(name);
        if (it == ix.first.end()) return nullptr;
        if (columns[it->second].name == name) return &columns[it->second];
        ix = {};  // renamed behind the index's back: fall back to the scan (and reindex later)
    }
    for (Column& c : columns)
        if (c.name == name) return &c;
    return nullptr;
}

Origin SchemaModel::origin() const {
    return Origin{current_, statement_uncertain};
}

void SchemaModel::begin_migration(std::int32_t ordinal, bool part_of_change) {
    if (ordinal < 0) ordinal = 0;
    if (static_cast<std::size_t>(ordinal) >= change_.size())
        change_.resize(static_cast<std::size_t>(ordinal) + 1, false);
    change_[static_cast<std::size_t>(ordinal)] = part_of_change;
    current_ = ordinal;
}

void SchemaModel::settle(std::int32_t ordinal) {
    if (ordinal >= 0 && static_cast<std::size_t>(ordinal) < change_.size())
        change_[static_cast<std::size_t>(ordinal)] = false;
}

void SchemaModel::adopt_numbering(const SchemaModel& from) {
    change_ = from.change_;
    current_ = from.current_;
}

void SchemaModel::mark_unknown(std::string reason) {
    ++unknown_;
    if (reasons_.size() < kMaxReasons)
        reasons_.push_back(where.empty() ? reason : where + ": " + reason);
}

std::string SchemaModel::creation_key(std::string_view schema, std::string_view name) const {
    if (!schema.empty()) return normalize_relation(schema, name);
    for (const std::string& s : search_path)
        if (s != "$user") return normalize_relation(s, name);
    return std::string(name);
}

std::string SchemaModel::relation_key(std::string_view schema, std::string_view name) const {
    if (!schema.empty()) return normalize_relation(schema, name);
    // PostgreSQL looks in pg_temp, then pg_catalog, before the search path.
    // (Keys are only built for schemas that hold relations: lookups are hot,
    // and most models have no key starting "pg_" at all: one search says so.)
    auto pg = relations.lower_bound(std::string_view("pg_"));
    bool any_pg = pg != relations.end() && pg->first.starts_with("pg_");
    for (std::string_view first : {"pg_temp", "pg_catalog"}) {
        if (!any_pg) break;
        auto it = relations.lower_bound(first);
        if (it == relations.end() || !it->first.starts_with(first)) continue;
        if (std::string key = normalize_relation(first, name); relations.count(key)) return key;
    }
    // With one schema to look in (the usual case) it is also where a new one goes.
    if (std::count_if(search_path.begin(), search_path.end(),
                      [](const std::string& s) { return s != "$user"; }) > 1)
        for (const std::string& s : search_path) {
            std::string key = normalize_relation(s, name);
            if (s != "$user" && relations.count(key)) return key;
        }
    return creation_key(schema, name);
}

std::string SchemaModel::type_key(std::string_view schema, std::string_view name) const {
    if (!schema.empty()) return normalize_relation(schema, name);
    for (const std::string& s : search_path) {
        std::string key = normalize_relation(s, name);
        if (s != "$user" && types.count(key)) return key;
    }
    return creation_key(schema, name);
}

const Relation* SchemaModel::relation(std::string_view name) const {
    auto it = relations.find(relation_key(schema_of(name), bare_name(name)));
    return it == relations.end() ? nullptr : &it->second;
}

const Type* SchemaModel::type(std::string_view name) const {
    auto it = types.find(type_key(schema_of(name), bare_name(name)));
    return it == types.end() ? nullptr : &it->second;
}

Relation* SchemaModel::find_relation(const std::string& key) {
    return relations.edit(key);
}

Relation& SchemaModel::put_relation(const std::string& key, RelKind kind) {
    Relation& r = relations[key] = Relation{};
    static_cast<Origin&>(r) = origin();
    r.kind = kind;
    r.key = key;
    created_names[key] = {kind, current_};
    return r;
}

Relation& SchemaModel::put_placeholder(const std::string& key, RelKind kind) {
    Relation& r = relations[key] = Relation{};
    r.uncertain = true;
    r.columns_partial = true;
    r.kind = kind;
    r.key = key;
    return r;
}

std::string SchemaModel::temp_key(std::string_view name) {
    return normalize_relation("pg_temp", name);
}

bool SchemaModel::name_taken(const std::string& key) const {
    return relations.count(key) > 0;
}

}  // namespace schema
}  // namespace pgw
