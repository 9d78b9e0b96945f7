#include "frontend/lexer.h"

#include <algorithm>
#include <array>
#include <cstring>

namespace pgw {

namespace {

// Byte classes, as PostgreSQL's scanner has them (bytes >= 0x80 are identifier
// characters): one table lookup per byte, no locale.
enum : unsigned char { kSpace = 1, kIdentStart = 2, kIdentChar = 4 };

constexpr std::array<unsigned char, 256> make_classes() {
    std::array<unsigned char, 256> t{};
    for (int c = 0; c < 256; ++c) {
        bool alpha = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
        bool start = alpha || c == '_' || c >= 0x80;
        bool space = c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
        t[c] = static_cast<unsigned char>(
            (space ? kSpace : 0) | (start ? kIdentStart : 0) |
            (start || (c >= '0' && c <= '9') || c == '$' ? kIdentChar : 0));
    }
    return t;
}
constexpr std::array<unsigned char, 256> kClasses = make_classes();

bool is_ident_start(unsigned char c) {
    return kClasses[c] & kIdentStart;
}
bool is_ident_char(unsigned char c) {
    return kClasses[c] & kIdentChar;
}
bool is_space(unsigned char c) {
    return kClasses[c] & kSpace;
}
char ascii_lower(char c) {
    return c >= 'A' && c <= 'Z' ? static_cast<char>(c + ('a' - 'A')) : c;
}

// `word` equals the lower-case keyword `kw`, ignoring ASCII case.
bool equals_ci(std::string_view word, std::string_view kw) {
    if (word.size() != kw.size()) return false;
    for (std::size_t i = 0; i < word.size(); ++i)
        if (ascii_lower(word[i]) != kw[i]) return false;
    return true;
}

// The first words of a statement that decide whether it defines a routine.
enum class Word : unsigned char { other, create, or_, replace, function, procedure };

Word classify(std::string_view w) {
    if (equals_ci(w, "create")) return Word::create;
    if (equals_ci(w, "or")) return Word::or_;
    if (equals_ci(w, "replace")) return Word::replace;
    if (equals_ci(w, "function")) return Word::function;
    if (equals_ci(w, "procedure")) return Word::procedure;
    return Word::other;
}

class Lexer {
  public:
    Lexer(const std::string& bytes, std::size_t begin, const PlaceholderSet& placeholders,
          const std::vector<std::size_t>& cuts)
        : pos_(begin), cuts_(cuts) {
        result_.text = bytes;
        for (const PlaceholderMatch& c : find_placeholders(bytes, placeholders.patterns)) {
            std::memset(result_.text.data() + c.begin, '_', c.end - c.begin);
            (c.values ? result_.value_placeholders : result_.placeholders)
                .push_back({c.begin, c.end});
        }
        if (!placeholders.psql_patterns.empty())
            candidates_ = find_placeholders(result_.text, placeholders.psql_patterns);
    }

    SplitResult run() {
        // Each piece between two cuts is lexed on its own: a quote or comment
        // left open does not run into the next piece, as the tool splitting
        // the file there would not let it.
        for (std::size_t next = 0;; ++next) {
            std::size_t limit = next < cuts_.size() ? cuts_[next] : result_.text.size();
            if (limit < pos_) continue;
            s_ = std::string_view(result_.text).substr(0, limit);
            while (pos_ < s_.size()) step();
            end_statement();
            if (next >= cuts_.size()) break;
        }
        return std::move(result_);
    }

  private:
    SplitResult result_;
    // The text with template placeholders replaced, up to the next cut.
    std::string_view s_;
    std::size_t pos_;
    const std::vector<std::size_t>& cuts_;
    std::vector<PlaceholderMatch> candidates_;
    std::size_t next_candidate_ = 0;

