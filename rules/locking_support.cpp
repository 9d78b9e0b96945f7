#include "locking_support.h"

#include <algorithm>
#include <array>
#include <cctype>

namespace pgw::rules::locking {

namespace {

std::string lower(std::string_view s) {
    std::string out(s);
    for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

// libpg_query leaves zero and false out of its JSON: {"Integer": {}} is 0.
bool value_is_off(node::Element arg) {
    node::Element v;
    if (node::as(arg, "String", v)) {
        std::string s = lower(node::str(v, "sval"));
        return s == "false" || s == "off" || s == "no" || s == "0";
    }
    if (node::as(arg, "Integer", v)) return node::integer(v, "ival", 0) == 0;
    if (node::as(arg, "Boolean", v)) return !node::flag(v, "boolval");
    return false;
}

// ALTER TABLE subcommands that take at most SHARE UPDATE EXCLUSIVE: reads and
// writes go on while they wait or run.
bool weak_alter(node::Element cmd) {
    static constexpr std::array<std::string_view, 9> kWeak = {
        "AT_ValidateConstraint", "AT_SetStatistics",   "AT_ClusterOn",
        "AT_DropCluster",        "AT_SetOptions",      "AT_ResetOptions",
        "AT_SetRelOptions",      "AT_ResetRelOptions", "AT_DetachPartitionFinalize"};
    std::string_view subtype = node::str(cmd, "subtype");
    if (std::find(kWeak.begin(), kWeak.end(), subtype) != kWeak.end()) return true;
    node::Element def, part;
    if (subtype == "AT_DetachPartition" && node::get(cmd, "def", def) &&
        node::as(def, "PartitionCmd", part))
        return node::flag(part, "concurrent");
    return false;
}

// Tables referenced by FOREIGN KEY constraints anywhere in `e`: adding the key
// takes SHARE ROW EXCLUSIVE on the referenced table too.
void referenced_tables(node::Element e, std::vector<std::string>& out) {
    if (e.is_array()) {
        for (node::Element child : e.get_array()) referenced_tables(child, out);
        return;
    }
    if (!e.is_object()) return;
    node::Element c;
    if (node::as(e, "Constraint", c) && node::str(c, "contype") == "CONSTR_FOREIGN") {
        std::string pk = relation_field(c, "pktable");
        if (!pk.empty()) out.push_back(pk);
        return;
    }
    for (auto [key, value] : e.get_object()) referenced_tables(value, out);
}

std::string first_existing(const std::vector<std::string>& names, const ExistingTest& existing) {
    for (const auto& n : names)
        if (existing(n)) return quote_name(n);
    return {};
}

std::string alter_table_target(const Statement& st, const Context& ctx,
                               const ExistingTest& existing) {
    std::string_view objtype = node::str(st.node, "objtype");
    if (objtype != "OBJECT_TABLE" && objtype != "OBJECT_MATVIEW") return {};
    std::string table = target_relation(st);
    bool strong = false;
    std::vector<std::string> others;
    for (node::Element cmd : alter_table_commands(st)) {
        node::Element def, part;
        if (node::str(cmd, "subtype") == "AT_AttachPartition" && ctx.config.pg_version >= 12 &&
            node::get(cmd, "def", def) && node::as(def, "PartitionCmd", part)) {
            // From PostgreSQL 12 only the partition being attached is locked exclusively.
            std::string attached = relation_field(part, "name");
            if (!attached.empty()) others.push_back(attached);
            continue;
        }
        // DETACH PARTITION CONCURRENTLY takes SHARE UPDATE EXCLUSIVE, then
        // waits for every transaction that may still see the partition: it
        // queues behind a long query like a strong lock does.
        // https://www.postgresql.org/docs/15/sql-altertable.html#SQL-ALTERTABLE-DETACH-PARTITION
        if (node::str(cmd, "subtype") == "AT_DetachPartition" && weak_alter(cmd)) strong = true;
        strong = strong || !weak_alter(cmd);
    }
    if (strong && existing(table)) return quote_name(table);
    referenced_tables(st.node, others);
    return first_existing(others, existing);
}

}  // namespace

bool option_enabled(node::Element fields, std::string_view list_key, std::string_view name) {
    for (node::Element item : node::List(fields, list_key)) {
        node::Element def, arg;
        if (!node::as(item, "DefElem", def) || lower(node::str(def, "defname")) != name) continue;
        return !node::get(def, "arg", arg) || !value_is_off(arg);
    }
    return false;
}

std::string relation_field(node::Element fields, std::string_view key) {
    node::Element rel;
    if (!node::get(fields, key, rel)) return {};
    return normalize_relation(node::str(rel, "schemaname"), node::str(rel, "relname"));
}

std::vector<std::string> relation_list(node::Element fields, std::string_view key) {
    std::vector<std::string> out;
    for (node::Element item : node::List(fields, key)) {
        node::Element rv, vr;
        if (node::as(item, "VacuumRelation", vr)) {
            std::string name = relation_field(vr, "relation");
            if (!name.empty()) out.push_back(name);
        } else if (node::as(item, "RangeVar", rv)) {
            out.push_back(
                normalize_relation(node::str(rv, "schemaname"), node::str(rv, "relname")));
        }
    }
    return out;
}

bool index_created_by_change(const Context& ctx, const std::string& dotted) {
    const schema::Relation* r = ctx.catalog.relation(normalize_relation(dotted));
    return r && r->kind == schema::RelKind::index && ctx.catalog.is_new_relation(r->key);
}

bool column_constraint(node::Element column_def, std::string_view contype, node::Element& out) {
    for (node::Element item : node::List(column_def, "constraints")) {
        node::Element c;
        if (node::as(item, "Constraint", c) && node::str(c, "contype") == contype) {
            out = c;
            return true;
        }
    }
    return false;
}

bool has_column_constraint(node::Element column_def, std::string_view contype) {
    node::Element ignored;
    return column_constraint(column_def, contype, ignored);
}

bool is_serial_type(node::Element column_def) {
    node::Element type;
    if (!node::get(column_def, "typeName", type)) return false;
    std::string name = lower(node::last_name(type, "names"));
    return name == "serial" || name == "bigserial" || name == "smallserial" || name == "serial2" ||
           name == "serial4" || name == "serial8";
}

std::string concurrent_operation(const Statement& st) {
    if (st.kind == "IndexStmt" && node::flag(st.node, "concurrent"))
        return "CREATE INDEX CONCURRENTLY";
    if (st.kind == "DropStmt" && node::flag(st.node, "concurrent"))
        return "DROP INDEX CONCURRENTLY";
    if (st.kind == "ReindexStmt" && option_enabled(st.node, "params", "concurrently"))
        return "REINDEX CONCURRENTLY";
    for (node::Element cmd : alter_table_commands(st)) {
        node::Element def, part;
        if (node::str(cmd, "subtype") == "AT_DetachPartition" && node::get(cmd, "def", def) &&
            node::as(def, "PartitionCmd", part) && node::flag(part, "concurrent"))
            return "DETACH PARTITION CONCURRENTLY";
    }
    // REFRESH MATERIALIZED VIEW CONCURRENTLY is allowed in a transaction: not listed.
    return {};
}

std::string blocking_lock_target(const Statement& st, const Context& ctx,
                                 const ExistingTest& existing) {
    const node::Element n = st.node;
    const std::string_view kind = st.kind;
    auto if_existing = [&](std::string name) {
        return existing(name) ? quote_name(name) : std::string();
    };
    if (kind == "AlterTableStmt") return alter_table_target(st, ctx, existing);
    if (kind == "RenameStmt") {
        std::string_view type = node::str(n, "renameType");
        if (type == "OBJECT_TABLE" || type == "OBJECT_COLUMN" || type == "OBJECT_TABCONSTRAINT")
            return if_existing(target_relation(st));
        return {};
    }
    if (kind == "IndexStmt")
        return node::flag(n, "concurrent") ? std::string() : if_existing(target_relation(st));
    if (kind == "CreateTrigStmt") return if_existing(target_relation(st));
    if (kind == "CreateStmt") {
        std::vector<std::string> refs;
        // CREATE TABLE ... PARTITION OF locks the parent exclusively.
        node::Element bound;
        if (node::get(n, "partbound", bound)) refs = relation_list(n, "inhRelations");
        referenced_tables(n, refs);
        // A self-referencing key points at the table being created, not an existing one.
        std::string self = target_relation(st);
        std::erase(refs, self);
        return first_existing(refs, existing);
    }
    if (kind == "TruncateStmt") return first_existing(relation_list(n, "relations"), existing);
    if (kind == "LockStmt") {
        // Modes 5 (SHARE) and above conflict with INSERT/UPDATE/DELETE.
        if (node::integer(n, "mode", 8) < 5) return {};
        return first_existing(relation_list(n, "relations"), existing);
    }
    if (kind == "DropStmt") {
        std::string_view type = node::str(n, "removeType");
        std::vector<std::string> targets = drop_targets(st);
        if (type == "OBJECT_TABLE" || type == "OBJECT_MATVIEW") {
            std::vector<std::string> names;
            for (const auto& t : targets) names.push_back(normalize_relation(t));
            return first_existing(names, existing);
        }
        // DROP VIEW takes ACCESS EXCLUSIVE on the view: every query reading it
        // waits, and the DROP waits for them.
        if (type == "OBJECT_VIEW") {
            for (const auto& t : targets)
                if (!ctx.catalog.is_new_relation(normalize_relation(t)))
                    return "view " + quote_name(normalize_relation(t));
            return {};
        }
        if (type == "OBJECT_INDEX" && !node::flag(n, "concurrent")) {
            for (const auto& t : targets)
                if (!index_created_by_change(ctx, t)) return "the table of index " + quote_name(t);
            return {};
        }
        if (type == "OBJECT_TRIGGER") {
            std::vector<std::string> tables;
            for (const auto& t : targets) {
                auto dot = t.rfind('.');
                if (dot != std::string::npos)
                    tables.push_back(normalize_relation(t.substr(0, dot)));
            }
            return first_existing(tables, existing);
        }
        return {};
    }
    if (kind == "VacuumStmt") {
        if (!option_enabled(n, "options", "full")) return {};
        std::vector<std::string> rels = relation_list(n, "rels");
        return rels.empty() ? "every table of the database" : first_existing(rels, existing);
    }
    if (kind == "ClusterStmt") {
        std::string rel = target_relation(st);
        return rel.empty() ? "every clustered table" : if_existing(rel);
    }
    if (kind == "ReindexStmt") {
        if (option_enabled(n, "params", "concurrently")) return {};
        std::string_view what = node::str(n, "kind");
        std::string rel = target_relation(st);
        if (what == "REINDEX_OBJECT_TABLE") return if_existing(rel);
        if (what == "REINDEX_OBJECT_INDEX")
            return rel.empty() || index_created_by_change(ctx, rel)
                       ? std::string()
                       : "the table of index " + quote_name(rel);
        std::string_view name = node::str(n, "name");
        return "every table of " +
               (name.empty() ? std::string("the database") : quote_identifier(name));
    }
    if (kind == "RefreshMatViewStmt")
        return node::flag(n, "concurrent") ? std::string() : if_existing(target_relation(st));
    return {};
}

}  // namespace pgw::rules::locking
