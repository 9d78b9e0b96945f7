// identifier-too-long: PostgreSQL truncates identifiers to 63 bytes (NAMEDATALEN - 1)
// with only a NOTICE, so the object gets a name other than the one written: later
// migrations, ORMs and two names sharing a 63-byte prefix then disagree.
#include <algorithm>
#include <cctype>
#include <set>

#include "engine/rule.h"

namespace pgw {
namespace {

constexpr std::size_t kMaxIdentifierBytes = 63;

// Fields that name the object being created wherever they appear in a statement.
bool defines_name(std::string_view key) {
    return key == "colname" || key == "idxname" || key == "conname" || key == "newname" ||
           key == "trigname" || key == "policy_name" || key == "rulename";
}

// Statements that create or rename things; references elsewhere are not ours to judge.
bool names_objects(std::string_view kind) {
    return kind.starts_with("Create") || kind.starts_with("Alter") || kind == "RenameStmt" ||
           kind == "IndexStmt" || kind == "ViewStmt" || kind == "DefineStmt" ||
           kind == "CompositeTypeStmt" || kind == "RuleStmt";
}

class Collector {
  public:
    std::vector<std::string_view> names;

    // The parser has already truncated the names in the tree, so any name near the
    // limit is a candidate; the statement text tells whether it was cut.
    void add(std::string_view name) {
        if (name.size() + 3 >= kMaxIdentifierBytes && seen_.insert(name).second)
            names.push_back(name);
    }
    void add_list(node::Element fields, std::string_view key) {
        for (node::Element item : node::List(fields, key)) {
            node::Element s;
            if (node::as(item, "String", s)) add(node::str(s, "sval"));
        }
    }
    void add_range_var(node::Element fields, std::string_view key) {
        node::Element rel;
        if (!node::get(fields, key, rel)) return;
        add(node::str(rel, "schemaname"));
        add(node::str(rel, "relname"));
    }

    // The created object's own name, for the statement kinds that hold it in a
    // field also used for references (a RangeVar, a name list).
    void created_names(std::string_view kind, node::Element n) {
        if (kind == "CreateStmt")
            add_range_var(n, "relation");
        else if (kind == "CreateSeqStmt")
            add_range_var(n, "sequence");
        else if (kind == "ViewStmt")
            add_range_var(n, "view");
        else if (kind == "CompositeTypeStmt")
            add_range_var(n, "typevar");
        else if (kind == "CreateSchemaStmt")
            add(node::str(n, "schemaname"));
        else if (kind == "CreateEnumStmt")
            add_list(n, "typeName");
        else if (kind == "CreateDomainStmt")
            add_list(n, "domainname");
        else if (kind == "CreateFunctionStmt")
            add_list(n, "funcname");
        else if (kind == "DefineStmt")
            add_list(n, "defnames");
        else if (kind == "CreateTableAsStmt") {
            node::Element into;
            if (node::get(n, "into", into)) add_range_var(into, "rel");
        }
    }

    // Every field that defines a name, at any depth (ColumnDef in tableElts, Constraint
    // in an ALTER TABLE command, CREATE TABLE inside CREATE SCHEMA ...).
    void walk(node::Element e) {
        if (e.is_array()) {
            for (node::Element child : e.get_array()) walk(child);
            return;
        }
        if (!e.is_object()) return;
        for (auto [key, value] : e.get_object()) {
            std::string_view s;
            if (defines_name(key) && !value.get(s)) add(s);
            if (names_objects(key) && value.is_object()) created_names(key, value);
            walk(value);
        }
    }

  private:
    std::set<std::string_view> seen_;
};

bool ident_char(char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '$' ||
           (static_cast<unsigned char>(c) & 0x80);
}

// The identifier as written in the statement, found from its truncated form (unquoted
// names are folded to lower case, hence the case-insensitive search). Empty when the
// written identifier is not longer than the stored one.
std::string_view written(std::string_view text, std::string_view stored) {
    auto same = [](char a, char b) {
        return std::tolower(static_cast<unsigned char>(a)) ==
               std::tolower(static_cast<unsigned char>(b));
    };
    for (auto it = text.begin();; ++it) {
        it = std::search(it, text.end(), stored.begin(), stored.end(), same);
        if (it == text.end()) return {};
        std::size_t at = static_cast<std::size_t>(it - text.begin());
        if (at > 0 && ident_char(text[at - 1])) continue;
        bool quoted = at > 0 && text[at - 1] == '"';
        std::size_t end = at + stored.size();
        if (quoted) {
            std::size_t close = text.find('"', end);
            end = close == std::string_view::npos ? end : close;
        } else {
            while (end < text.size() && ident_char(text[end])) ++end;
        }
        if (end - at > kMaxIdentifierBytes) return text.substr(at, end - at);
    }
}

class IdentifierTooLong final : public Rule {
  public:
    const RuleInfo& info() const override {
        static const RuleInfo i{
            "identifier-too-long",
            Category::naming,
            Severity::error,
            Risk::none,
            "an identifier longer than 63 bytes, which PostgreSQL silently truncates",
            "PostgreSQL keeps only the first 63 bytes of an identifier (multi-byte characters "
            "count for several) and only says so in a NOTICE: choose a shorter name, for "
            "example by abbreviating the table part of index and constraint names",
            "CREATE INDEX IF NOT EXISTS "
            "bookings_customer_id_created_at_status_partial_covering_index_for_reports\n"
            "    ON bookings (customer_id, created_at, status);",
            "CREATE INDEX IF NOT EXISTS bookings_customer_created_status_idx\n"
            "    ON bookings (customer_id, created_at, status);"};
        return i;
    }

    void check(const Statement& st, const Context&, Emitter& out) const override {
        if (!names_objects(st.kind)) return;
        Collector c;
        c.created_names(st.kind, st.node);
        c.walk(st.node);
        for (std::string_view stored : c.names) {
            std::string_view name = written(st.text, stored);
            if (name.empty()) continue;
            std::size_t at = static_cast<std::size_t>(name.data() - st.text.data());
            Span span = st.exact ? Span{st.base + at, st.base + at + name.size()} : st.span;
            out.emit(span, "identifier is " + std::to_string(name.size()) +
                               " bytes long: PostgreSQL silently truncates it to 63 bytes, \"" +
                               std::string(stored) + "\"");
        }
    }
};

PGW_REGISTER_RULE(IdentifierTooLong);

}  // namespace
}  // namespace pgw
