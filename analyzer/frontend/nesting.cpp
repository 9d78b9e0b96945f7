#include "frontend/nesting.h"

#include <vector>

namespace pgw {

namespace {

bool is_op_char(char c) {
    switch (c) {
        case '+':
        case '-':
        case '*':
        case '/':
        case '<':
        case '>':
        case '=':
        case '~':
        case '!':
        case '@':
        case '#':
        case '%':
        case '^':
        case '&':
        case '|':
        case '`':
        case '?':
        case ':':
            return true;
        default:
            return false;
    }
}

bool is_ident_start(unsigned char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c >= 0x80;
}

bool is_ident_char(unsigned char c) {
    return is_ident_start(c) || (c >= '0' && c <= '9') || c == '$';
}

std::string_view lower(std::string_view w, char (&buf)[10]) {
    if (w.size() > sizeof buf) return {};
    for (std::size_t i = 0; i < w.size(); ++i)
        buf[i] = w[i] >= 'A' && w[i] <= 'Z' ? static_cast<char>(w[i] + 32) : w[i];
    return {buf, w.size()};
}

// Keywords that, chained, build a left-deep tree like an operator does
// (`a IS NULL IS NULL`, `x COLLATE "C" COLLATE "C"`, `t AT TIME ZONE 'a' AT ...`).
bool chains(std::string_view l) {
    static constexpr std::string_view kWords[] = {"is",      "like", "ilike",  "similar",
                                                  "collate", "at",   "between"};
    for (std::string_view k : kWords)
        if (l == k) return true;
    return false;
}

// Keywords that end an expression: what follows starts a new chain. AND and
// OR among them, as the grammar flattens `a AND b AND c` into one BoolExpr.
bool separates(std::string_view l) {
    static constexpr std::string_view kWords[] = {"and",       "or",     "when",  "then",   "else",
                                                  "select",    "from",   "where", "values", "set",
                                                  "returning", "having", "on",    "using"};
    for (std::string_view k : kWords)
        if (l == k) return true;
    return false;
}

// End of the quoted text opened at `i` (one past the closing quote, or the end).
std::size_t skip_quoted(std::string_view s, std::size_t i, char quote, bool backslashes) {
    for (++i; i < s.size(); ++i) {
        if (backslashes && s[i] == '\\') {
            ++i;
        } else if (s[i] == quote) {
            if (i + 1 < s.size() && s[i + 1] == quote)
                ++i;
            else
                return i + 1;
        }
    }
    return s.size();
}

}  // namespace

std::size_t nesting_estimate(std::string_view s) {
    std::vector<std::size_t> chain(1, 0);  // operators chained at each open level
    std::size_t open_chains = 0;           // sum of chain
    std::size_t best = 0;
    auto bump = [&] {
        ++chain.back();
        ++open_chains;
        best = std::max(best, chain.size() - 1 + open_chains);
    };
    std::size_t i = 0;
    while (i < s.size()) {
        char c = s[i];
        auto u = static_cast<unsigned char>(c);
        if (c == '-' && i + 1 < s.size() && s[i + 1] == '-') {
            std::size_t nl = s.find('\n', i);
            i = nl == std::string_view::npos ? s.size() : nl + 1;
        } else if (c == '/' && i + 1 < s.size() && s[i + 1] == '*') {
            int depth = 0;
            while (i < s.size()) {
                if (s[i] == '/' && i + 1 < s.size() && s[i + 1] == '*') {
                    ++depth, i += 2;
                } else if (s[i] == '*' && i + 1 < s.size() && s[i + 1] == '/') {
                    i += 2;
                    if (--depth == 0) break;
                } else {
                    ++i;
                }
            }
        } else if (c == '\'' || c == '"') {
            bool e = c == '\'' && i > 0 && (s[i - 1] == 'e' || s[i - 1] == 'E');
            i = skip_quoted(s, i, c, e);
        } else if (c == '$' && (i == 0 || !is_ident_char(static_cast<unsigned char>(s[i - 1])))) {
            std::size_t j = i + 1;
            while (j < s.size() && is_ident_char(static_cast<unsigned char>(s[j])) && s[j] != '$')
                ++j;
            if (j < s.size() && s[j] == '$' && (j == i + 1 || is_ident_start(s[i + 1]))) {
                std::size_t close = s.find(s.substr(i, j + 1 - i), j + 1);
                i = close == std::string_view::npos ? s.size() : close + (j + 1 - i);
            } else {
                i = j;  // $1
            }
        } else if (is_ident_start(u)) {
            std::size_t j = i;
            while (j < s.size() && is_ident_char(static_cast<unsigned char>(s[j]))) ++j;
            char buf[10];
            std::string_view w = lower(s.substr(i, j - i), buf);
            if (chains(w)) {
                bump();
            } else if (separates(w)) {
                open_chains -= chain.back();
                chain.back() = 0;
            }
            i = j;
        } else if (c == '(' || c == '[') {
            chain.push_back(0);
            best = std::max(best, chain.size() - 1 + open_chains);
            ++i;
        } else if (c == ')' || c == ']') {
            if (chain.size() > 1) {
                open_chains -= chain.back();
                chain.pop_back();
            }
            ++i;
        } else if (c == ',' || c == ';') {
            open_chains -= chain.back();
            chain.back() = 0;
            ++i;
        } else if (is_op_char(c)) {
            while (i < s.size() && is_op_char(s[i]) &&
                   !(s[i] == '-' && i + 1 < s.size() && s[i + 1] == '-') &&
                   !(s[i] == '/' && i + 1 < s.size() && s[i + 1] == '*'))
                ++i;
            bump();
        } else {
            ++i;
        }
    }
    return best;
}

}  // namespace pgw
