#include "column_types.h"

#include <cctype>

#include "support.h"

namespace pgw::rules {

namespace {

bool ident_char(char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '$' || c == '.' ||
           (static_cast<unsigned char>(c) & 0x80);
}

bool word_at(std::string_view text, std::size_t at, std::string_view word) {
    if (text.size() < at + word.size()) return false;
    for (std::size_t i = 0; i < word.size(); ++i)
        if (std::tolower(static_cast<unsigned char>(text[at + i])) != word[i]) return false;
    return at + word.size() == text.size() || !ident_char(text[at + word.size()]);
}

// How many bytes the type written at `at` takes: its words (`character varying`,
// `timestamp(3) without time zone`), typmods and array brackets. The parse tree has
// only the start, and a caret under the whole type reads better than under a letter.
std::size_t type_length(std::string_view text, std::size_t at) {
    static const char* const kContinuations[] = {"varying", "precision", "without",
                                                 "with",    "time",      "zone"};
    std::size_t end = at;
    if (end < text.size() && text[end] == '"') {
        std::size_t close = text.find('"', end + 1);
        end = close == std::string_view::npos ? text.size() : close + 1;
    }
    while (end < text.size() && ident_char(text[end])) ++end;
    for (std::size_t p = end;;) {
        while (p < text.size() && std::isspace(static_cast<unsigned char>(text[p]))) ++p;
        if (p >= text.size()) break;
        if (text[p] == '(' || text[p] == '[') {
            std::size_t close = text.find(text[p] == '(' ? ')' : ']', p);
            if (close == std::string_view::npos) break;
            end = p = close + 1;
            continue;
        }
        bool more = false;
        for (const char* w : kContinuations) {
            if (word_at(text, p, w)) {
                end = p = p + std::string_view(w).size();
                more = true;
                break;
            }
        }
        if (!more) break;
    }
    return end - at;
}

void add(const Statement& st, node::Element column_def, std::string_view column,
         std::vector<ColumnType>& out) {
    node::Element def, type_name;
    if (!node::as(column_def, "ColumnDef", def) || !node::get(def, "typeName", type_name)) return;
    ColumnType t;
    t.column = column.empty() ? node::str(def, "colname") : column;
    std::size_t count = node::List(type_name, "names").size();
    for (node::Element item : node::List(type_name, "names")) {
        node::Element s;
        if (!node::as(item, "String", s)) continue;
        if (count-- == 2) t.schema = node::str(s, "sval");
    }
    t.name = node::last_name(type_name, "names");
    t.has_typmods = !node::List(type_name, "typmods").empty();
    int64_t location = node::integer(type_name, "location");
    std::size_t length = location >= 0 && static_cast<std::size_t>(location) < st.text.size()
                             ? type_length(st.text, static_cast<std::size_t>(location))
                             : 1;
    t.span = st.span_at(location, length);
    out.push_back(t);
}

}  // namespace

std::vector<ColumnType> column_types(const Statement& st) {
    std::vector<ColumnType> out;
    if (st.kind == "CreateStmt") {
        for (node::Element element : node::List(st.node, "tableElts")) add(st, element, {}, out);
    }
    for (node::Element cmd : alter_table_commands(st)) {
        std::string_view sub = node::str(cmd, "subtype");
        node::Element def;
        if ((sub != "AT_AddColumn" && sub != "AT_AlterColumnType") || !node::get(cmd, "def", def))
            continue;
        add(st, def, sub == "AT_AlterColumnType" ? node::str(cmd, "name") : std::string_view{},
            out);
    }
    return out;
}

}  // namespace pgw::rules
