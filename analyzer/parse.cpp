#include "parse.h"

#include <pg_query.h>

#include <algorithm>
#include <cctype>

namespace pgw {

namespace {

constexpr int kMaxDoDepth = 4;  // EXECUTE 'DO $$ ... $$' inside a DO block, and so on

// libpg_query reports a 1-based *character* position; turn it into a byte offset.
std::size_t char_pos_to_byte(std::string_view text, int cursorpos) {
    if (cursorpos <= 1) return 0;
    int chars = 0;
    for (std::size_t i = 0; i < text.size(); ++i) {
        if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80 && ++chars == cursorpos)
            return i;
    }
    return text.empty() ? 0 : text.size() - 1;
}

// Each thread reuses one simdjson parser: its buffers grow once and stay.
simdjson::dom::parser& thread_parser() {
    thread_local simdjson::dom::parser parser;
    return parser;
}

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

class Parser {
public:
    explicit Parser(Migration& m) : m_(m) {}

    // Parses `text` (at file offset `base`) and appends the statement(s) it holds.
    void parse(Span span, std::string_view text, std::size_t base, bool exact, int do_depth,
               bool guarded) {
        std::string sql(text);
        PgQueryParseResult r = pg_query_parse(sql.c_str());
        Statement st;
        st.span = span;
        st.text = text;
        st.base = base;
        st.exact = exact;
        st.do_depth = do_depth;
        st.guarded = guarded;
        if (r.error) {
            st.error = r.error->message ? r.error->message : "syntax error";
            std::size_t off = char_pos_to_byte(text, r.error->cursorpos);
            st.error_offset = exact ? base + off : span.begin;
            pg_query_free_parse_result(r);
            m_.statements.push_back(std::move(st));
            return;
        }
        auto doc = std::make_unique<simdjson::dom::document>();
        std::string_view json(r.parse_tree);
        auto err = thread_parser().parse_into_document(*doc, json.data(), json.size()).error();
        pg_query_free_parse_result(r);
        if (err) {
            st.error = "internal error: unreadable parse tree";
            st.error_offset = span.begin;
            m_.statements.push_back(std::move(st));
            return;
        }
        node::Element root = doc->root();
        m_.trees.push_back(std::move(doc));
        for (node::Element item : node::List(root, "stmts")) {
            node::Element wrapped;
            if (!node::get(item, "stmt", wrapped)) continue;
            Statement s = st;
            s.kind = node::type_of(wrapped);
            s.node = node::fields_of(wrapped);
            m_.statements.push_back(s);
            if (s.kind == "DoStmt" && do_depth < kMaxDoDepth) parse_do_block(s);
        }
    }

private:
    Migration& m_;

    // The statements a DO block executes, linted with their real positions.
    void parse_do_block(const Statement& st) {
        std::string_view body;
        int64_t location = -1;
        bool plpgsql = true;
        for (node::Element arg : node::List(st.node, "args")) {
            node::Element def, value;
            if (!node::as(arg, "DefElem", def) || !node::get(def, "arg", value)) continue;
            node::Element s;
            if (!node::as(value, "String", s)) continue;
            if (node::str(def, "defname") == "as") {
                body = node::str(s, "sval");
                location = node::integer(def, "location");
            } else if (node::str(def, "defname") == "language") {
                plpgsql = node::str(s, "sval") == "plpgsql";
            }
        }
        if (!plpgsql || location < 0) return;
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

        std::string tag = "$pgw_do$";
        while (body.find(tag) != std::string_view::npos) tag.insert(1, "x");
        std::string wrapper =
            "CREATE FUNCTION pgw_do() RETURNS void LANGUAGE plpgsql AS " + tag;
        wrapper.append(body).append(tag);
        PgQueryPlpgsqlParseResult r = pg_query_parse_plpgsql(wrapper.c_str());
        // libpg_query resolves PL/pgSQL types without a catalog: only its syntax
        // errors are the migration's ("collations are not supported by type" is not).
        if (r.error && !is_syntax_error(r.error->message)) {
            pg_query_free_plpgsql_parse_result(r);
            return;
        }
        if (r.error) {
            Statement bad = st;
            bad.kind = {};
            bad.error = std::string("in DO block: ") + (r.error->message ? r.error->message : "");
            bad.error_offset = st.span.begin;
            pg_query_free_plpgsql_parse_result(r);
            m_.statements.push_back(std::move(bad));
            return;
        }
        auto doc = std::make_unique<simdjson::dom::document>();
        std::string_view json(r.plpgsql_funcs);
        bool ok = !thread_parser().parse_into_document(*doc, json.data(), json.size()).error();
        pg_query_free_plpgsql_parse_result(r);
        if (!ok) return;
        // The body is a copy owned by the migration so statements can point into it.
        const std::string& owned = m_.texts.emplace_back(body);
        DoContext ctx{st, owned, body_base, exact};
        visit(doc->root(), ctx, false);
        m_.trees.push_back(std::move(doc));
    }

