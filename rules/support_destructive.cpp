#include "support_destructive.h"

#include <algorithm>
#include <cctype>
#include <utility>

namespace pgw::rules {
namespace {

std::string owned_key(std::string_view owner, std::string_view name) {
    return normalize_relation(owner) + "." + std::string(name);
}

std::string relation_key(node::Element fields, std::string_view key) {
    node::Element rel;
    if (!node::get(fields, key, rel)) return {};
    return normalize_relation(node::str(rel, "schemaname"), node::str(rel, "relname"));
}

// What a statement creates, as (DropStmt removeType, key as drop_keys() builds it).
std::vector<std::pair<std::string_view, std::string>> creations(const Statement& st) {
    const node::Element n = st.node;
    const std::string_view k = st.kind;
    std::vector<std::pair<std::string_view, std::string>> out;
    node::Element sub;
    if (k == "CreateStmt") {
        out.emplace_back("OBJECT_TABLE", relation_key(n, "relation"));
    } else if (k == "CreateForeignTableStmt" && node::get(n, "base", sub)) {
        out.emplace_back("OBJECT_FOREIGN_TABLE", relation_key(sub, "relation"));
    } else if (k == "CreateTableAsStmt" && node::get(n, "into", sub)) {
        bool matview = node::str(n, "objtype") == "OBJECT_MATVIEW";
        out.emplace_back(matview ? "OBJECT_MATVIEW" : "OBJECT_TABLE", relation_key(sub, "rel"));
    } else if (k == "ViewStmt") {
        out.emplace_back("OBJECT_VIEW", relation_key(n, "view"));
    } else if (k == "IndexStmt" && node::get(n, "relation", sub)) {
        // An index lives in the schema of its table.
        out.emplace_back("OBJECT_INDEX",
                         normalize_relation(node::str(sub, "schemaname"), node::str(n, "idxname")));
    } else if (k == "CreateFunctionStmt") {
        out.emplace_back(node::flag(n, "is_procedure") ? "OBJECT_PROCEDURE" : "OBJECT_FUNCTION",
                         normalize_relation(node::dotted_names(n, "funcname")));
    } else if (k == "CompositeTypeStmt") {
        out.emplace_back("OBJECT_TYPE", relation_key(n, "typevar"));
    } else if (k == "CreateEnumStmt" || k == "CreateRangeStmt") {
        out.emplace_back("OBJECT_TYPE", normalize_relation(node::dotted_names(n, "typeName")));
    } else if (k == "DefineStmt") {
        out.emplace_back(node::str(n, "kind"),
                         normalize_relation(node::dotted_names(n, "defnames")));
    } else if (k == "CreateDomainStmt") {
        out.emplace_back("OBJECT_DOMAIN", normalize_relation(node::dotted_names(n, "domainname")));
    } else if (k == "CreateSeqStmt") {
        out.emplace_back("OBJECT_SEQUENCE", relation_key(n, "sequence"));
    } else if (k == "CreateTrigStmt") {
        out.emplace_back("OBJECT_TRIGGER",
                         relation_key(n, "relation") + "." + std::string(node::str(n, "trigname")));
    } else if (k == "CreatePolicyStmt") {
        out.emplace_back("OBJECT_POLICY",
                         relation_key(n, "table") + "." + std::string(node::str(n, "policy_name")));
    } else if (k == "RuleStmt") {
        out.emplace_back("OBJECT_RULE",
                         relation_key(n, "relation") + "." + std::string(node::str(n, "rulename")));
    } else if (k == "CreateExtensionStmt") {
        out.emplace_back("OBJECT_EXTENSION", std::string(node::str(n, "extname")));
    } else if (k == "CreateSchemaStmt") {
        out.emplace_back("OBJECT_SCHEMA", std::string(node::str(n, "schemaname")));
    } else if (k == "CreateStatsStmt") {
        out.emplace_back("OBJECT_STATISTIC_EXT",
                         normalize_relation(node::dotted_names(n, "defnames")));
    }
    return out;
}

bool same_kind(std::string_view dropped, std::string_view created) {
    if (dropped == created) return true;
    // DROP ROUTINE drops functions, procedures and aggregates alike.
    return dropped == "OBJECT_ROUTINE" &&
           (created == "OBJECT_FUNCTION" || created == "OBJECT_PROCEDURE" ||
            created == "OBJECT_AGGREGATE");
}

std::string type_name(node::Element wrapped) {
    node::Element tn;
    return node::as(wrapped, "TypeName", tn) ? sql_type_name(tn) : "?";
}

}  // namespace

// Objects that live on a table: their names are qualified by the table, not a schema.
bool on_table(std::string_view remove_type) {
    return remove_type == "OBJECT_TRIGGER" || remove_type == "OBJECT_POLICY" ||
           remove_type == "OBJECT_RULE";
}

// "s.tbl.trg" -> "s.tbl" and "trg".
std::pair<std::string, std::string> split_last(const std::string& dotted) {
    auto dot = dotted.rfind('.');
    if (dot == std::string::npos) return {"", dotted};
    return {dotted.substr(0, dot), dotted.substr(dot + 1)};
}

// Insert/Update/Delete/Merge nodes: the statement and its data-modifying CTEs.
static void collect_dml(std::string_view kind, node::Element fields, std::vector<DataChange>& out) {
    if (kind == "InsertStmt" || kind == "UpdateStmt" || kind == "DeleteStmt" || kind == "MergeStmt")
        out.push_back({kind, fields});
    node::Element with;
    if (!node::get(fields, "withClause", with)) return;
    for (node::Element cte : node::List(with, "ctes")) {
        node::Element c, query;
        if (node::as(cte, "CommonTableExpr", c) && node::get(c, "ctequery", query))
            collect_dml(node::type_of(query), node::fields_of(query), out);
    }
}

std::vector<DataChange> all_data_changes(const Statement& st) {
    std::vector<DataChange> out;
    collect_dml(st.kind, st.node, out);
    return out;
}

std::string sql_type_name(node::Element fields) {
    std::string dotted = node::dotted_names(fields, "names");
    if (!dotted.starts_with("pg_catalog.")) return dotted;
    // The parser spells built-in types by their internal names; show what users write.
    static const std::pair<std::string_view, std::string_view> kNames[] = {
        {"int2", "smallint"},           {"int4", "integer"}, {"int8", "bigint"}, {"float4", "real"},
        {"float8", "double precision"}, {"bool", "boolean"}, {"bpchar", "char"},
    };
    std::string_view last = node::last_name(fields, "names");
    for (auto [internal, shown] : kNames)
        if (internal == last) return std::string(shown);
    return std::string(last);
}

std::string plural(std::string_view noun, std::size_t count) {
    std::string out(noun);
    if (count < 2 || out.empty() || out.back() == 's') return out;
    if (out.back() == 'y') return out.substr(0, out.size() - 1) + "ies";
    if (out.back() == 'x' || out.ends_with("ch")) return out + "es";
    return out + "s";
}

std::string display_relation(node::Element fields, std::string_view key) {
    node::Element rel;
    if (!node::get(fields, key, rel)) return std::string();
    std::string_view schema = node::str(rel, "schemaname");
    std::string name = quote_identifier(node::str(rel, "relname"));
    return schema.empty() ? name : quote_identifier(schema) + "." + name;
}

std::vector<std::string> alter_subcommand_names(const Statement& st, std::string_view subtype) {
    std::vector<std::string> out;
    for (node::Element cmd : alter_table_commands(st))
        if (node::str(cmd, "subtype") == subtype) out.emplace_back(node::str(cmd, "name"));
    return out;
}

bool alters_new_table(const Statement& st, const Context& ctx) {
    if (st.kind != "AlterTableStmt") return false;
    // The answer depends on the model, which moves on after each statement:
    // remembered for this statement while it is the one being checked.
    Context::StatementMemo& memo = ctx.memo;
    if (memo.index != ctx.statement_index || memo.statement != &st) {
        memo.index = ctx.statement_index;
        memo.statement = &st;
        memo.alters_new_table = created_by_change(ctx, target_relation(st));
    }
    return memo.alters_new_table;
}

std::string object_kind_label(std::string_view remove_type) {
    static const std::pair<std::string_view, std::string_view> kSpecial[] = {
        {"OBJECT_MATVIEW", "MATERIALIZED VIEW"},
        {"OBJECT_FDW", "FOREIGN DATA WRAPPER"},
        {"OBJECT_FOREIGN_SERVER", "SERVER"},
        {"OBJECT_OPCLASS", "OPERATOR CLASS"},
        {"OBJECT_OPFAMILY", "OPERATOR FAMILY"},
        {"OBJECT_STATISTIC_EXT", "STATISTICS"},
        {"OBJECT_TSCONFIGURATION", "TEXT SEARCH CONFIGURATION"},
        {"OBJECT_TSDICTIONARY", "TEXT SEARCH DICTIONARY"},
        {"OBJECT_TSPARSER", "TEXT SEARCH PARSER"},
        {"OBJECT_TSTEMPLATE", "TEXT SEARCH TEMPLATE"},
    };
    for (auto [type, label] : kSpecial)
        if (type == remove_type) return std::string(label);
    std::string out(remove_type.substr(remove_type.starts_with("OBJECT_") ? 7 : 0));
    for (char& c : out)
        if (c == '_') c = ' ';
    return out;
}

std::vector<std::string> drop_keys(const Statement& st) {
    std::vector<std::string> out;
    std::string_view type = node::str(st.node, "removeType");
    for (const std::string& target : drop_targets(st)) {
        if (on_table(type)) {
            auto [owner, name] = split_last(target);
            out.push_back(owned_key(owner, name));
        } else {
            out.push_back(normalize_relation(target));
        }
    }
    return out;
}

std::vector<std::string> drop_display_names(const Statement& st) {
    std::vector<std::string> out;
    if (st.kind != "DropStmt") return out;
    std::string_view type = node::str(st.node, "removeType");
    for (node::Element obj : node::List(st.node, "objects")) {
        node::Element f;
        if (node::as(obj, "List", f)) {
            node::List items(f, "items");
            if (type == "OBJECT_CAST" && items.size() == 2) {
                auto it = items.begin();
                std::string from = type_name(*it);
                out.push_back("(" + from + " AS " + type_name(*++it) + ")");
                continue;
            }
            std::string dotted = node::dotted_names(f, "items");
            auto [owner, name] = split_last(dotted);
            if (on_table(type))
                out.push_back(quote_name(name) + " ON " + quote_name(owner));
            else if (type == "OBJECT_OPCLASS" || type == "OBJECT_OPFAMILY")
                out.push_back(quote_name(dotted.substr(dotted.find('.') + 1)) + " USING " +
                              quote_identifier(dotted.substr(0, dotted.find('.'))));
            else
                out.push_back(dotted.empty() ? "?" : quote_name(dotted));
        } else if (node::as(obj, "ObjectWithArgs", f)) {
            // Operators are symbols, never quoted: DROP OPERATOR =#> (integer, integer).
            std::string name = node::dotted_names(f, "objname");
            if (type != "OBJECT_OPERATOR") name = quote_name(name);
            if (!node::flag(f, "args_unspecified")) {
                std::string args;
                for (node::Element a : node::List(f, "objargs"))
                    args += (args.empty() ? "" : ", ") + type_name(a);
                name += "(" + args + ")";
            }
            out.push_back(name);
        } else if (node::as(obj, "String", f)) {
            out.push_back(quote_identifier(node::str(f, "sval")));
        } else if (node::as(obj, "TypeName", f)) {
            out.push_back(quote_name(node::dotted_names(f, "names")));
        } else {
            out.push_back("?");
        }
    }
    return out;
}

bool object_created_by_change(const Context& ctx, std::string_view type, const std::string& key) {
    const schema::SchemaModel& m = ctx.catalog.model();
    if (type == "OBJECT_TABLE" || type == "OBJECT_VIEW" || type == "OBJECT_MATVIEW" ||
        type == "OBJECT_INDEX" || type == "OBJECT_SEQUENCE" || type == "OBJECT_FOREIGN_TABLE")
        return ctx.catalog.is_new_relation(key);
    if (type == "OBJECT_TYPE" || type == "OBJECT_DOMAIN") {
        const schema::Type* t = m.type(key);
        return t && m.by_change(*t);
    }
    if (type == "OBJECT_FUNCTION" || type == "OBJECT_PROCEDURE" || type == "OBJECT_AGGREGATE" ||
        type == "OBJECT_ROUTINE") {
        for (auto it = m.routines.lower_bound(key); it != m.routines.end(); ++it) {
            if (it->first.compare(0, key.size(), key) != 0) break;
            if (it->first.size() > key.size() && it->first[key.size()] == '(' &&
                m.by_change(it->second))
                return true;
        }
        return false;
    }
    if (type == "OBJECT_TRIGGER" || type == "OBJECT_POLICY" || type == "OBJECT_RULE") {
        auto [table, name] = split_last(key);
        if (ctx.catalog.is_new_table(table)) return true;
        const auto& objects = type == "OBJECT_POLICY" ? m.policies : m.triggers;
        auto it = objects.find({normalize_relation(table), name});
        return it != objects.end() && m.by_change(it->second);
    }
    if (type == "OBJECT_SCHEMA") {
        auto it = m.schemas.find(key);
        return it != m.schemas.end() && m.by_change(it->second);
    }
    if (type == "OBJECT_EXTENSION") {
        auto it = m.extensions.find(key);
        return it != m.extensions.end() && m.by_change(it->second);
    }
    return false;
}

void note_creations(const Context& ctx, const Rule* rule, const Statement& st) {
    for (const auto& [type, name] : creations(st))
        ctx.notes->remember(rule, std::string(type) + " " + name);
}

bool noted_creation(const Context& ctx, const Rule* rule, std::string_view remove_type,
                    const std::string& key) {
    if (remove_type == "OBJECT_ROUTINE")
        for (std::string_view t : {"OBJECT_FUNCTION", "OBJECT_PROCEDURE", "OBJECT_AGGREGATE"})
            if (ctx.notes->seen(rule, std::string(t) + " " + key)) return true;
    return ctx.notes->seen(rule, std::string(remove_type) + " " + key);
}

bool created_later(const Context& ctx, std::string_view remove_type, const std::string& key) {
    return ctx.any_later([&](const Statement& st) {
        for (const auto& [type, name] : creations(st))
            if (name == key && same_kind(remove_type, type)) return true;
        return false;
    });
}

std::vector<DataChange> data_changes(const Statement& st) {
    std::vector<DataChange> out;
    for (const DataChange& d : all_data_changes(st))
        if (d.kind == "DeleteStmt" || d.kind == "UpdateStmt") out.push_back(d);
    return out;
}

std::vector<std::string> unfiltered_targets(const Statement& st, const Context& ctx,
                                            std::string_view kind) {
    std::vector<std::string> out;
    for (const DataChange& d : data_changes(st)) {
        node::Element where;
        if (d.kind != kind || node::get(d.fields, "whereClause", where)) continue;
        if (!created_by_change(ctx, relation_key(d.fields, "relation")))
            out.push_back(display_relation(d.fields));
    }
    return out;
}

}  // namespace pgw::rules
