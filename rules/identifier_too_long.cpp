// identifier-too-long: PostgreSQL truncates identifiers to 63 bytes (NAMEDATALEN - 1)
// with only a NOTICE, so the object gets a name other than the one written: later
// migrations, ORMs and two names sharing a 63-byte prefix then disagree.
#include <algorithm>
#include <cctype>
#include <optional>
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

// Inline ASCII tests rather than <cctype>'s call per byte: every byte of every
// statement that names objects goes through here.
bool ident_char(char c) {
    auto u = static_cast<unsigned char>(c);
    return (u >= 'a' && u <= 'z') || (u >= 'A' && u <= 'Z') || (u >= '0' && u <= '9') || u == '_' ||
           u == '$' || u >= 0x80;
}

// An identifier as written: where it is in the text and how many bytes it has
// once read (a quoted `""` is one byte; unquoted names fold ASCII to lower case).
struct Written {
    std::size_t at = 0, length = 0;  // in the statement text, quotes included
    std::size_t bytes = 0;
};

// Index past the string literal or comment at `i` (`i` when none starts there):
// a name inside '...', $$...$$ or a comment is not an identifier.
std::size_t skip_literal(std::string_view t, std::size_t i) {
    if (t.compare(i, 2, "--") == 0) {
        std::size_t e = t.find('\n', i);
        return e == std::string_view::npos ? t.size() : e;
    }
    if (t.compare(i, 2, "/*") == 0) {
        std::size_t e = t.find("*/", i + 2);
        return e == std::string_view::npos ? t.size() : e + 2;
    }
    if (t[i] == '\'') {
        bool escapes = i > 0 && (t[i - 1] == 'e' || t[i - 1] == 'E');
        for (std::size_t j = i + 1; j < t.size(); ++j) {
            if (escapes && t[j] == '\\')
                ++j;
            else if (t[j] == '\'' && j + 1 < t.size() && t[j + 1] == '\'')
                ++j;
            else if (t[j] == '\'')
                return j + 1;
        }
        return t.size();
    }
    if (t[i] == '$' && (i == 0 || !ident_char(t[i - 1]))) {
        std::size_t j = i + 1;
        while (j < t.size() && ident_char(t[j]) && t[j] != '$') ++j;
        if (j < t.size() && t[j] == '$') {
            std::string_view tag = t.substr(i, j - i + 1);
            std::size_t e = t.find(tag, j + 1);
            return e == std::string_view::npos ? t.size() : e + tag.size();
        }
    }
    return i;
}

// A token of long_identifiers as PostgreSQL reads it: a quoted `""` is one
// byte, unquoted names fold ASCII to lower case.
std::string read_name(std::string_view token) {
    std::string name;
    if (token.front() == '"') {
        for (std::size_t i = 1; i < token.size(); ++i) {
            if (token[i] != '"') {
                name += token[i];
            } else if (i + 1 < token.size() && token[i + 1] == '"') {
                name += '"';
                ++i;
            } else {
                break;
            }
        }
    } else {
        for (char c : token) name += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
    return name;
}

// False when `text` cannot hold an identifier longer than 63 bytes: no
// double quote and no run of 64 identifier bytes. Literals and comments only
// ever remove candidates, so this never hides one; it looks at about one
// byte in 64 of ordinary SQL, where long_identifiers reads them all.
bool may_hold_long_identifier(std::string_view text) {
    if (text.find('"') != std::string_view::npos) return true;
    constexpr std::size_t run = kMaxIdentifierBytes + 1;
    // Invariant: no run of `run` identifier bytes ends before `i`.
    for (std::size_t i = run - 1; i < text.size();) {
        if (!ident_char(text[i])) {
            i += run;
            continue;
        }
        std::size_t b = i;
        while (b > 0 && i - b + 1 < run && ident_char(text[b - 1])) --b;
        if (i - b + 1 >= run) return true;
        i = b + run - 1;  // the earliest end of a run starting at b or later
    }
    return false;
}

// The identifiers of `text` longer than 63 bytes once read, in order:
// `found(at, end, name)` for each until it returns true. Shorter names are
// counted, never built, so a statement without a long one costs one pass.
// https://www.postgresql.org/docs/15/sql-syntax-lexical.html#SQL-SYNTAX-IDENTIFIERS
template <class Found>
void long_identifiers(std::string_view text, Found found) {
    std::size_t i = 0;
    while (i < text.size()) {
        // Literals and comments start only at these (skip_literal's cases).
        char c = text[i];
        if (c == '-' || c == '/' || c == '\'' || c == '$') {
            std::size_t past = skip_literal(text, i);
            if (past != i) {
                i = past;
                continue;
            }
        }
        std::size_t at = i, bytes = 0;
        if (text[i] == '"') {
            for (++i; i < text.size(); ++i) {
                if (text[i] != '"') {
                    ++bytes;
                } else if (i + 1 < text.size() && text[i + 1] == '"') {
                    ++bytes;
                    ++i;
                } else {
                    ++i;
                    break;
                }
            }
        } else if (ident_char(text[i]) && !(text[i] >= '0' && text[i] <= '9')) {
            while (i < text.size() && ident_char(text[i])) ++bytes, ++i;
        } else {
            ++i;
            continue;
        }
        if (bytes > kMaxIdentifierBytes && found(at, i, read_name(text.substr(at, i - at)))) return;
    }
}

// The written identifier longer than 63 bytes that PostgreSQL stored as
// `stored` (it keeps the first 63 bytes), if the statement has one.
std::optional<Written> written(std::string_view text, std::string_view stored) {
    std::optional<Written> out;
    long_identifiers(text, [&](std::size_t at, std::size_t end, const std::string& name) {
        if (!name.starts_with(stored)) return false;
        out = Written{at, end - at, name.size()};
        return true;
    });
    return out;
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
        // Only a name written longer than 63 bytes is reported: without one
        // in the text, the parse tree need not be walked.
        if (!may_hold_long_identifier(st.text)) return;
        bool any = false;
        long_identifiers(st.text,
                         [&](std::size_t, std::size_t, const std::string&) { return any = true; });
        if (!any) return;
        Collector c;
        c.created_names(st.kind, st.node);
        c.walk(st.node);
        for (std::string_view stored : c.names) {
            std::optional<Written> name = written(st.text, stored);
            if (!name) continue;
            Span span =
                st.exact ? Span{st.base + name->at, st.base + name->at + name->length} : st.span;
            out.emit(span, "identifier is " + std::to_string(name->bytes) +
                               " bytes long: PostgreSQL silently truncates it to 63 bytes, \"" +
                               std::string(stored) + "\"");
        }
    }
};

PGW_REGISTER_RULE(IdentifierTooLong);

}  // namespace
}  // namespace pgw
