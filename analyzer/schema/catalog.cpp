#include "schema/catalog.h"

#include "schema/text.h"

namespace pgw {

namespace {

bool table_like(schema::RelKind k) {
    return k == schema::RelKind::table || k == schema::RelKind::foreign_table ||
           k == schema::RelKind::matview;
}

}  // namespace

Catalog::Catalog(std::shared_ptr<const schema::SchemaModel> known) : model_(std::move(known)) {}

const schema::SchemaModel& Catalog::model() const {
    static const schema::SchemaModel empty;
    return model_ ? *model_ : empty;
}

schema::SchemaModel& Catalog::own() {
    if (!model_) {
        auto fresh = std::make_shared<schema::SchemaModel>();
        fresh->details = false;  // the rules ask what exists, not what it looks like
        model_ = std::move(fresh);
        owned_ = true;
    } else if (!owned_ || model_.use_count() > 1) {
        model_ = std::make_shared<schema::SchemaModel>(*model_);
        owned_ = true;
    }
    // Sole owner of a model this Catalog made: nobody else sees the mutation.
    return const_cast<schema::SchemaModel&>(*model_);
}

namespace {

// What the change created under that name: now (the model's relation), or at
// some point (SchemaModel::created_names).
bool created(const schema::SchemaModel& m, std::string_view qualified, bool tables_only) {
    std::string key = m.relation_key(schema::schema_of(qualified), schema::bare_name(qualified));
    auto r = m.relations.find(key);
    if (r != m.relations.end() && r->second.by_change &&
        (!tables_only || table_like(r->second.kind)))
        return true;
    auto named = [&](const std::string& k) {
        auto it = m.created_names.find(k);
        return it != m.created_names.end() && (!tables_only || table_like(it->second));
    };
    return named(key) || (key != qualified && named(normalize_relation(qualified)));
}

}  // namespace

bool Catalog::is_new_table(std::string_view qualified) const {
    return created(model(), qualified, true);
}

bool Catalog::is_new_relation(std::string_view qualified) const {
    return created(model(), qualified, false);
}

void Catalog::add_new_table(std::string qualified) {
    schema::SchemaModel& m = own();
    std::string key = normalize_relation(qualified);
    m.created_names[key] = schema::RelKind::table;
    if (schema::Relation* r = m.find_relation(key)) {
        r->by_change = true;
        return;
    }
    // Known by name only (created by another file of the change set).
    schema::Relation& r = m.put_placeholder(key, schema::RelKind::table);
    r.by_change = true;
}

void Catalog::apply(const Statement& st) {
    if (st.parsed()) own().apply(st);
}

std::set<std::string, std::less<>> Catalog::new_tables() const {
    std::set<std::string, std::less<>> out;
    for (const auto& [key, kind] : model().created_names)
        if (table_like(kind)) out.insert(key);
    return out;
}

}  // namespace pgw
