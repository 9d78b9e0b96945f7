#include "support.h"

#include <algorithm>
#include <cctype>

namespace pgw::rules {

std::vector<std::string> drop_targets(const Statement& st) {
    std::vector<std::string> out;
    if (st.kind != "DropStmt") return out;
    for (node::Element obj : node::List(st.node, "objects")) {
        node::Element list;
        std::string_view type = node::type_of(obj);
        if (node::as(obj, "List", list)) {
            out.push_back(node::dotted_names(list, "items"));
        } else if (type == "String") {
            out.push_back(std::string(node::str(node::fields_of(obj), "sval")));
        } else if (type == "ObjectWithArgs") {
            out.push_back(node::dotted_names(node::fields_of(obj), "objname"));
        } else if (type == "TypeName") {
            out.push_back(node::dotted_names(node::fields_of(obj), "names"));
        } else {
            out.push_back("?");
        }
    }
    return out;
}

const std::vector<node::Element>& alter_table_commands(const Statement& st) {
    return st.alter_commands;  // listed by the parser; empty for other statements
}

std::vector<node::Element> alter_table_defs(const Statement& st, std::string_view subtype,
                                            std::string_view def_type) {
    std::vector<node::Element> out;
    for (node::Element cmd : alter_table_commands(st)) {
        node::Element def, fields;
        if (node::str(cmd, "subtype") == subtype && node::get(cmd, "def", def) &&
            node::as(def, def_type, fields))
            out.push_back(fields);
    }
    return out;
}

std::string target_relation(const Statement& st) {
    node::Element rel;
    if (!node::get(st.node, "relation", rel)) return {};
    return normalize_relation(node::str(rel, "schemaname"), node::str(rel, "relname"));
}

std::string join_names(const std::vector<std::string>& names) {
    std::string out;
    for (const auto& n : names) out += (out.empty() ? "" : ", ") + quote_name(n);
    return out;
}

std::string join_list(const std::vector<std::string>& items) {
    std::string out;
    for (const auto& n : items) out += (out.empty() ? "" : ", ") + n;
    return out;
}

bool created_by_change(const Context& ctx, const std::string& relation) {
    // Rules ask it of the same few relations many times per statement (each
    // look-up builds a key and searches two maps): remembered until the model
    // steps. A handful of entries, so a vector.
    auto& known = ctx.memo.new_tables;
    for (const auto& [name, created] : known)
        if (name == relation) return created;
    bool created = ctx.catalog.is_new_table(relation);
    known.emplace_back(relation, created);
    return created;
}

}  // namespace pgw::rules
