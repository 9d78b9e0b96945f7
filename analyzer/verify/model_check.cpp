#include "verify/model_check.h"

#include <map>
#include <set>

#include "verify/static_mismatch.h"

namespace pgw {

namespace {

using schema::Relation;
using schema::RelKind;

std::string unquoted(std::string_view s) {
    std::string out;
    for (std::size_t i = 0; i < s.size(); ++i) {
        if (s[i] != '"') {
            out += s[i];
        } else if (i + 1 < s.size() && s[i + 1] == '"') {
            out += '"';
            ++i;
        }
    }
    return out;
}

// format_type() output read with an empty search_path: "public.mood[]",
// "character varying(20)", "public.\"Mood\"" -> "mood[]", ..., "Mood".
std::string catalog_side(std::string_view t) {
    std::string s = unquoted(t);
    for (std::string_view prefix : {"public.", "pg_catalog."})
        if (s.starts_with(prefix)) s.erase(0, prefix.size());
    return s;
}

bool serial_type(std::string_view base) {
    return base == "serial" || base == "serial4" || base == "bigserial" || base == "serial8" ||
           base == "smallserial" || base == "serial2";
}

bool primary_key_column(const Relation& r, const std::string& column) {
    for (const schema::Constraint& k : r.constraints)
        if (k.type == 'p')
            for (const std::string& c : k.columns)
                if (c == column) return true;
    return false;
}

struct Catalog {
    std::set<std::string> tables, indexes;  // model keys
    std::map<std::string, const SchemaObject*> tables_by_key;
    std::map<std::pair<std::string, std::string>, const SchemaObject*> columns;  // (table, col)
    std::map<std::string, std::vector<std::string>> columns_of;
};

Catalog read(const Snapshot& snapshot) {
    Catalog c;
    for (const SchemaObject& o : snapshot.objects) {
        if (o.kind == "table") {
            std::string key = model_key(o.name);
            c.tables.insert(key);
            c.tables_by_key[key] = &o;
        } else if (o.kind == "index") {
            c.indexes.insert(model_key(o.name));
        } else if (o.kind == "column" && o.name.size() > o.parent.size() + 1) {
            std::string table = model_key(o.parent);
            std::string column = unquoted(std::string_view(o.name).substr(o.parent.size() + 1));
            c.columns[{table, column}] = &o;
            c.columns_of[table].push_back(column);
        }
    }
    return c;
}

bool table_kind(RelKind k) {
    return k == RelKind::table || k == RelKind::foreign_table;
}

std::string shown(const std::string& key) {
    return key.find('.') == std::string::npos ? "public." + key : key;
}

}  // namespace

std::string catalog_type_name(std::string_view model_type) {
    std::string t(model_type);
    if (t.find("%TYPE") != std::string::npos || t.starts_with("SETOF ")) return {};
    std::size_t end_base = t.find_first_of("([");
    std::string base = t.substr(0, end_base);
    std::string rest = end_base == std::string::npos ? std::string() : t.substr(end_base);
    std::string mods, arrays;
    if (rest.starts_with("(")) {
        std::size_t close = rest.find(')');
        if (close == std::string::npos) return {};
        mods = rest.substr(0, close + 1);
        arrays = rest.substr(close + 1);
    } else {
        arrays = rest;
    }
    for (std::string_view prefix : {"public.", "pg_catalog."})
        if (base.starts_with(prefix)) base.erase(0, prefix.size());
    // PostgreSQL's own names for the SQL spellings, as format_type() prints
    // them: https://www.postgresql.org/docs/15/datatype.html#DATATYPE-TABLE
    if (base == "varchar") return "character varying" + mods + arrays;
    if (base == "char" || base == "bpchar")
        return "character" + (mods.empty() ? "(1)" : mods) + arrays;
    if (base == "varbit") return "bit varying" + mods + arrays;
    if (base == "bit") return "bit" + (mods.empty() ? "(1)" : mods) + arrays;
    if (base == "timestamptz") return "timestamp" + mods + " with time zone" + arrays;
    if (base == "timestamp") return "timestamp" + mods + " without time zone" + arrays;
    if (base == "timetz") return "time" + mods + " with time zone" + arrays;
    if (base == "time") return "time" + mods + " without time zone" + arrays;
    // Interval typmods encode their fields as numbers in the parse tree.
    if (base == "interval" && !mods.empty()) return {};
    // serial is integer with a sequence default.
    // https://www.postgresql.org/docs/15/datatype-numeric.html#DATATYPE-SERIAL
    if (base == "serial" || base == "serial4") return "integer" + arrays;
    if (base == "bigserial" || base == "serial8") return "bigint" + arrays;
    if (base == "smallserial" || base == "serial2") return "smallint" + arrays;
    return base + mods + arrays;
}

ModelAgreement compare_model(const schema::SchemaModel& model, const Snapshot& snapshot) {
    ModelAgreement out;
    Catalog catalog = read(snapshot);
    // A model that met statements it could not follow does not claim to know
    // every object: only what it holds is compared, not what it lacks.
    bool complete = model.unknown_effects() == 0;
    auto disagree = [&](std::string kind, std::string object, std::string message,
                        std::int32_t creator) {
        out.disagreements.push_back(
            {std::move(kind), std::move(object), std::move(message), creator});
    };
    for (const auto& [key, r] : model.relations) {
        if (r.uncertain || r.temporary) continue;
        if (r.kind == RelKind::index) {
            if (!r.constraint.empty()) continue;  // compared as its constraint
            ++out.compared;
            if (!catalog.indexes.count(key))
                disagree("index missing", shown(key),
                         "the schema model has index " + shown(key) + ", PostgreSQL does not",
                         r.creator);
            continue;
        }
        if (!table_kind(r.kind)) continue;
        ++out.compared;
        if (!catalog.tables.count(key)) {
            disagree("table missing", shown(key),
                     "the schema model has table " + shown(key) + ", PostgreSQL does not",
                     r.creator);
            continue;
        }
        // A partition's columns come from its parent.
        if (!r.parent.empty() && r.columns.empty()) continue;
        std::set<std::string> known;
        for (const schema::Column& col : r.columns) {
            if (col.dropped) continue;
            known.insert(col.name);
            if (col.uncertain) continue;
            ++out.compared;
            std::string object = shown(key) + "." + col.name;
            auto it = catalog.columns.find({key, col.name});
            if (it == catalog.columns.end()) {
                disagree("column missing", object,
                         "the schema model has column " + object + ", PostgreSQL does not",
                         col.creator);
                continue;
            }
            const SchemaObject& real = *it->second;
            std::string want = catalog_type_name(col.type);
            std::string got = catalog_side(
                real.attributes.count("type") ? real.attributes.at("type") : std::string());
            if (!want.empty() && unquoted(want) != got)
                disagree("column type", object,
                         "column " + object + ": the schema model says " + col.type +
                             ", PostgreSQL " + got,
                         col.creator);
            std::string base = col.type.substr(0, col.type.find_first_of("(["));
            bool model_not_null = col.not_null || !col.identity.empty() || serial_type(base) ||
                                  primary_key_column(r, col.name);
            auto nn = real.attributes.find("not null");
            bool real_not_null = nn != real.attributes.end() && nn->second == "yes";
            if (model_not_null != real_not_null)
                disagree("column nullability", object,
                         "column " + object + ": the schema model says " +
                             (model_not_null ? "NOT NULL" : "nullable") + ", PostgreSQL " +
                             (real_not_null ? "NOT NULL" : "nullable"),
                         col.creator);
        }
        if (!complete || r.columns_partial || (!r.parent.empty() && r.columns.empty())) continue;
        for (const std::string& column : catalog.columns_of[key])
            if (!known.count(column))
                disagree("column unknown to the model", shown(key) + "." + column,
                         "PostgreSQL has column " + shown(key) + "." + column +
                             ", the schema model does not",
                         r.creator);
    }
    if (!complete) return out;
    for (const std::string& key : catalog.tables) {
        auto it = model.relations.find(key);
        if (it == model.relations.end() || !table_kind(it->second.kind))
            disagree("table unknown to the model", shown(key),
                     "PostgreSQL has table " + shown(key) + ", the schema model does not",
                     schema::Origin::kBefore);
    }
    for (const std::string& key : catalog.indexes) {
        auto it = model.relations.find(key);
        if (it == model.relations.end())
            disagree("index unknown to the model", shown(key),
                     "PostgreSQL has index " + shown(key) + ", the schema model does not",
                     schema::Origin::kBefore);
    }
    return out;
}

}  // namespace pgw
