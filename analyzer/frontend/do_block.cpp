// The statements a DO block executes (SPEC §2): its PL/pgSQL body is parsed
// by libpg_query's PL/pgSQL parser and every SQL statement in it (and every
// literal EXECUTE '...') is parsed and linted at its place in the file.
#include <algorithm>
#include <cctype>

#include "frontend/statement_parser.h"

namespace pgw::parsing {

namespace {

bool contains_ci(std::string_view hay, std::string_view needle) {
    return std::search(hay.begin(), hay.end(), needle.begin(), needle.end(), [](char a, char b) {
               return std::tolower(static_cast<unsigned char>(a)) == b;
           }) != hay.end();
}

bool is_syntax_error(const char* message) {
    std::string_view m = message ? message : "";
    return m.find("syntax error") != std::string_view::npos ||
           m.find("unterminated") != std::string_view::npos ||
           m.find("end of function") != std::string_view::npos;
}

bool is_word_char(char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '$' ||
           static_cast<unsigned char>(c) >= 0x80;
}

// The body with `COLLATE name` blanked in its DECLARE sections (same length,
// so line numbers hold). libpg_query's PL/pgSQL parser has no catalog: every
// declared type is a stand-in that takes no collation, so `DECLARE x text
// COLLATE "C";`, valid PostgreSQL, fails there with "collations are not
// supported by type". The collation changes nothing the rules look at.
std::string without_declared_collations(std::string_view body) {
    std::string out(body);
    bool in_declare = false;
    std::size_t i = 0;
    auto skip_name = [&](std::size_t e) {  // [schema.]name, each a word or a quoted name
        for (bool more = true; more;) {
            while (e < out.size() && std::isspace(static_cast<unsigned char>(out[e]))) ++e;
            if (e < out.size() && out[e] == '"') {
                std::size_t q = out.find('"', e + 1);
                e = q == std::string::npos ? out.size() : q + 1;
            } else {
                while (e < out.size() && is_word_char(out[e])) ++e;
            }
            more = e < out.size() && out[e] == '.';
            if (more) ++e;
        }
        return e;
    };
    while (i < out.size()) {
        char c = out[i];
        if (c == '-' && i + 1 < out.size() && out[i + 1] == '-') {
            i = out.find('\n', i);
            if (i == std::string::npos) break;
        } else if (c == '/' && i + 1 < out.size() && out[i + 1] == '*') {
            i = out.find("*/", i + 2);
            if (i == std::string::npos) break;
            i += 2;
        } else if (c == '\'' || c == '"') {
            std::size_t close = out.find(c, i + 1);
            i = close == std::string::npos ? out.size() : close + 1;
        } else if (c == '$' && (i == 0 || !is_word_char(out[i - 1]))) {
            std::size_t tag_end = out.find('$', i + 1);
            if (tag_end == std::string::npos) break;
            std::string tag = out.substr(i, tag_end + 1 - i);
            std::size_t close = out.find(tag, tag_end + 1);
            i = close == std::string::npos ? out.size() : close + tag.size();
        } else if (is_word_char(c)) {
            std::size_t end = i;
            while (end < out.size() && is_word_char(out[end])) ++end;
            std::string w = out.substr(i, end - i);
            for (char& ch : w) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
            if (w == "declare") {
                in_declare = true;
            } else if (w == "begin") {
                in_declare = false;
            } else if (w == "collate" && in_declare) {
                end = skip_name(end);
                for (std::size_t k = i; k < end; ++k)
                    if (out[k] != '\n') out[k] = ' ';
            }
            i = end;
        } else {
            ++i;
        }
    }
    return out;
}

struct PlpgsqlResult {
    PgQueryPlpgsqlParseResult r;
    explicit PlpgsqlResult(const std::string& sql) : r(pg_query_parse_plpgsql(sql.c_str())) {}
    ~PlpgsqlResult() { pg_query_free_plpgsql_parse_result(r); }
    PlpgsqlResult(const PlpgsqlResult&) = delete;
    PlpgsqlResult& operator=(const PlpgsqlResult&) = delete;
    bool failed() const { return r.error != nullptr; }
    bool syntax_error() const { return r.error && is_syntax_error(r.error->message); }
    std::string message() const {
        return r.error && r.error->message ? r.error->message : "unknown error";
    }
};

// `body` as a function libpg_query's PL/pgSQL parser accepts, under a dollar
// tag the body does not hold.
std::string as_function(std::string_view body) {
    std::string tag = "$pgw_do$";
    for (std::size_t x = 1; body.find(tag) != std::string_view::npos; ++x) {
        tag.assign(x + 1, 'x');
        tag.front() = '$';
        tag.append("pgw_do$");
    }
    std::string wrapper = "CREATE FUNCTION pgw_do() RETURNS void LANGUAGE plpgsql AS " + tag;
    wrapper.append(body).append(tag);
    return wrapper;
}

}  // namespace

void Parser::not_analysed(const Statement& st, const std::string& why) {
    Statement bad = st;
    bad.kind = {};
    bad.node = {};
    bad.error = "DO block not analysed: " + why + "; the statements it runs are not linted";
    bad.error_offset = st.span.begin;
    m_.statements.push_back(std::move(bad));
}

void Parser::parse_do_block(const Statement& st) {
    std::string_view body;
    int64_t location = -1;
    std::string language = "plpgsql";
    for (node::Element arg : node::List(st.node, "args")) {
        node::Element def, value;
        if (!node::as(arg, "DefElem", def) || !node::get(def, "arg", value)) continue;
        node::Element s;
        if (!node::as(value, "String", s)) continue;
        if (node::str(def, "defname") == "as") {
            body = node::str(s, "sval");
            location = node::integer(def, "location");
        } else if (node::str(def, "defname") == "language") {
            language = node::str(s, "sval");
        }
    }
    if (location < 0) return;  // DO with no body does not parse
    for (char& c : language) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (language != "plpgsql")
        return not_analysed(st, "its language is " + language + ", only PL/pgSQL is read");
    // Where the body's text starts in the file: after `$tag$` or `'`.
    std::size_t body_base = st.base + static_cast<std::size_t>(location);
    const std::string& file = m_.split.text;
    bool exact = st.exact;
    if (body_base < file.size() && file[body_base] == '$') {
        std::size_t close = file.find('$', body_base + 1);
        body_base = close == std::string::npos ? body_base : close + 1;
    } else {
        body_base += 1;
        exact = exact && file.compare(body_base, body.size(), body) == 0;
    }

    // libpg_query resolves PL/pgSQL types without a catalog: only its syntax
    // errors are the migration's. Its other errors are worked around where
    // that is known to be harmless, else the block is reported as unread.
    auto r = std::make_unique<PlpgsqlResult>(as_function(body));
    if (r->failed() && !r->syntax_error()) {
        std::string first = r->message();
        r = std::make_unique<PlpgsqlResult>(as_function(without_declared_collations(body)));
        if (r->failed() && !r->syntax_error())
            return not_analysed(
                st, "libpg_query's PL/pgSQL parser, which has no catalog, says \"" + first + "\"");
    }
    if (r->failed()) {
        Statement bad = st;
        bad.kind = {};
        bad.error = "in DO block: " + r->message();
        bad.error_offset = st.span.begin;
        m_.statements.push_back(std::move(bad));
        return;
    }
    auto doc = std::make_unique<simdjson::dom::document>();
    std::string_view json(r->r.plpgsql_funcs);
    auto err = thread_parser().parse_into_document(*doc, json.data(), json.size()).error();
    r.reset();
    if (err)
        return not_analysed(st, err == simdjson::DEPTH_ERROR ? "its blocks are nested too deeply"
                                                             : "unreadable PL/pgSQL tree");

    // The body is a copy owned by the migration so statements can point into it.
    const std::string& owned = m_.texts.emplace_back(body);
    DoContext ctx{st, owned, body_base, exact};
    visit(doc->root(), ctx, false);
    m_.trees.push_back(std::move(doc));
}

std::size_t Parser::locate(const std::string& body, std::string_view query, int64_t lineno) {
    std::size_t from = 0;
    for (int64_t l = 1; l < lineno && from != std::string::npos; ++l) {
        from = body.find('\n', from);
        if (from != std::string::npos) ++from;
    }
    if (from == std::string::npos) from = 0;
    std::size_t at = body.find(query, from);
    return at != std::string::npos ? at : body.find(query);
}

void Parser::embedded(const Parser::DoContext& ctx, std::string_view query, int64_t lineno,
                      bool guarded, bool is_literal) {
    std::size_t at = locate(ctx.body, query, lineno);
    bool exact = ctx.exact && at != std::string::npos;
    std::string_view text = query;
    std::size_t offset = exact ? ctx.body_base + at : ctx.outer.span.begin;
    if (is_literal) {
        // EXECUTE 'ALTER TABLE ...': lint the string's content.
        // Only one plain literal: `'a' || x || 'b'` and format() are not known text.
        if (query.size() < 2 || query.front() != '\'') return;
        std::string unescaped;
        std::size_t i = 1;
        for (; i < query.size(); ++i) {
            if (query[i] != '\'') {
                unescaped += query[i];
            } else if (i + 1 < query.size() && query[i + 1] == '\'') {
                unescaped += query[i++];
            } else {
                break;
            }
        }
        if (i != query.size() - 1) return;
        exact = exact && unescaped.size() == query.size() - 2;
        text = m_.texts.emplace_back(std::move(unescaped));
        offset += 1;
    } else {
        text = m_.texts.emplace_back(query);
    }
    Span span = exact ? Span{offset, offset + query.size() - (is_literal ? 2 : 0)} : ctx.outer.span;
    parse(span, text, exact ? offset : ctx.outer.span.begin, exact, ctx.outer.do_depth + 1, guarded,
          ctx.outer.unit);
}

std::string_view Parser::expr_query(node::Element parent, std::string_view key) {
    node::Element e, expr;
    if (!node::get(parent, key, e) || !node::as(e, "PLpgSQL_expr", expr)) return {};
    return node::str(expr, "query");
}

void Parser::visit(node::Element e, const DoContext& ctx, bool guarded) {
    if (e.is_array()) {
        for (node::Element child : e.get_array()) visit(child, ctx, guarded);
        return;
    }
    if (!e.is_object()) return;
    for (auto [key, value] : e.get_object()) {
        if (key == "PLpgSQL_stmt_execsql") {
            embedded(ctx, expr_query(value, "sqlstmt"), node::integer(value, "lineno", 1), guarded,
                     false);
            continue;
        }
        // PL/pgSQL parses `CALL p()` and a nested `DO $x$ ... $x$` as one
        // statement kind; both are SQL it hands to the server.
        if (key == "PLpgSQL_stmt_call") {
            embedded(ctx, expr_query(value, "expr"), node::integer(value, "lineno", 1), guarded,
                     false);
            continue;
        }
        if (key == "PLpgSQL_stmt_dynexecute") {
            embedded(ctx, expr_query(value, "query"), node::integer(value, "lineno", 1), guarded,
                     true);
            continue;
        }
        bool g = guarded;
        if (key == "PLpgSQL_stmt_if") {
            std::string_view cond = expr_query(value, "cond");
            g = g || contains_ci(cond, "exists") || contains_ci(cond, "pg_") ||
                contains_ci(cond, "information_schema") || contains_ci(cond, "to_regclass");
        } else if (key == "PLpgSQL_stmt_block") {
            node::Element ex;
            g = g || node::get(value, "exceptions", ex);
        }
        visit(value, ctx, g);
    }
}

}  // namespace pgw::parsing
