// Spans of the parts of a statement a finding is about: a name, a clause, one
// subcommand of an ALTER TABLE. PostgreSQL 15's parse tree gives no location for
// an AlterTableCmd, so its clauses are found in the text: commas at the
// statement's own nesting level, outside literals and comments.
#include <cctype>

#include "support.h"

namespace pgw::rules {

namespace {

// Index just past the literal, quoted name or comment starting at `i`, or `i`
// itself when none starts there. Follows the scanner's rules:
// https://www.postgresql.org/docs/15/sql-syntax-lexical.html
std::size_t skip_opaque(std::string_view t, std::size_t i) {
    const std::size_t n = t.size();
    char c = t[i];
    if (c == '-' && i + 1 < n && t[i + 1] == '-') {
        std::size_t e = t.find('\n', i);
        return e == std::string_view::npos ? n : e;
    }
    if (c == '/' && i + 1 < n && t[i + 1] == '*') {
        int depth = 0;  // block comments nest in PostgreSQL
        for (std::size_t j = i; j + 1 < n; ++j) {
            if (t[j] == '/' && t[j + 1] == '*') {
                ++depth;
                ++j;
            } else if (t[j] == '*' && t[j + 1] == '/') {
                ++j;
                if (--depth == 0) return j + 1;
            }
        }
        return n;
    }
    if (c == '$') {
        // $tag$ ... $tag$ (a tag is empty or an identifier not starting with a digit)
        std::size_t j = i + 1;
        while (j < n && (std::isalnum(static_cast<unsigned char>(t[j])) || t[j] == '_' ||
                         static_cast<unsigned char>(t[j]) >= 0x80))
            ++j;
        if (j >= n || t[j] != '$' ||
            (j > i + 1 && std::isdigit(static_cast<unsigned char>(t[i + 1]))))
            return i;
        std::string_view tag = t.substr(i, j - i + 1);
        std::size_t e = t.find(tag, j + 1);
        return e == std::string_view::npos ? n : e + tag.size();
    }
    if (c == '\'' || c == '"') {
        // E'...' strings take backslash escapes; elsewhere a doubled quote is one.
        bool escapes = c == '\'' && i > 0 && (t[i - 1] == 'e' || t[i - 1] == 'E');
        for (std::size_t j = i + 1; j < n; ++j) {
            if (escapes && t[j] == '\\') {
                ++j;
            } else if (t[j] == c) {
                if (j + 1 < n && t[j + 1] == c) {
                    ++j;
                    continue;
                }
                return j + 1;
            }
        }
        return n;
    }
    return i;
}

// Offsets of the commas at nesting level 0 from `from`, stopping at a closing
// bracket that leaves that level.
std::vector<std::size_t> top_level_commas(std::string_view t, std::size_t from,
                                          std::size_t* stop = nullptr) {
    std::vector<std::size_t> commas;
    int depth = 0;
    std::size_t i = from;
    while (i < t.size()) {
        char c = t[i];
        // Only these start what skip_opaque skips: the test spares a call per byte.
        if (c == '-' || c == '/' || c == '$' || c == '\'' || c == '"') {
            std::size_t past = skip_opaque(t, i);
            if (past != i) {
                i = past;
                continue;
            }
        }
        if (c == '(' || c == '[') {
            ++depth;
        } else if (c == ')' || c == ']') {
            if (depth-- == 0) break;
        } else if (c == ',' && depth == 0) {
            commas.push_back(i);
        }
        ++i;
    }
    if (stop) *stop = i;
    return commas;
}

// The span of text[begin, end) with surrounding blanks and comments trimmed.
Span trimmed(const Statement& st, std::size_t begin, std::size_t end) {
    std::string_view t = st.text;
    for (;;) {
        while (begin < end && std::isspace(static_cast<unsigned char>(t[begin]))) ++begin;
        std::size_t past = begin < end ? skip_opaque(t, begin) : begin;
        if (past == begin || (t[begin] != '-' && t[begin] != '/')) break;
        begin = std::min(past, end);
    }
    // A trailing line comment ("ALTER COLUMN d TYPE bigint, -- why") belongs to
    // the next clause's text, so only blanks need trimming at the end.
    while (end > begin && std::isspace(static_cast<unsigned char>(t[end - 1]))) --end;
    return st.span_at(static_cast<int64_t>(begin), end - begin);
}

// command_span with the statement's top-level commas already found.
Span command_span_between(const Statement& st, std::size_t index,
                          const std::vector<std::size_t>& commas) {
    std::size_t count = alter_table_commands(st).size();
    // One subcommand: the statement is the clause. A count that disagrees with
    // the text (a comma the scanner misread) falls back to the statement too.
    if (count <= 1 || commas.size() + 1 != count || index >= count) return st.span;
    std::size_t begin = index == 0 ? 0 : commas[index - 1] + 1;
    std::size_t end = index + 1 < count ? commas[index] : st.text.size();
    return trimmed(st, begin, end);
}

}  // namespace

Span clause_span(const Statement& st, int64_t location) {
    if (location < 0 || static_cast<std::size_t>(location) >= st.text.size()) return st.span;
    std::size_t stop = 0;
    auto commas = top_level_commas(st.text, static_cast<std::size_t>(location), &stop);
    std::size_t end = commas.empty() ? stop : commas.front();
    return trimmed(st, static_cast<std::size_t>(location), end);
}

Span command_span(const Statement& st, std::size_t index) {
    return command_span_between(st, index, top_level_commas(st.text, 0));
}

Span command_span_at(const Statement& st, int64_t location) {
    if (location < 0) return st.span;
    auto commas = top_level_commas(st.text, 0);
    std::size_t index = 0;
    while (index < commas.size() && commas[index] < static_cast<std::size_t>(location)) ++index;
    return command_span_between(st, index, commas);
}

Span name_span(const Statement& st, int64_t location) {
    if (location < 0 || static_cast<std::size_t>(location) >= st.text.size()) return st.span;
    std::string_view t = st.text;
    std::size_t i = static_cast<std::size_t>(location);
    auto ident = [](unsigned char c) {
        return std::isalnum(c) || c == '_' || c == '$' || c >= 0x80;
    };
    while (i < t.size()) {
        if (t[i] == '"') {
            i = skip_opaque(t, i);  // "a""b" is one name
        } else {
            while (i < t.size() && ident(static_cast<unsigned char>(t[i]))) ++i;
        }
        if (i < t.size() && t[i] == '.')
            ++i;
        else
            break;
    }
    return st.span_at(location, i - static_cast<std::size_t>(location));
}

}  // namespace pgw::rules
