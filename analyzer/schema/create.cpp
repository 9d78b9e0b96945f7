// Statement -> schema model: CREATE of relations (tables, views, indexes,
// sequences), extensions, triggers and policies.
#include <algorithm>

#include "schema/replay.h"
#include "schema/text.h"

namespace pgw::schema {

void Replay::create_schema(node::Element f) {
    std::string name(node::str(f, "schemaname"));
    node::Element role;
    if (name.empty() && node::get(f, "authrole", role)) name = node::str(role, "rolename");
    if (m_.schemas.count(name) && if_not_exists(f)) return;
    Simple& s = m_.schemas[name] = Simple{};
    static_cast<Origin&>(s) = m_.origin();
    // CREATE SCHEMA s CREATE TABLE t ...: the elements are created in s.
    std::vector<std::string> saved = m_.search_path;
    m_.search_path = {name};
    for (node::Element elt : node::List(f, "schemaElts"))
        dispatch(node::type_of(elt), node::fields_of(elt));
    m_.search_path = saved;
}

void Replay::create_table(node::Element f, RelKind kind) {
    node::Element rv;
    if (!node::get(f, "relation", rv)) return;
    std::string key = new_rel_key(rv);
    if (m_.find_relation(key) && if_not_exists(f)) return;
    Relation& t = m_.put_relation(key, kind);
    // A temporary table is gone when the migration's session ends (replay()
    // drops it then), but the statements after it use it.
    t.temporary = temporary(rv);
    node::Element bound, type_name, spec;
    bool partition = node::get(f, "partbound", bound);
    t.partitioned = node::get(f, "partspec", spec);
    for (node::Element parent : node::List(f, "inhRelations")) {
        node::Element prv;
        if (!node::as(parent, "RangeVar", prv)) continue;
        if (partition) t.parent = rel_key(prv);
        copy_columns(t, prv, true);
    }
    if (node::get(f, "ofTypename", type_name)) {
        auto [schema, name] = split_names(string_list(type_name, "names"));
        const Type* ty = m_.type(normalize_relation(schema, name));
        if (ty) {
            t.columns = ty->attributes;
            t.columns_changed();
        }
        t.columns_partial = t.columns_partial || !ty || ty->uncertain;
    }
    std::vector<node::Element> pending;
    std::vector<std::string> pending_columns;
    for (node::Element elt : node::List(f, "tableElts")) {
        node::Element e;
        if (node::as(elt, "ColumnDef", e)) {
            Column c = column_def(t, e, pending, pending_columns);
            if (Column* inherited = column(t, c.name, false))
                *inherited = c;
            else
                t.columns.push_back(c);
        } else if (node::as(elt, "Constraint", e)) {
            pending.push_back(e);
            pending_columns.emplace_back();
        } else if (node::as(elt, "TableLikeClause", e)) {
            node::Element src;
            int64_t options = node::integer(e, "options", 0);
            if (node::get(e, "relation", src)) copy_columns(t, src, options & (1 << 3));
            const Relation* from =
                node::get(e, "relation", src) ? m_.relation(rel_key(src)) : nullptr;
            // INCLUDING INDEXES/CONSTRAINTS copies objects under names the
            // model does not derive: leave the new table's details uncertain.
            if (from && (options & ((1 << 2) | (1 << 6))) &&
                (!from->constraints.empty() || options & (1 << 6)))
                t.uncertain = true;
        }
    }
    for (std::size_t i = 0; i < pending.size(); ++i)
        add_constraint(t, pending[i], pending_columns[i]);
}

void Replay::create_table_as(node::Element f) {
    node::Element into, rv, query;
    if (!node::get(f, "into", into) || !node::get(into, "rel", rv)) return;
    std::string key = new_rel_key(rv);
    if (m_.find_relation(key) && if_not_exists(f)) return;
    bool matview = node::str(f, "objtype") == "OBJECT_MATVIEW";
    Relation& r = m_.put_relation(key, matview ? RelKind::matview : RelKind::table);
    r.temporary = temporary(rv);
    // The columns come from the query: the model does not derive them.
    r.columns_partial = true;
    // The names a view's query uses are kept even without details: DROP ...
    // CASCADE of what it is built on drops it (rules and predictions need that).
    if (matview && node::get(f, "query", query)) {
        std::string detail = fingerprint(query, &r.uses);
        if (m_.details) r.detail = std::move(detail);
    }
}

void Replay::select_into(node::Element f) {
    node::Element into, rv;
    if (!node::get(f, "intoClause", into) || !node::get(into, "rel", rv)) return;
    std::string key = new_rel_key(rv);
    Relation& r = m_.put_relation(key, RelKind::table);
    r.columns_partial = true;
    r.temporary = temporary(rv);
}

void Replay::create_view(node::Element f) {
    node::Element rv, query;
    if (!node::get(f, "view", rv)) return;
    std::string key = new_rel_key(rv);
    std::vector<std::string> uses;
    std::string detail = node::get(f, "query", query) ? fingerprint(query, &uses) : std::string();
    if (!m_.details) detail.clear();
    Relation* existing = m_.find_relation(key);
    if (existing && (node::flag(f, "replace") || lenient_)) {
        // CREATE OR REPLACE keeps the view (and whether the change created it).
        if (!lenient_) {
            existing->detail = detail;
            existing->uses = uses;
        }
        touch(*existing);
        return;
    }
    Relation& v = m_.put_relation(key, RelKind::view);
    v.detail = detail;
    v.uses = uses;
    v.temporary = temporary(rv);
}

void Replay::create_index(node::Element f) {
    node::Element rv;
    if (!node::get(f, "relation", rv)) return;
    std::string table = rel_key(rv);
    std::vector<std::string> columns, names, include;
    // What else defines the index, readable for diffs: "USING gin", "a DESC",
    // "INCLUDE (b)", "WHERE (c > 0)".
    std::string detail, method(node::str(f, "accessMethod"));
    auto add = [&](const std::string& part) {
        if (!detail.empty()) detail += ' ';
        detail += part;
    };
    if (!method.empty() && method != "btree") add("USING " + method);
    // ChooseIndexColumnNames: a column's name, FigureIndexColname of an
    // expression or "expr", made unique with a number.
    auto add_name = [&](std::string name) {
        std::string unique = name;
        for (int i = 1; std::find(names.begin(), names.end(), unique) != names.end(); ++i)
            unique = name + std::to_string(i);
        names.push_back(unique);
    };
    for (node::Element p : node::List(f, "indexParams")) {
        node::Element e, expr;
        if (!node::as(p, "IndexElem", e)) continue;
        std::string name(node::str(e, "name"));
        bool is_expr = name.empty() && node::get(e, "expr", expr);
        columns.push_back(is_expr ? expr_text(expr, st_.text) : name);
        std::string figured = is_expr ? figure_colname(expr) : name;
        add_name(figured.empty() ? "expr" : figured);
        std::string mods;
        if (!node::List(e, "collation").empty())
            mods += " COLLATE " + node::dotted_names(e, "collation");
        if (!node::List(e, "opclass").empty()) mods += " " + node::dotted_names(e, "opclass");
        if (node::str(e, "ordering") == "SORTBY_DESC") mods += " DESC";
        std::string_view nulls = node::str(e, "nulls_ordering");
        if (nulls == "SORTBY_NULLS_FIRST") mods += " NULLS FIRST";
        if (nulls == "SORTBY_NULLS_LAST") mods += " NULLS LAST";
        if (!mods.empty()) add(columns.back() + mods);
    }
    for (node::Element p : node::List(f, "indexIncludingParams")) {
        node::Element e;
        if (!node::as(p, "IndexElem", e)) continue;
        add_name(std::string(node::str(e, "name")));
        include.emplace_back(node::str(e, "name"));
    }
    if (!include.empty()) add("INCLUDE (" + join(include) + ")");
    node::Element where;
    if (node::get(f, "whereClause", where)) add("WHERE " + expr_of(where));
    if (node::flag(f, "nulls_not_distinct")) add("NULLS NOT DISTINCT");
    std::string schema(schema_of(table));
    std::string name(node::str(f, "idxname"));
    if (name.empty())
        name = choose_name(
            bare_name(table), name_addition(names), "idx",
            [&](const std::string& n) { return m_.name_taken(normalize_relation(schema, n)); });
    std::string key = normalize_relation(schema, name);
    if (m_.find_relation(key) && if_not_exists(f)) return;
    Relation& ix = m_.put_relation(key, RelKind::index);
    ix.table = table;
    ix.index_columns = columns;
    ix.unique = node::flag(f, "unique");
    ix.detail = detail;
}

void Replay::create_sequence(node::Element f) {
    node::Element rv;
    if (!node::get(f, "sequence", rv)) return;
    std::string key = new_rel_key(rv);
    if (m_.find_relation(key) && if_not_exists(f)) return;
    m_.put_relation(key, RelKind::sequence).temporary = temporary(rv);
    alter_sequence(f);
}

void Replay::alter_sequence(node::Element f) {
    node::Element rv;
    if (!node::get(f, "sequence", rv)) return;
    Relation* s = target(rv, missing_ok(f), RelKind::sequence);
    if (!s) return;
    for (node::Element opt : node::List(f, "options")) {
        node::Element def, arg, list;
        if (!node::as(opt, "DefElem", def) || node::str(def, "defname") != "owned_by") continue;
        std::vector<std::string> names;
        if (node::get(def, "arg", arg) && node::as(arg, "List", list))
            names = string_list(list, "items");
        s->table.clear();
        s->owner_column.clear();
        if (names.size() < 2) continue;  // OWNED BY NONE
        std::string column = names.back();
        names.pop_back();
        auto [schema, table] = split_names(names);
        s->table = m_.relation_key(schema, table);
        s->owner_column = column;
    }
}

void Replay::create_extension(node::Element f) {
    std::string name(node::str(f, "extname"));
    if (m_.extensions.count(name) && if_not_exists(f)) return;
    static_cast<Origin&>(m_.extensions[name] = Simple{}) = m_.origin();
}

void Replay::create_on_table(std::string_view kind, node::Element f) {
    bool trigger = kind == "CreateTrigStmt";
    node::Element rv;
    if (!node::get(f, trigger ? "relation" : "table", rv)) return;
    TableObjectKey key{rel_key(rv),
                       std::string(node::str(f, trigger ? "trigname" : "policy_name"))};
    auto& objects = trigger ? m_.triggers : m_.policies;
    if (objects.count(key) && lenient_) return;
    Simple s;
    static_cast<Origin&>(s) = m_.origin();
    if (m_.details)
        s.detail =
            trigger ? fields_detail(f, {"funcname", "args", "row", "timing", "events", "columns",
                                        "whenClause", "isconstraint", "deferrable", "initdeferred",
                                        "transitionRels"})
                    : fields_detail(f, {"cmd_name", "permissive", "roles", "qual", "with_check"});
    objects[key] = s;
}

}  // namespace pgw::schema