    // The statement being collected.
    bool in_statement_ = false;
    std::size_t stmt_begin_ = 0, stmt_end_ = 0;
    int paren_depth_ = 0;
    int atomic_depth_ = 0;  // BEGIN ATOMIC ... END nesting inside CREATE FUNCTION
    Word first_words_[4] = {};
    std::size_t word_count_ = 0;
    bool routine_ = false;  // CREATE [OR REPLACE] FUNCTION|PROCEDURE
    // COPY ... FROM STDIN, read from the tokens (a file name holding "from
    // stdin" is a string, `FROM  stdin` two words).
    bool copy_ = false, after_from_ = false, from_stdin_ = false;
    // `;` that did not end the statement only because a `(` or a BEGIN ATOMIC
    // was open: where the statements after a broken one are recovered.
    std::vector<std::size_t> held_paren_, held_atomic_;

    unsigned char at(std::size_t i) const {
        return i < s_.size() ? static_cast<unsigned char>(s_[i]) : 0;
    }

    void token(std::size_t b, std::size_t e) {
        if (!in_statement_) {
            in_statement_ = true;
            stmt_begin_ = b;
            paren_depth_ = 0;
            atomic_depth_ = 0;
            word_count_ = 0;
            routine_ = false;
            copy_ = from_stdin_ = false;
        }
        after_from_ = false;
        stmt_end_ = e;
    }

    void end_statement() {
        if (in_statement_) {
            result_.statements.push_back({{stmt_begin_, stmt_end_}});
            // A BEGIN ATOMIC closed by its END holds its `;` rightly; one never
            // closed swallowed the rest of the file.
            if (atomic_depth_ == 0) held_atomic_.clear();
            auto& out = result_.held_semicolons;
            auto mid = static_cast<std::ptrdiff_t>(out.size());
            out.insert(out.end(), held_paren_.begin(), held_paren_.end());
            out.insert(out.end(), held_atomic_.begin(), held_atomic_.end());
            std::sort(out.begin() + mid, out.end());
        }
        held_paren_.clear();
        held_atomic_.clear();
        in_statement_ = false;
    }

    bool is_routine_definition() const {
        const Word* w = first_words_;
        std::size_t n = std::min<std::size_t>(word_count_, 4);
        if (n < 2 || w[0] != Word::create) return false;
        std::size_t i = 1;
        if (n >= 4 && w[1] == Word::or_ && w[2] == Word::replace) i = 3;
        return i < n && (w[i] == Word::function || w[i] == Word::procedure);
    }

    void word(std::size_t b, std::size_t e) {
        bool after_from = after_from_ && in_statement_;
        token(b, e);
        std::string_view w(s_.data() + b, e - b);
        if (word_count_ == 0) copy_ = equals_ci(w, "copy");
        after_from_ = equals_ci(w, "from");
        if (copy_ && after_from && equals_ci(w, "stdin")) from_stdin_ = true;
        if (word_count_ < 4) {
            first_words_[word_count_++] = classify(w);
            routine_ = is_routine_definition();
        }
        // Only the grammar's `BEGIN ATOMIC` opens a body, outside parentheses
        // as psql counts it (psqlscan.l): `begin` may be a parameter's name.
        if (!routine_ || paren_depth_ > 0) return;
        if ((atomic_depth_ == 0 && equals_ci(w, "begin") && next_word_is("atomic", e)) ||
            (atomic_depth_ > 0 && (equals_ci(w, "case") || equals_ci(w, "begin"))))
            ++atomic_depth_;
        else if (atomic_depth_ > 0 && equals_ci(w, "end"))
            --atomic_depth_;
    }

    // The next token after `from`, past blanks and comments, is the word `kw`.
    bool next_word_is(std::string_view kw, std::size_t from) const {
        std::size_t i = from;
        for (;;) {
            while (i < s_.size() && is_space(at(i))) ++i;
            if (at(i) == '-' && at(i + 1) == '-') {
                i = s_.find('\n', i);
                if (i == std::string_view::npos) return false;
            } else if (at(i) == '/' && at(i + 1) == '*') {
                i = s_.find("*/", i + 2);
                if (i == std::string_view::npos) return false;
                i += 2;
            } else {
                break;
            }
        }
        std::size_t e = i;
        while (e < s_.size() && is_ident_char(at(e))) ++e;
        return equals_ci(s_.substr(i, e - i), kw);
    }

