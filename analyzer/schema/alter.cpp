// Statement -> schema model: ALTER TABLE subcommands, ALTER TYPE and ALTER
// DOMAIN, and the column and constraint definitions CREATE TABLE shares with
// ALTER TABLE, with the names PostgreSQL gives to what they do not name.
#include <algorithm>

#include "schema/replay.h"
#include "schema/text.h"

namespace pgw::schema {

namespace {

// ALTER TABLE subcommands that change nothing the model records.
bool ignored_subcommand(std::string_view s) {
    // clang-format off
    static const std::string_view kIgnored[] = {
        "AT_SetTableSpace", "AT_SetRelOptions", "AT_ResetRelOptions", "AT_ReplaceRelOptions",
        "AT_ChangeOwner", "AT_ClusterOn", "AT_DropCluster", "AT_SetLogged", "AT_SetUnLogged",
        "AT_EnableTrig", "AT_EnableAlwaysTrig", "AT_EnableReplicaTrig", "AT_DisableTrig",
        "AT_EnableTrigAll", "AT_DisableTrigAll", "AT_EnableTrigUser", "AT_DisableTrigUser",
        "AT_EnableRule", "AT_EnableAlwaysRule", "AT_EnableReplicaRule", "AT_DisableRule",
        "AT_EnableRowSecurity", "AT_DisableRowSecurity", "AT_ForceRowSecurity",
        "AT_NoForceRowSecurity", "AT_ReplicaIdentity", "AT_SetStatistics", "AT_SetStorage",
        "AT_SetCompression", "AT_SetOptions", "AT_ResetOptions", "AT_GenericOptions",
        "AT_AlterColumnGenericOptions", "AT_AlterConstraint",
        "AT_SetAccessMethod", "AT_AddOf", "AT_DropOf", "AT_SetIdentity", "AT_AddInherit",
        "AT_DropInherit", "AT_DropOids", "AT_CheckNotNull", "AT_ReAddStatistics",
    };
    // clang-format on
    return std::find(std::begin(kIgnored), std::end(kIgnored), s) != std::end(kIgnored);
}

void collect_columns(node::Element e, std::vector<std::string>& out) {
    if (e.is_array()) {
        for (node::Element child : e.get_array()) collect_columns(child, out);
        return;
    }
    if (!e.is_object()) return;
    for (auto [key, value] : e.get_object()) {
        if (key == "ColumnRef") {
            std::string last;
            for (node::Element field : node::List(value, "fields")) {
                node::Element s;
                if (node::as(field, "String", s)) last = node::str(s, "sval");
            }
            if (!last.empty() && std::find(out.begin(), out.end(), last) == out.end())
                out.push_back(last);
        } else {
            collect_columns(value, out);
        }
    }
}

// The columns `col IS NOT NULL` terms prove not null, alone or ANDed: what
// PostgreSQL's implication test (NotNullImpliedByRelConstraints) accepts.
void not_null_columns(node::Element expr, std::vector<std::string>& out) {
    node::Element test, arg, ref, both;
    if (node::as(expr, "BoolExpr", both) && node::str(both, "boolop") == "AND_EXPR") {
        for (node::Element term : node::List(both, "args")) not_null_columns(term, out);
        return;
    }
    if (!node::as(expr, "NullTest", test) || node::str(test, "nulltesttype") != "IS_NOT_NULL")
        return;
    if (!node::get(test, "arg", arg) || !node::as(arg, "ColumnRef", ref)) return;
    std::vector<std::string> fields = string_list(ref, "fields");
    if (!fields.empty()) out.push_back(fields.back());
}

Constraint* find_constraint(Relation& t, const std::string& name) {
    for (Constraint& c : t.constraints)
        if (c.name == name) return &c;
    return nullptr;
}

}  // namespace

std::vector<std::string> mentioned_columns(node::Element expr) {
    std::vector<std::string> out;
    collect_columns(expr, out);
    return out;
}

void Replay::copy_columns(Relation& table, node::Element rv, bool defaults) {
    const Relation* from = m_.find_relation(rel_key(rv));
    if (!from || from->columns_partial || from->uncertain) table.columns_partial = true;
    if (!from) return;
    for (Column c : from->columns) {
        if (c.dropped || column(table, c.name, false)) continue;
        static_cast<Origin&>(c) =
            Origin{m_.origin().creator, c.uncertain || m_.statement_uncertain};
        if (!defaults) c.default_expr.clear();
        c.identity.clear();
        table.columns.push_back(c);
    }
}

void Replay::owned_sequence(Relation& table, Column& column, bool serial) {
    std::string schema(schema_of(table.key));
    // ChooseRelationName(table, column, "seq"), as for serial and identity columns.
    std::string name = choose_name(
        bare_name(table.key), column.name, "seq",
        [&](const std::string& n) { return m_.name_taken(normalize_relation(schema, n)); });
    std::string key = normalize_relation(schema, name);
    Relation& seq = m_.put_relation(key, RelKind::sequence);
    seq.table = table.key;
    seq.owner_column = column.name;
    if (serial) column.default_expr = "nextval('" + key + "')";  // as expr_text prints it
    column.not_null = true;
}

Column Replay::column_def(Relation& table, node::Element cd, std::vector<node::Element>& pending,
                          std::vector<std::string>& pending_columns) {
    Column c;
    static_cast<Origin&>(c) = m_.origin();
    c.name = node::str(cd, "colname");
    node::Element tn, expr;
    bool serial = false;
    if (node::get(cd, "typeName", tn)) {
        c.type = type_text(tn);
        // A type written by a tool's placeholder (neutralised to underscores).
        if (c.type.starts_with("___")) c.uncertain = true;
        // serial is not a type: an integer column, its sequence and default.
        static const std::pair<std::string_view, std::string_view> kSerial[] = {
            {"serial", "integer"}, {"serial4", "integer"},      {"bigserial", "bigint"},
            {"serial8", "bigint"}, {"smallserial", "smallint"}, {"serial2", "smallint"},
        };
        for (auto [name, type] : kSerial)
            if (c.type == name) c.type = type, serial = true;
    }
    c.not_null = node::flag(cd, "is_not_null");
    if (node::get(cd, "raw_default", expr)) c.default_expr = expr_of(expr);
    bool identity = false;
    for (node::Element item : node::List(cd, "constraints")) {
        node::Element con;
        if (!node::as(item, "Constraint", con)) continue;
        std::string_view type = node::str(con, "contype");
        bool has_expr = node::get(con, "raw_expr", expr);
        if (type == "CONSTR_NOTNULL")
            c.not_null = true;
        else if (type == "CONSTR_NULL")
            c.not_null = false;
        else if (type == "CONSTR_DEFAULT" && has_expr)
            c.default_expr = expr_of(expr);
        else if (type == "CONSTR_GENERATED" && has_expr)
            c.generated = expr_of(expr);
        else if (type == "CONSTR_IDENTITY") {
            c.identity = node::str(con, "generated_when") == "a" ? "always" : "by default";
            identity = true;
        } else if (type == "CONSTR_PRIMARY" || type == "CONSTR_UNIQUE" || type == "CONSTR_CHECK" ||
                   type == "CONSTR_FOREIGN" || type == "CONSTR_EXCLUSION") {
            pending.push_back(con);
            pending_columns.push_back(c.name);
        }
    }
    if (serial || identity) owned_sequence(table, c, serial);
    return c;
}

void Replay::add_constraint(Relation& table, node::Element con, const std::string& column) {
    std::string_view type = node::str(con, "contype");
    Constraint c;
    static_cast<Origin&>(c) = m_.origin();
    c.name = node::str(con, "conname");
    std::string schema(schema_of(table.key));
    std::string_view bare = bare_name(table.key);
    // ChooseConstraintName: unique among the table's constraints and relations.
    auto taken = [&](const std::string& n) {
        return find_constraint(table, n) || m_.name_taken(normalize_relation(schema, n));
    };
    node::Element expr, pk;
    if (type == "CONSTR_PRIMARY" || type == "CONSTR_UNIQUE" || type == "CONSTR_EXCLUSION") {
        c.type = type == "CONSTR_PRIMARY" ? 'p' : type == "CONSTR_UNIQUE" ? 'u' : 'x';
        c.columns = column.empty() ? string_list(con, "keys") : std::vector<std::string>{column};
        for (node::Element ex : node::List(con, "exclusions")) {
            node::Element pair, elem;
            for (node::Element part : node::List(node::as(ex, "List", pair) ? pair : ex, "items"))
                if (node::as(part, "IndexElem", elem))
                    c.columns.emplace_back(node::str(elem, "name"));
        }
        add_index_constraint(table, con, c, string_list(con, "including"));
        return;
    }
    if (type == "CONSTR_FOREIGN") {
        c.type = 'f';
        c.columns =
            column.empty() ? string_list(con, "fk_attrs") : std::vector<std::string>{column};
        if (node::get(con, "pktable", pk)) c.references = rel_key(pk);
        c.ref_columns = string_list(con, "pk_attrs");
        // REFERENCES t with no columns: t's primary key.
        if (const Relation* ref = m_.find_relation(c.references); ref && c.ref_columns.empty())
            for (const Constraint& k : ref->constraints)
                if (k.type == 'p') c.ref_columns = k.columns;
        auto action = [&](std::string_view key, std::string_view label) {
            static const std::pair<std::string_view, std::string_view> kActions[] = {
                {"r", "RESTRICT"}, {"c", "CASCADE"}, {"n", "SET NULL"}, {"d", "SET DEFAULT"}};
            for (auto [code, text] : kActions)
                if (node::str(con, key) == code) {
                    if (!c.detail.empty()) c.detail += ' ';
                    c.detail += std::string(label) + " " + std::string(text);
                }
        };
        action("fk_upd_action", "ON UPDATE");
        action("fk_del_action", "ON DELETE");
        if (node::str(con, "fk_matchtype") == "f") c.detail += " MATCH FULL";
        if (c.name.empty()) c.name = choose_name(bare, name_addition(c.columns), "fkey", taken);
    } else if (type == "CONSTR_CHECK" && node::get(con, "raw_expr", expr)) {
        c.type = 'c';
        c.columns = mentioned_columns(expr);
        c.detail = expr_of(expr);
        not_null_columns(expr, c.proves_not_null);
        // AddRelationNewConstraints: the column's name when the check uses exactly one.
        if (c.name.empty())
            c.name = choose_name(bare, c.columns.size() == 1 ? c.columns[0] : "", "check", taken);
    } else {
        return;  // NOT NULL, DEFAULT, deferrability: column properties or nothing to record
    }
    // NOT VALID: existing rows are not checked until VALIDATE CONSTRAINT. (On a
    // table the statement creates PostgreSQL marks it valid at once; the rules
    // never ask about those.)
    c.valid = !node::flag(con, "skip_validation");
    if (Constraint* old = find_constraint(table, c.name)) {
        // Replacing a placeholder the model did not know stays uncertain.
        c.uncertain = c.uncertain || old->uncertain;
        *old = c;
    } else {
        table.constraints.push_back(c);
    }
}

void Replay::add_index_constraint(Relation& table, node::Element con, Constraint c,
                                  const std::vector<std::string>& include) {
    std::string schema(schema_of(table.key));
    std::string using_index(node::str(con, "indexname"));
    if (!using_index.empty()) {
        // ADD CONSTRAINT c PRIMARY KEY USING INDEX i: i becomes the constraint's
        // index, renamed to c.
        if (c.name.empty()) c.name = using_index;
        m_.rename_relation(normalize_relation(schema, using_index),
                           normalize_relation(schema, c.name));
    } else {
        std::vector<std::string> names = c.columns;
        names.insert(names.end(), include.begin(), include.end());
        std::string label = c.type == 'p' ? "pkey" : c.type == 'u' ? "key" : "excl";
        if (c.name.empty())
            c.name = choose_name(bare_name(table.key), c.type == 'p' ? "" : name_addition(names),
                                 label, [&](const std::string& n) {
                                     return find_constraint(table, n) ||
                                            m_.name_taken(normalize_relation(schema, n));
                                 });
        Relation& ix = m_.put_relation(normalize_relation(schema, c.name), RelKind::index);
        ix.table = table.key;
        ix.index_columns = c.columns;
        if (!include.empty()) ix.detail = "INCLUDE (" + join(include) + ")";
    }
    Relation* ix = m_.find_relation(normalize_relation(schema, c.name));
    // USING INDEX of an index the model did not know.
    if (!ix) ix = &m_.put_placeholder(normalize_relation(schema, c.name), RelKind::index);
    ix->table = table.key;
    ix->unique = c.type != 'x';
    ix->constraint = c.name;
    if (c.columns.empty()) c.columns = ix->index_columns;
    if (c.type == 'p')
        for (const std::string& col : c.columns)
            if (Column* k = column(table, col, false)) k->not_null = true;
    if (Constraint* old = find_constraint(table, c.name)) {
        c.uncertain = c.uncertain || old->uncertain;
        *old = c;
    } else {
        table.constraints.push_back(c);
    }
}

void Replay::alter_table(node::Element f) {
    std::string_view objtype = node::str(f, "objtype");
    if (objtype == "OBJECT_TYPE") return alter_type_attributes(f);
    // ALTER INDEX/SEQUENCE ... SET/OWNER/ATTACH: nothing the model records.
    if (objtype == "OBJECT_INDEX" || objtype == "OBJECT_SEQUENCE") return;
    RelKind kind = objtype == "OBJECT_VIEW"            ? RelKind::view
                   : objtype == "OBJECT_MATVIEW"       ? RelKind::matview
                   : objtype == "OBJECT_FOREIGN_TABLE" ? RelKind::foreign_table
                                                       : RelKind::table;
    node::Element rv;
    if (!node::get(f, "relation", rv)) return;
    Relation* t = target(rv, missing_ok(f), kind);
    if (!t) return;
    for (node::Element item : node::List(f, "cmds")) {
        node::Element cmd, def, fields;
        if (!node::as(item, "AlterTableCmd", cmd)) continue;
        std::string_view sub = node::str(cmd, "subtype");
        std::string name(node::str(cmd, "name"));
        bool skip_missing = lenient_ || node::flag(cmd, "missing_ok");
        bool cascade = node::str(cmd, "behavior") == "DROP_CASCADE";
        bool has_def = node::get(cmd, "def", def);
        if ((sub == "AT_AddColumn" || sub == "AT_AddColumnToView") && has_def &&
            node::as(def, "ColumnDef", fields)) {
            std::string cname(node::str(fields, "colname"));
            if (column(*t, cname, false) && skip_missing) continue;
            std::vector<node::Element> pending;
            std::vector<std::string> pending_columns;
            Column c = column_def(*t, fields, pending, pending_columns);
            if (Column* old = t->find_column(cname)) {
                c.uncertain = c.uncertain || old->uncertain;  // re-adding a column it did not know
                *old = c;
            } else {
                t->columns.push_back(c);
            }
            for (std::size_t i = 0; i < pending.size(); ++i)
                add_constraint(*t, pending[i], pending_columns[i]);
        } else if (sub == "AT_DropColumn") {
            if (column(*t, name, false)) {
                m_.drop_column(*t, name, cascade);
            } else if (!skip_missing) {
                // It existed (the drop ran) but the model did not know it: a
                // tombstone keeps a later ADD COLUMN of that name uncertain.
                Column gone;
                gone.name = name;
                gone.dropped = gone.uncertain = true;
                t->columns.push_back(gone);
            }
        } else if (sub == "AT_AddConstraint" && has_def && node::as(def, "Constraint", fields)) {
            std::string cname(node::str(fields, "conname"));
            if (!cname.empty() && lenient_ && find_constraint(*t, cname)) continue;
            add_constraint(*t, fields, "");
        } else if (sub == "AT_DropConstraint") {
            if (find_constraint(*t, name)) {
                m_.drop_constraint(*t, name);
            } else if (!skip_missing) {
                Constraint gone;
                gone.name = name;
                gone.uncertain = true;
                t->constraints.push_back(gone);
            }
        } else if (sub == "AT_ValidateConstraint") {
            if (Constraint* c = find_constraint(*t, name)) c->valid = true;
        } else if (sub == "AT_AttachPartition" || sub == "AT_DetachPartition") {
            node::Element child;
            if (has_def && node::as(def, "PartitionCmd", fields) &&
                node::get(fields, "name", child))
                if (Relation* c = m_.find_relation(rel_key(child)))
                    c->parent = sub == "AT_AttachPartition" ? t->key : std::string();
        } else if (sub == "AT_AlterColumnType" || sub == "AT_SetNotNull" ||
                   sub == "AT_DropNotNull" || sub == "AT_ColumnDefault" ||
                   sub == "AT_AddIdentity" || sub == "AT_DropIdentity" ||
                   sub == "AT_SetExpression" || sub == "AT_DropExpression") {
            Column* c = column(*t, name, !lenient_);
            if (!c) continue;
            touch(*c);
            if (sub == "AT_AlterColumnType" && has_def && node::as(def, "ColumnDef", fields) &&
                node::get(fields, "typeName", def))
                c->type = type_text(def);
            else if (sub == "AT_SetNotNull" || sub == "AT_DropNotNull")
                c->not_null = sub == "AT_SetNotNull";
            else if (sub == "AT_ColumnDefault")
                c->default_expr = has_def ? expr_of(def) : std::string();
            else if (sub == "AT_SetExpression")
                c->generated = has_def ? expr_of(def) : std::string();
            else if (sub == "AT_DropExpression")
                c->generated.clear();
            else if (sub == "AT_AddIdentity" && has_def && node::as(def, "Constraint", fields)) {
                c->identity = node::str(fields, "generated_when") == "a" ? "always" : "by default";
                Column copy = *c;
                owned_sequence(*t, copy, false);
                *column(*t, name, false) = copy;
            } else if (sub == "AT_DropIdentity") {
                c->identity.clear();
                std::vector<std::string> seqs;
                for (const auto& [k, r] : m_.relations)
                    if (r.kind == RelKind::sequence && r.table == t->key && r.owner_column == name)
                        seqs.push_back(k);
                for (const std::string& k : seqs) m_.drop_relation(k, false);
            }
        } else if (!ignored_subcommand(sub)) {
            // A subcommand the model does not know: what it did to this table is unknown.
            t->uncertain = true;
        }
    }
}

}  // namespace pgw::schema
