// The names PostgreSQL gives to objects a statement does not name, and the
// parts of normalized keys.
#include "schema/text.h"

namespace pgw::schema {

namespace {
constexpr std::size_t kNameMax = 63;  // NAMEDATALEN - 1
}

std::string figure_colname(node::Element wrapped) {
    std::string_view type = node::type_of(wrapped);
    node::Element f = node::fields_of(wrapped);
    if (type == "ColumnRef") {
        node::Element last;
        for (node::Element field : node::List(f, "fields")) last = field;
        node::Element s;
        return node::as(last, "String", s) ? std::string(node::str(s, "sval")) : std::string();
    }
    if (type == "FuncCall") return std::string(node::last_name(f, "funcname"));
    if (type == "TypeCast") {
        node::Element arg, tn;
        std::string inner = node::get(f, "arg", arg) ? figure_colname(arg) : std::string();
        if (!inner.empty()) return inner;
        return node::get(f, "typeName", tn) ? std::string(node::last_name(tn, "names"))
                                            : std::string();
    }
    if (type == "CoalesceExpr") return "coalesce";
    if (type == "A_ArrayExpr") return "array";
    if (type == "CaseExpr") return "case";
    return {};
}

std::string object_name(std::string_view name1, std::string_view name2, std::string_view label) {
    std::size_t overhead = (name2.empty() ? 0 : 1) + (label.empty() ? 0 : label.size() + 1);
    std::size_t avail = kNameMax > overhead ? kNameMax - overhead : 0;
    std::size_t n1 = name1.size(), n2 = name2.size();
    while (n1 + n2 > avail) {
        if (n1 > n2)
            --n1;
        else
            --n2;
    }
    // pg_mbcliplen: never cut a UTF-8 character in half.
    auto clip = [](std::string_view s, std::size_t n) {
        while (n > 0 && n < s.size() && (static_cast<unsigned char>(s[n]) & 0xC0) == 0x80) --n;
        return s.substr(0, n);
    };
    std::string out(clip(name1, n1));
    if (!name2.empty()) out += "_" + std::string(clip(name2, n2));
    if (!label.empty()) out += "_" + std::string(label);
    return out;
}

std::string name_addition(const std::vector<std::string>& names) {
    std::string out;
    for (const std::string& n : names) {
        if (!out.empty()) out += '_';
        out += n.substr(0, kNameMax + 1);
        if (out.size() > kNameMax) break;
    }
    return out;
}

std::string_view schema_of(std::string_view key) {
    auto dot = key.rfind('.');
    return dot == std::string_view::npos ? std::string_view{} : key.substr(0, dot);
}

}  // namespace pgw::schema
