#include "schema/catalog.h"

#include "schema/text.h"

namespace pgw {

namespace {

bool table_like(schema::RelKind k) {
    return k == schema::RelKind::table || k == schema::RelKind::foreign_table ||
           k == schema::RelKind::matview;
}

// What the change created under that name: now (the model's relation), or at
// some point (SchemaModel::created_names).
bool created(const schema::SchemaModel& m, std::string_view qualified, bool tables_only) {
    std::string key = m.relation_key(schema::schema_of(qualified), schema::bare_name(qualified));
    auto r = m.relations.find(key);
    if (r != m.relations.end() && m.by_change(r->second) &&
        (!tables_only || table_like(r->second.kind)))
        return true;
    auto named = [&](const std::string& k) {
        auto it = m.created_names.find(k);
        return it != m.created_names.end() && m.by_change(it->second.creator) &&
               (!tables_only || table_like(it->second.kind));
    };
    return named(key) || (key != qualified && named(normalize_relation(qualified)));
}

}  // namespace

bool Catalog::is_new_table(std::string_view qualified) const {
    return created(*model_, qualified, true);
}

bool Catalog::is_new_relation(std::string_view qualified) const {
    return created(*model_, qualified, false);
}

const schema::Relation* Catalog::relation(std::string_view qualified) const {
    return model_->relation(qualified);
}

const schema::Column* Catalog::column(std::string_view table, std::string_view name) const {
    const schema::Relation* t = relation(table);
    if (!t) return nullptr;
    for (const schema::Column& c : t->columns)
        if (c.name == name && !c.dropped) return &c;
    return nullptr;
}

const schema::Constraint* Catalog::constraint(std::string_view table, std::string_view name) const {
    const schema::Relation* t = relation(table);
    if (!t) return nullptr;
    for (const schema::Constraint& c : t->constraints)
        if (c.name == name) return &c;
    return nullptr;
}

std::set<std::string, std::less<>> Catalog::new_tables() const {
    std::set<std::string, std::less<>> out;
    for (const auto& [key, created] : model_->created_names)
        if (table_like(created.kind) && model_->by_change(created.creator)) out.insert(key);
    return out;
}

}  // namespace pgw
