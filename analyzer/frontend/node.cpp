#include "frontend/node.h"

namespace pgw::node {

std::vector<std::string> string_list(Element holder, std::string_view key) {
    std::vector<std::string> out;
    for (Element item : List(holder, key)) {
        Element s;
        if (as(item, "String", s)) out.emplace_back(str(s, "sval"));
    }
    return out;
}

std::string dotted_names(Element e, std::string_view key) {
    std::string out;
    for (Element item : List(e, key)) {
        Element s;
        if (!as(item, "String", s)) continue;
        if (!out.empty()) out += '.';
        out += str(s, "sval");
    }
    return out;
}

std::string_view last_name(Element e, std::string_view key) {
    std::string_view last;
    for (Element item : List(e, key)) {
        Element s;
        if (as(item, "String", s)) last = str(s, "sval");
    }
    return last;
}

std::string range_var_name(Element range_var) {
    std::string_view schema = str(range_var, "schemaname");
    std::string_view name = str(range_var, "relname");
    if (schema.empty()) return std::string(name);
    return std::string(schema) + "." + std::string(name);
}

}  // namespace pgw::node
