// Statement -> schema model: DROP, RENAME and SET SCHEMA of every object kind
// the model tracks.
#include <algorithm>
#include <cctype>
#include <optional>

#include "schema/replay.h"
#include "schema/text.h"

namespace pgw::schema {

namespace {

bool is_relation_object(std::string_view t) {
    return t == "OBJECT_TABLE" || t == "OBJECT_VIEW" || t == "OBJECT_MATVIEW" ||
           t == "OBJECT_INDEX" || t == "OBJECT_SEQUENCE" || t == "OBJECT_FOREIGN_TABLE";
}

bool is_routine_object(std::string_view t) {
    return t == "OBJECT_FUNCTION" || t == "OBJECT_PROCEDURE" || t == "OBJECT_AGGREGATE" ||
           t == "OBJECT_ROUTINE";
}

RelKind rel_kind(std::string_view object_type) {
    if (object_type == "OBJECT_VIEW") return RelKind::view;
    if (object_type == "OBJECT_MATVIEW") return RelKind::matview;
    if (object_type == "OBJECT_INDEX") return RelKind::index;
    if (object_type == "OBJECT_SEQUENCE") return RelKind::sequence;
    if (object_type == "OBJECT_FOREIGN_TABLE") return RelKind::foreign_table;
    return RelKind::table;
}

std::string_view routine_name_of(std::string_view key) {
    return key.substr(0, key.find('('));
}

}  // namespace

void Replay::drop(node::Element f) {
    std::string_view type = node::str(f, "removeType");
    bool cascade = node::str(f, "behavior") == "DROP_CASCADE";
    for (node::Element obj : node::List(f, "objects")) {
        std::vector<std::string> names = object_names(obj);
        node::Element owa;
        if (is_relation_object(type)) {
            auto [schema, name] = split_names(names);
            std::string key = m_.relation_key(schema, name);
            if (!m_.find_relation(key)) m_.dropped_unknown.insert("relation:" + key);
            m_.drop_relation(key, cascade);
        } else if (type == "OBJECT_TYPE" || type == "OBJECT_DOMAIN") {
            auto [schema, name] = split_names(names);
            std::string key = m_.type_key(schema, name);
            if (!m_.types.count(key)) m_.dropped_unknown.insert("type:" + key);
            m_.drop_type(key, cascade);
        } else if (is_routine_object(type) && node::as(obj, "ObjectWithArgs", owa)) {
            std::string key = routine_key(owa);
            if (!m_.routines.count(key))
                m_.dropped_unknown.insert("routine:" + std::string(routine_name_of(key)));
            // DROP FUNCTION f without arguments: the one function named f.
            if (node::flag(owa, "args_unspecified")) {
                std::string name(routine_name_of(key));
                m_.routines.erase_if([&](const auto& r) { return r.second.name == name; });
            } else {
                m_.routines.erase(key);
            }
        } else if ((type == "OBJECT_TRIGGER" || type == "OBJECT_POLICY") && names.size() >= 2) {
            std::string name = names.back();
            names.pop_back();
            auto [schema, table] = split_names(names);
            bool trigger = type == "OBJECT_TRIGGER";
            auto& objects = trigger ? m_.triggers : m_.policies;
            TableObjectKey key{m_.relation_key(schema, table), name};
            if (!objects.erase(key))
                m_.dropped_unknown.insert((trigger ? "trigger:" : "policy:") + key.first + "." +
                                          key.second);
        } else if (type == "OBJECT_SCHEMA" && !names.empty()) {
            if (!m_.schemas.count(names[0])) m_.dropped_unknown.insert("schema:" + names[0]);
            m_.drop_schema(names[0], cascade);
        } else if (type == "OBJECT_EXTENSION" && !names.empty()) {
            if (!m_.extensions.erase(names[0])) m_.dropped_unknown.insert("extension:" + names[0]);
            if (cascade)
                m_.mark_unknown(
                    "DROP EXTENSION ... CASCADE drops objects of the extension's "
                    "types the model cannot see");
        }
    }
}

void Replay::rename(node::Element f) {
    std::string_view type = node::str(f, "renameType");
    std::string newname(node::str(f, "newname"));
    node::Element obj, owa, rv;
    if (!node::get(f, "object", obj)) obj = f;  // never read a default element
    if (is_relation_object(type)) {
        rename_relation(f);
    } else if (type == "OBJECT_COLUMN" || type == "OBJECT_TABCONSTRAINT" ||
               type == "OBJECT_TRIGGER" || type == "OBJECT_POLICY") {
        rename_in_table(f);
    } else if (type == "OBJECT_TYPE" || type == "OBJECT_DOMAIN") {
        auto [schema, name] = split_names(object_names(obj));
        std::string key = m_.type_key(schema, name);
        std::string to = normalize_relation(schema_of(key), newname);
        if (m_.types.count(key)) {
            m_.rename_type(key, to);
            touch(m_.types[to]);
        } else if (!missing_ok(f)) {
            Type& t = m_.types[to] = Type{};
            static_cast<Origin&>(t) = Origin{Origin::kBefore, true};
            t.renamed_from = key;  // a type the replay never saw, renamed all the same
            t.renamed_in = m_.current();
        }
    } else if ((type == "OBJECT_ATTRIBUTE" || type == "OBJECT_DOMCONSTRAINT")) {
        // ALTER TYPE t RENAME ATTRIBUTE a TO b / ALTER DOMAIN d RENAME CONSTRAINT.
        auto [schema, name] = node::get(f, "relation", rv)
                                  ? std::pair<std::string, std::string>(node::str(rv, "schemaname"),
                                                                        node::str(rv, "relname"))
                                  : split_names(object_names(obj));
        Type* ty = m_.types.edit(m_.type_key(schema, name));
        if (!ty) return;
        std::string from(node::str(f, "subname"));
        bool found = false;
        for (Column& a : ty->attributes)
            if (a.name == from) a.name = newname, found = true;
        for (std::string& c : ty->checks)
            if (c == from) c = newname, found = true;
        if (!found) ty->uncertain = true;
    } else if (is_routine_object(type) && node::as(obj, "ObjectWithArgs", owa)) {
        std::string key = routine_key(owa);
        std::string to = normalize_relation(schema_of(routine_name_of(key)), newname);
        if (m_.routines.count(key)) {
            move_routine(key, to);
        } else if (!missing_ok(f)) {
            Routine r;
            static_cast<Origin&>(r) = Origin{Origin::kBefore, true};
            r.name = to;
            r.args = key.substr(key.find('(') + 1, key.size() - key.find('(') - 2);
            m_.routines[to + "(" + r.args + ")"] = r;
        }
    } else if (type == "OBJECT_SCHEMA") {
        move_schema(std::string(node::str(f, "subname")), newname);
    }
}

void Replay::rename_relation(node::Element f) {
    node::Element rv;
    if (!node::get(f, "relation", rv)) return;
    std::string key = rel_key(rv);
    std::string to = normalize_relation(schema_of(key), node::str(f, "newname"));
    if (m_.find_relation(key)) {
        m_.rename_relation(key, to);
        touch(*m_.find_relation(to));
    } else if (!missing_ok(f)) {
        // It exists under its new name now, but the model never knew it.
        m_.put_placeholder(to, rel_kind(node::str(f, "renameType")));
    }
}

void Replay::rename_in_table(node::Element f) {
    std::string_view type = node::str(f, "renameType");
    std::string from(node::str(f, "subname")), to(node::str(f, "newname"));
    node::Element rv;
    if (!node::get(f, "relation", rv)) return;
    if (type == "OBJECT_TRIGGER" || type == "OBJECT_POLICY") {
        auto& objects = type == "OBJECT_TRIGGER" ? m_.triggers : m_.policies;
        std::string table = rel_key(rv);
        Simple moved;
        if (std::optional<Simple> taken = objects.take({table, from})) {
            moved = std::move(*taken);
        } else if (missing_ok(f)) {
            return;
        } else {
            moved.uncertain = true;
        }
        touch(moved);
        objects[{table, to}] = moved;
        return;
    }
    Relation* t = target(rv, missing_ok(f), rel_kind(node::str(f, "relationType")));
    if (!t) return;
    if (type == "OBJECT_COLUMN") {
        Column* c = column(*t, from, false);
        if (!c && lenient_) return;
        if (c) touch(*c);
        // Indexes and constraints the model knows follow even when the column
        // itself was not known (a table created by a statement it could not read).
        m_.rename_column(*t, from, to);
        if (!c) column(*t, to, true);
        return;
    }
    // RENAME CONSTRAINT: the index of a PRIMARY KEY/UNIQUE constraint follows
    // (SchemaModel::rename_relation renames the constraint with its index).
    std::string schema(schema_of(t->key));
    auto c = std::find_if(t->constraints.begin(), t->constraints.end(),
                          [&](const Constraint& x) { return x.name == from; });
    if (c == t->constraints.end()) {
        if (lenient_) return;
        Constraint unknown;
        unknown.name = to;
        unknown.uncertain = true;
        t->constraints.push_back(unknown);
        return;
    }
    touch(*c);
    const Relation* ix = m_.find_relation(normalize_relation(schema, from));
    if (ix && ix->kind == RelKind::index && ix->constraint == from)
        m_.rename_relation(normalize_relation(schema, from), normalize_relation(schema, to));
    else
        c->name = to;
}

void Replay::set_schema(node::Element f) {
    std::string_view type = node::str(f, "objectType");
    std::string schema(node::str(f, "newschema"));
    node::Element rv, obj, owa;
    if (!node::get(f, "object", obj)) obj = f;  // never read a default element
    if (is_relation_object(type) && node::get(f, "relation", rv)) {
        std::string key = rel_key(rv);
        std::string to = normalize_relation(schema, bare_name(key));
        if (m_.find_relation(key)) {
            move_relation(key, to);
        } else if (!missing_ok(f)) {
            m_.put_placeholder(to, rel_kind(type));
        }
    } else if (type == "OBJECT_TYPE" || type == "OBJECT_DOMAIN") {
        auto [from_schema, name] = split_names(object_names(obj));
        std::string key = m_.type_key(from_schema, name);
        std::string to = normalize_relation(schema, name);
        if (m_.types.count(key))
            m_.rename_type(key, to);
        else if (!missing_ok(f))
            static_cast<Origin&>(m_.types[to] = Type{}) = Origin{Origin::kBefore, true};
    } else if (is_routine_object(type) && node::as(obj, "ObjectWithArgs", owa)) {
        std::string key = routine_key(owa);
        if (m_.routines.count(key))
            move_routine(key, normalize_relation(schema, bare_name(routine_name_of(key))));
    }
}

// SET SCHEMA moves a table's indexes and owned sequences along with it.
void Replay::move_relation(const std::string& from, const std::string& to) {
    std::vector<std::string> along;
    for (const auto& [k, r] : m_.relations)
        if ((r.kind == RelKind::index || r.kind == RelKind::sequence) && r.table == from)
            along.push_back(k);
    m_.rename_relation(from, to);
    if (Relation* r = m_.find_relation(to)) touch(*r);
    for (const std::string& k : along)
        m_.rename_relation(k, normalize_relation(schema_of(to), bare_name(k)));
}

void Replay::move_routine(const std::string& from, const std::string& new_name) {
    std::optional<Routine> taken = m_.routines.take(from);
    if (!taken) return;
    Routine r = std::move(*taken);
    r.name = new_name;
    touch(r);
    m_.routines[new_name + "(" + r.args + ")"] = r;
}

void Replay::move_schema(const std::string& from, const std::string& to) {
    if (std::optional<Simple> s = m_.schemas.take(from)) m_.schemas[to] = std::move(*s);
    auto inside = [&](std::string_view key) { return schema_of(key) == from; };
    std::vector<std::string> rels, types, routines;
    for (const auto& [k, r] : m_.relations)
        if (inside(k)) rels.push_back(k);
    for (const auto& [k, t] : m_.types)
        if (inside(k)) types.push_back(k);
    for (const auto& [k, r] : m_.routines)
        if (inside(routine_name_of(k))) routines.push_back(k);
    for (const std::string& k : rels) m_.rename_relation(k, normalize_relation(to, bare_name(k)));
    for (const std::string& k : types) m_.rename_type(k, normalize_relation(to, bare_name(k)));
    for (const std::string& k : routines)
        move_routine(k, normalize_relation(to, bare_name(routine_name_of(k))));
}

}  // namespace pgw::schema