    void error(std::size_t offset, std::string message) {
        result_.errors.push_back({offset, std::move(message)});
    }

    bool try_placeholder() {
        while (next_candidate_ < candidates_.size() && candidates_[next_candidate_].begin < pos_)
            ++next_candidate_;
        if (next_candidate_ >= candidates_.size() || candidates_[next_candidate_].begin != pos_)
            return false;
        PlaceholderMatch c = candidates_[next_candidate_++];
        // `a::text` is a cast, not the psql variable `:text`.
        if (s_[c.begin] == ':' && c.begin > 0 && s_[c.begin - 1] == ':') return false;
        char* out = result_.text.data();
        std::size_t n = c.end - c.begin;
        char quote = n >= 3 && s_[c.begin] == ':' ? s_[c.begin + 1] : 0;
        if ((quote == '\'' || quote == '"') && s_[c.end - 1] == quote) {
            out[c.begin] = quote;
            std::memset(out + c.begin + 1, '_', n - 2);
            out[c.end - 1] = quote;
        } else {
            std::memset(out + c.begin, '_', n);
        }
        result_.placeholders.push_back({c.begin, c.end});
        token(c.begin, c.end);
        pos_ = c.end;
        return true;
    }

    void step() {
        unsigned char c = at(pos_);
        if (is_space(c)) {
            do ++pos_;
            while (pos_ < s_.size() && is_space(static_cast<unsigned char>(s_[pos_])));
            return;
        }
        if (!candidates_.empty() && try_placeholder()) return;
        if (c == '-' && at(pos_ + 1) == '-') return line_comment();
        if (c == '/' && at(pos_ + 1) == '*') return block_comment();
        if (c == '\\') return meta_command();
        if (c == '\'') return quoted('\'', pos_, false);
        if (c == '"') return quoted('"', pos_, false);
        if (c == '$' && dollar_quote()) return;
        if (is_ident_start(c)) return identifier_or_prefixed_string();
        if (c == '(') ++paren_depth_;
        if (c == ')' && paren_depth_ > 0) --paren_depth_;
        if (c == ';' && paren_depth_ == 0 && atomic_depth_ == 0) {
            bool copy_data = in_statement_ && from_stdin_;
            end_statement();
            ++pos_;
            if (copy_data) skip_copy_data();
            return;
        }
        if (c == ';' && in_statement_)
            (paren_depth_ > 0 ? held_paren_ : held_atomic_).push_back(pos_);
        token(pos_, pos_ + 1);
        ++pos_;
    }

    void line_comment() {
        std::size_t b = pos_;
        std::size_t e = s_.find('\n', b);
        if (e == std::string::npos) e = s_.size();
        std::size_t text_end = e > b && s_[e - 1] == '\r' ? e - 1 : e;
        result_.comments.push_back(
            {{b, text_end}, std::string(s_.substr(b + 2, text_end - b - 2)), false});
        pos_ = e;
    }

    void block_comment() {
        std::size_t b = pos_;
        int depth = 0;
        std::size_t i = b;
        while (i < s_.size()) {
            if (s_[i] == '/' && at(i + 1) == '*') {
                ++depth;
                i += 2;
            } else if (s_[i] == '*' && at(i + 1) == '/') {
                i += 2;
                if (--depth == 0) break;
            } else {
                ++i;
            }
        }
        if (depth > 0) {
            error(b, "unterminated /* comment");
            token(b, s_.size());
            pos_ = s_.size();
            return;
        }
        result_.comments.push_back({{b, i}, std::string(s_.substr(b + 2, i - b - 4)), true});
        pos_ = i;
    }

    // A backslash outside quotes starts a psql meta-command that runs to the
    // end of the line; psql sends any statement typed before it.
    void meta_command() {
        end_statement();
        std::size_t e = s_.find('\n', pos_);
        if (e == std::string::npos) e = s_.size();
        std::size_t text_end = e > pos_ && s_[e - 1] == '\r' ? e - 1 : e;
        result_.meta_commands.push_back({pos_, text_end});
        pos_ = e;
    }

