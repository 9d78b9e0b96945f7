#include "catalog.h"

namespace pgw {

std::string normalize_relation(std::string_view schema, std::string_view name) {
    if (schema.empty() || schema == "public") return std::string(name);
    return std::string(schema) + "." + std::string(name);
}

std::string normalize_relation(std::string_view dotted) {
    auto dot = dotted.rfind('.');
    if (dot == std::string_view::npos) return std::string(dotted);
    return normalize_relation(dotted.substr(0, dot), dotted.substr(dot + 1));
}

bool Catalog::is_new_table(std::string_view qualified) const {
    return new_tables_.find(normalize_relation(qualified)) != new_tables_.end();
}

void Catalog::apply(const Statement& st) {
    node::Element rel;
    if (st.kind == "CreateStmt" || st.kind == "CreateTableAsStmt") {
        node::Element into;
        if (st.kind == "CreateTableAsStmt" && node::get(st.node, "into", into))
            node::get(into, "rel", rel);
        else
            node::get(st.node, "relation", rel);
        add_new_table(normalize_relation(node::str(rel, "schemaname"), node::str(rel, "relname")));
    } else if (st.kind == "RenameStmt" && node::str(st.node, "renameType") == "OBJECT_TABLE" &&
               node::get(st.node, "relation", rel)) {
        std::string from = normalize_relation(node::str(rel, "schemaname"), node::str(rel, "relname"));
        if (is_new_table(from))
            add_new_table(normalize_relation(node::str(rel, "schemaname"),
                                             node::str(st.node, "newname")));
    }
}

}  // namespace pgw