    struct DoContext {
        const Statement& outer;
        const std::string& body;
        std::size_t body_base;
        bool exact;
    };

    // Byte offset in the body of `query`, searched from the start of `lineno`.
    static std::size_t locate(const std::string& body, std::string_view query, int64_t lineno) {
        std::size_t from = 0;
        for (int64_t l = 1; l < lineno && from != std::string::npos; ++l) {
            from = body.find('\n', from);
            if (from != std::string::npos) ++from;
        }
        if (from == std::string::npos) from = 0;
        std::size_t at = body.find(query, from);
        return at != std::string::npos ? at : body.find(query);
    }

    void embedded(const DoContext& ctx, std::string_view query, int64_t lineno, bool guarded,
                  bool is_literal) {
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
        Span span = exact ? Span{offset, offset + query.size() - (is_literal ? 2 : 0)}
                          : ctx.outer.span;
        parse(span, text, exact ? offset : ctx.outer.span.begin, exact, ctx.outer.do_depth + 1,
              guarded);
    }

    static std::string_view expr_query(node::Element parent, std::string_view key) {
        node::Element e, expr;
        if (!node::get(parent, key, e) || !node::as(e, "PLpgSQL_expr", expr)) return {};
        return node::str(expr, "query");
    }

    void visit(node::Element e, const DoContext& ctx, bool guarded) {
        if (e.is_array()) {
            for (node::Element child : e.get_array()) visit(child, ctx, guarded);
            return;
        }
        if (!e.is_object()) return;
        for (auto [key, value] : e.get_object()) {
            if (key == "PLpgSQL_stmt_execsql") {
                embedded(ctx, expr_query(value, "sqlstmt"), node::integer(value, "lineno", 1),
                         guarded, false);
                continue;
            }
            if (key == "PLpgSQL_stmt_dynexecute") {
                embedded(ctx, expr_query(value, "query"), node::integer(value, "lineno", 1),
                         guarded, true);
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
};

}  // namespace

Span Statement::span_at(int64_t location, std::size_t length) const {
    if (!exact || location < 0 || static_cast<std::size_t>(location) >= text.size()) return span;
    std::size_t b = base + static_cast<std::size_t>(location);
    std::size_t e = std::min(b + std::max<std::size_t>(length, 1), span.end);
    return {b, std::max(e, b + 1)};
}

std::unique_ptr<Migration> parse_migration(SourceFile source, const PlaceholderSet& placeholders) {
    auto m = std::make_unique<Migration>();
    m->source = std::move(source);
    if (!m->source.problem.empty()) return m;
    m->split = split_statements(m->source.bytes, m->source.content_start(), placeholders);
    Parser parser(*m);
    const std::string& text = m->split.text;
    for (const RawStatement& raw : m->split.statements) {
        std::string_view stmt(text.data() + raw.span.begin, raw.span.end - raw.span.begin);
        parser.parse(raw.span, stmt, raw.span.begin, true, 0, false);
    }
    return m;
}

}  // namespace pgw