    // `quote` delimited text starting at `open`; doubled quotes escape, and
    // backslashes escape too in E'' strings.
    void quoted(char quote, std::size_t start, bool backslash_escapes) {
        std::size_t i = pos_ + 1;
        while (i < s_.size()) {
            char ch = s_[i];
            if (backslash_escapes && ch == '\\') {
                i += 2;
                continue;
            }
            if (ch == quote) {
                if (at(i + 1) == static_cast<unsigned char>(quote)) {
                    i += 2;
                    continue;
                }
                break;
            }
            ++i;
        }
        if (i >= s_.size()) {
            error(start,
                  quote == '"' ? "unterminated quoted identifier" : "unterminated quoted string");
            token(start, s_.size());
            pos_ = s_.size();
            return;
        }
        token(start, i + 1);
        pos_ = i + 1;
    }

    bool dollar_quote() {
        // `a$b` is an identifier and `$1` a parameter, not dollar quotes.
        if (pos_ > 0 && is_ident_char(at(pos_ - 1))) return false;
        std::size_t i = pos_ + 1;
        if (at(i) != '$') {
            if (!is_ident_start(at(i))) return false;
            while (i < s_.size() && is_ident_char(at(i)) && at(i) != '$') ++i;
            if (at(i) != '$') return false;
        }
        std::string_view tag(s_.data() + pos_, i + 1 - pos_);
        std::size_t close = s_.find(tag, i + 1);
        if (close == std::string::npos) {
            error(pos_, "unterminated dollar-quoted string " + std::string(tag));
            token(pos_, s_.size());
            pos_ = s_.size();
            return true;
        }
        token(pos_, close + tag.size());
        pos_ = close + tag.size();
        return true;
    }

    void identifier_or_prefixed_string() {
        std::size_t b = pos_;
        std::size_t i = pos_;
        // A placeholder may be glued to an identifier: `app_${env}`.
        std::size_t limit = s_.size();
        for (std::size_t k = next_candidate_; k < candidates_.size(); ++k)
            if (candidates_[k].begin > b) {
                limit = candidates_[k].begin;
                break;
            }
        while (i < limit && is_ident_char(at(i))) ++i;
        std::size_t len = i - b;
        unsigned char next = at(i);
        // E'..', B'..', X'..', N'..' and U&'..' string prefixes.
        if (next == '\'' && len == 1) {
            char p = ascii_lower(static_cast<char>(at(b)));
            if (p == 'e' || p == 'b' || p == 'x' || p == 'n') {
                pos_ = i;
                quoted('\'', b, p == 'e');
                return;
            }
        }
        if (len == 1 && (at(b) == 'u' || at(b) == 'U') && next == '&' &&
            (at(i + 1) == '\'' || at(i + 1) == '"')) {
            pos_ = i + 1;
            quoted(static_cast<char>(at(i + 1)), b, false);
            return;
        }
        word(b, i);
        pos_ = i;
    }

    // `COPY ... FROM STDIN;` is followed by data lines up to a line `\.`.
    void skip_copy_data() {
        std::size_t line = s_.find('\n', pos_);
        while (line != std::string::npos) {
            std::size_t b = line + 1;
            std::size_t e = s_.find('\n', b);
            std::string_view l(s_.data() + b, (e == std::string::npos ? s_.size() : e) - b);
            if (!l.empty() && l.back() == '\r') l.remove_suffix(1);
            if (l == "\\.") {
                pos_ = e == std::string::npos ? s_.size() : e;
                return;
            }
            line = e;
        }
        pos_ = s_.size();
    }
};

}  // namespace

SplitResult split_statements(const std::string& bytes, std::size_t begin,
                             const PlaceholderSet& placeholders,
                             const std::vector<std::size_t>& cuts) {
    return Lexer(bytes, begin, placeholders, cuts).run();
}

}  // namespace pgw
