// Statement -> schema model: types. CREATE TYPE (enum, composite, range,
// base), CREATE DOMAIN, and ALTER TYPE/DOMAIN; renames and drops are in
// schema_objects.cpp with those of the other kinds.
#include <algorithm>

#include "schema/replay.h"
#include "schema/text.h"

namespace pgw::schema {

void Replay::create_type(std::string_view kind, node::Element f) {
    std::vector<std::string> names;
    node::Element rv, tn;
    if (kind == "CreateEnumStmt" || kind == "CreateRangeStmt")
        names = string_list(f, "typeName");
    else if (kind == "CreateDomainStmt")
        names = string_list(f, "domainname");
    else if (kind == "DefineStmt")
        names = string_list(f, "defnames");
    else if (node::get(f, "typevar", rv))
        names = {std::string(node::str(rv, "schemaname")), std::string(node::str(rv, "relname"))};
    auto [schema, name] = split_names(names);
    if (name.empty()) return;
    std::string key = m_.creation_key(schema, name);
    // A shell type (CREATE TYPE t;) is completed by a later CREATE TYPE t (...).
    auto it = m_.types.find(key);
    if (it != m_.types.end() && (lenient_ || node::flag(f, "if_not_exists"))) return;
    Type t;
    static_cast<Origin&>(t) = m_.origin();
    if (kind == "CreateEnumStmt") {
        t.kind = TypeKind::enumeration;
        t.values = string_list(f, "vals");
    } else if (kind == "CompositeTypeStmt") {
        t.kind = TypeKind::composite;
        for (node::Element c : node::List(f, "coldeflist")) {
            node::Element cd;
            if (!node::as(c, "ColumnDef", cd) || !node::get(cd, "typeName", tn)) continue;
            Column col;
            col.name = node::str(cd, "colname");
            col.type = type_text(tn);
            t.attributes.push_back(col);
        }
    } else if (kind == "CreateDomainStmt") {
        t.kind = TypeKind::domain;
        if (node::get(f, "typeName", tn)) t.base = type_text(tn);
        for (node::Element c : node::List(f, "constraints")) {
            node::Element con, expr;
            if (!node::as(c, "Constraint", con)) continue;
            std::string_view type = node::str(con, "contype");
            if (type == "CONSTR_NOTNULL") t.not_null = true;
            if (type == "CONSTR_DEFAULT" && node::get(con, "raw_expr", expr))
                t.default_expr = expr_of(expr);
            if (type != "CONSTR_CHECK") continue;
            std::string cname(node::str(con, "conname"));
            if (cname.empty())
                cname = choose_name(name, "", "check", [&](const std::string& n) {
                    return std::find(t.checks.begin(), t.checks.end(), n) != t.checks.end();
                });
            t.checks.push_back(cname);
        }
    } else if (kind == "CreateRangeStmt") {
        t.kind = TypeKind::range;
    }
    m_.types[key] = std::move(t);
}

void Replay::alter_type_attributes(node::Element f) {
    node::Element rv;
    if (!node::get(f, "relation", rv)) return;
    std::string key = m_.type_key(node::str(rv, "schemaname"), node::str(rv, "relname"));
    Type* found = m_.types.edit(key);
    if (!found) {
        if (missing_ok(f)) return;
        found = &m_.types[key];
        found->kind = TypeKind::composite;
        found->uncertain = true;
    }
    Type& ty = *found;
    touch(ty);
    for (node::Element item : node::List(f, "cmds")) {
        node::Element cmd, def, cd, tn;
        if (!node::as(item, "AlterTableCmd", cmd)) continue;
        std::string_view sub = node::str(cmd, "subtype");
        std::string name(node::str(cmd, "name"));
        bool has_cd = node::get(cmd, "def", def) && node::as(def, "ColumnDef", cd) &&
                      node::get(cd, "typeName", tn);
        auto attr = std::find_if(ty.attributes.begin(), ty.attributes.end(),
                                 [&](const Column& c) { return c.name == name; });
        if (sub == "AT_AddColumn" && has_cd) {
            Column c;
            c.name = node::str(cd, "colname");
            c.type = type_text(tn);
            ty.attributes.push_back(c);
        } else if (sub == "AT_DropColumn" && attr != ty.attributes.end()) {
            ty.attributes.erase(attr);
        } else if (sub == "AT_AlterColumnType" && has_cd && attr != ty.attributes.end()) {
            attr->type = type_text(tn);
        } else if (sub != "AT_ChangeOwner") {
            ty.uncertain = true;
        }
    }
}

void Replay::alter_enum(node::Element f) {
    auto [schema, name] = split_names(string_list(f, "typeName"));
    std::string key = m_.type_key(schema, name);
    Type* found = m_.types.edit(key);
    if (!found) {
        found = &m_.types[key];
        found->kind = TypeKind::enumeration;
        found->uncertain = true;  // an enum created outside what was replayed
    }
    Type& ty = *found;
    touch(ty);
    std::string old_val(node::str(f, "oldVal")), new_val(node::str(f, "newVal"));
    auto at = [&](const std::string& v) {
        return std::find(ty.values.begin(), ty.values.end(), v);
    };
    if (!old_val.empty()) {  // RENAME VALUE
        if (at(old_val) != ty.values.end())
            *at(old_val) = new_val;
        else
            ty.uncertain = true;
        // A default holds the value itself, not its label: it shows the new one.
        auto quoted = [](const std::string& v) { return "'" + v + "'"; };
        auto holds = [&](const Column& c) {
            return (c.type == key || c.type == key + "[]") && c.default_expr == quoted(old_val);
        };
        m_.relations.edit_if(
            [&](const std::string&, const Relation& r) {
                return std::any_of(r.columns.begin(), r.columns.end(), holds);
            },
            [&](const std::string&, Relation& r) {
                for (Column& c : r.columns)
                    if (holds(c)) c.default_expr = quoted(new_val);
            });
        return;
    }
    if (at(new_val) != ty.values.end()) return;  // IF NOT EXISTS (else it failed)
    std::string neighbor(node::str(f, "newValNeighbor"));
    auto pos = neighbor.empty() ? ty.values.end() : at(neighbor);
    if (pos != ty.values.end() && node::flag(f, "newValIsAfter")) ++pos;
    ty.values.insert(pos, new_val);
}

void Replay::alter_domain(node::Element f) {
    auto [schema, name] = split_names(string_list(f, "typeName"));
    std::string key = m_.type_key(schema, name);
    Type* found = m_.types.edit(key);
    if (!found) {
        if (missing_ok(f)) return;
        found = &m_.types[key];
        found->kind = TypeKind::domain;
        found->uncertain = true;
    }
    Type& ty = *found;
    touch(ty);
    std::string_view sub = node::str(f, "subtype");
    node::Element def, con;
    bool has_def = node::get(f, "def", def);
    if (sub == "T")
        ty.default_expr = has_def ? expr_of(def) : std::string();
    else if (sub == "N")
        ty.not_null = false;
    else if (sub == "O")
        ty.not_null = true;
    else if (sub == "C" && has_def && node::as(def, "Constraint", con)) {
        std::string cname(node::str(con, "conname"));
        if (node::str(con, "contype") == "CONSTR_NOTNULL") ty.not_null = true;
        if (node::str(con, "contype") != "CONSTR_CHECK") return;
        if (cname.empty())
            cname = choose_name(name, "", "check", [&](const std::string& n) {
                return std::find(ty.checks.begin(), ty.checks.end(), n) != ty.checks.end();
            });
        ty.checks.push_back(cname);
    } else if (sub == "X") {
        std::erase(ty.checks, std::string(node::str(f, "name")));
    }
}

}  // namespace pgw::schema
