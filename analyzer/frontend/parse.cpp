#include "frontend/parse.h"

#include <pg_query.h>

#include <algorithm>
#include <cctype>

namespace pgw {

namespace {

constexpr int kMaxDoDepth = 4;  // EXECUTE 'DO $$ ... $$' inside a DO block, and so on
// simdjson parsers keep their buffers (about 14 bytes per JSON byte of capacity);
// one grown beyond this by a huge file is released rather than kept for the run.
constexpr std::size_t kKeptParserCapacity = 1u << 20;
// Parse trees are read by simdjson in batches of about this much JSON.
constexpr std::size_t kBatchBytes = 256u << 10;

// libpg_query reports a 1-based *character* position; turn it into a byte offset.
std::size_t char_pos_to_byte(std::string_view text, int cursorpos) {
    if (cursorpos <= 1) return 0;
    int chars = 0;
    for (std::size_t i = 0; i < text.size(); ++i) {
        if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80 && ++chars == cursorpos) return i;
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

// The unit holding file offset `at` among the units that are not embedded.
std::uint32_t unit_at(const std::vector<Unit>& units, std::size_t at) {
    std::uint32_t found = 0;
    for (std::uint32_t i = 0; i < units.size(); ++i) {
        if (units[i].embedded) continue;
        if (units[i].span.begin > at) break;
        found = i;
    }
    return found;
}

class Parser {
  public:
    explicit Parser(Migration& m) : m_(m) {}

    // The file's statements. Each is parsed on its own by libpg_query, so one
    // syntax error hides nothing else; their JSON trees are then read by simdjson
    // in batches, as one array per document (a document per statement costs an
    // allocation and about ten times its JSON's size in capacity, a document per
    // huge file would hold all of its JSON and parser buffers at once).
    void parse_top_level(const SplitResult& split) {
        const std::string& file = split.text;
        batch_.assign(1, '[');
        for (const RawStatement& raw : split.statements) {
            std::string_view text(file.data() + raw.span.begin, raw.span.end - raw.span.begin);
            Entry e{make_statement(raw.span, text, raw.span.begin, true, 0, false)};
            e.st.unit = unit_at(m_.units, raw.span.begin);
            PgQueryParseResult r = pg_query_parse(terminated(text));
            if (r.error) {
                set_parse_error(e.st, r.error);
            } else {
                if (batch_.size() > 1) batch_ += ',';
                e.json_begin = batch_.size();
                batch_ += r.parse_tree;
                e.json_end = batch_.size();
            }
            pg_query_free_parse_result(r);
            pending_.push_back(std::move(e));
            if (batch_.size() >= kBatchBytes) flush();
        }
        flush();
        std::string().swap(batch_);
    }

    // Parses `text` (at file offset `base`) and appends the statement(s) it holds.
    void parse(Span span, std::string_view text, std::size_t base, bool exact, int do_depth,
               bool guarded, std::uint32_t unit) {
        Statement st = make_statement(span, text, base, exact, do_depth, guarded);
        st.unit = unit;
        PgQueryParseResult r = pg_query_parse(terminated(text));
        node::Element root;
        std::string why;
        if (r.error)
            set_parse_error(st, r.error);
        else if (!read_tree(r.parse_tree, root, why))
            set_error(st, why);
        pg_query_free_parse_result(r);
        add_tree(std::move(st), root);
    }

  private:
    struct Entry {
        Statement st;
        std::size_t json_begin = 0, json_end = 0;  // in batch_; empty: did not parse
    };

    Migration& m_;
    std::string sql_;    // the text being parsed, NUL-terminated for libpg_query
    std::string batch_;  // "[tree,tree,..." of the pending statements
    std::vector<Entry> pending_;

    // Reads the batch and appends its statements, in file order.
    void flush() {
        std::size_t size = batch_.size() + 1;
        batch_ += ']';
        batch_.append(simdjson::SIMDJSON_PADDING, ' ');  // simdjson reads ahead: no copy needed
        node::Element all;
        std::string why;
        bool batched = size > 2 && read_tree({batch_.data(), size}, all, why, true);
        auto next = batched ? all.get_array().begin() : simdjson::dom::array::iterator();
        for (Entry& e : pending_) {
            node::Element root;
            if (e.json_end == e.json_begin) {
                // did not parse: its error is set
            } else if (batched) {
                root = *next;
                ++next;
            } else if (!read_tree(
                           std::string_view(batch_).substr(e.json_begin, e.json_end - e.json_begin),
                           root, why)) {
                // Without the batch (a tree too deep for the array) statement by
                // statement, so only the statement at fault is reported.
                set_error(e.st, why);
            }
            add_tree(std::move(e.st), root);
        }
        pending_.clear();
        batch_.assign(1, '[');
    }

    const char* terminated(std::string_view text) {
        sql_.assign(text);
        return sql_.c_str();
    }

    static Statement make_statement(Span span, std::string_view text, std::size_t base, bool exact,
                                    int do_depth, bool guarded) {
        Statement st;
        st.span = span;
        st.text = text;
        st.base = base;
        st.exact = exact;
        st.do_depth = do_depth;
        st.guarded = guarded;
        return st;
    }

    static void set_parse_error(Statement& st, const PgQueryError* error) {
        st.error = error->message && *error->message ? error->message : "syntax error";
        std::size_t off = char_pos_to_byte(st.text, error->cursorpos);
        st.error_offset = st.exact ? st.base + off : st.span.begin;
    }

    static void set_error(Statement& st, const std::string& why) {
        st.error = why;
        st.error_offset = st.span.begin;
    }

    // Reads libpg_query's JSON into a document owned by the migration.
    // `padded`: SIMDJSON_PADDING readable bytes follow the JSON.
    bool read_tree(std::string_view json, node::Element& root, std::string& why,
                   bool padded = false) {
        auto doc = std::make_unique<simdjson::dom::document>();
        simdjson::dom::parser& parser = thread_parser();
        auto err = parser.parse_into_document(*doc, json.data(), json.size(), !padded).error();
        // The parser keeps its buffers for the next file, unless this one was huge.
        if (parser.capacity() > kKeptParserCapacity) parser = simdjson::dom::parser();
        if (err) {
            why = err == simdjson::DEPTH_ERROR
                      ? "statement nested too deeply to analyse (parse tree deeper than " +
                            std::to_string(simdjson::DEFAULT_MAX_DEPTH) + " levels)"
                      : std::string("internal error: unreadable parse tree");
            return false;
        }
        root = doc->root();
        m_.trees.push_back(std::move(doc));
        return true;
    }

    // Appends the statements of one parse tree ({"stmts": [...]}), or `st` itself
    // when it did not parse (its error is set); the statements a DO block runs follow it.
    void add_tree(Statement st, node::Element root) {
        if (!st.error.empty()) {
            m_.statements.push_back(std::move(st));
            return;
        }
        for (node::Element item : node::List(root, "stmts")) {
            node::Element wrapped;
            if (!node::get(item, "stmt", wrapped)) continue;
            Statement s = st;
            s.kind = node::type_of(wrapped);
            s.node = node::fields_of(wrapped);
            m_.statements.push_back(s);
            if (s.kind == "DoStmt" && s.do_depth < kMaxDoDepth) parse_do_block(s);
        }
    }

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
        for (std::size_t x = 1; body.find(tag) != std::string_view::npos; ++x) {
            tag.assign(x + 1, 'x');
            tag.front() = '$';
            tag.append("pgw_do$");
        }
        std::string wrapper = "CREATE FUNCTION pgw_do() RETURNS void LANGUAGE plpgsql AS " + tag;
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
        Span span =
            exact ? Span{offset, offset + query.size() - (is_literal ? 2 : 0)} : ctx.outer.span;
        parse(span, text, exact ? offset : ctx.outer.span.begin, exact, ctx.outer.do_depth + 1,
              guarded, ctx.outer.unit);
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

namespace {

// Statements in units the tool does not run are not the migration's.
void drop_unrun(Migration& m) {
    auto& raw = m.split.statements;
    raw.erase(std::remove_if(raw.begin(), raw.end(),
                             [&](const RawStatement& r) {
                                 return !m.units[unit_at(m.units, r.span.begin)].runs;
                             }),
              raw.end());
}

// SQL written inside comments (liquibase's `--rollback ...`): the file with
// everything else blanked (line breaks kept, so positions stay exact) is
// split and parsed like the rest, each statement in the unit that holds it.
void parse_embedded(Migration& m, const FileLayout& layout, const PlaceholderSet& placeholders) {
    const std::string& bytes = m.source.bytes;
    std::string masked(bytes.size(), ' ');
    for (std::size_t i = 0; i < bytes.size(); ++i)
        if (bytes[i] == '\n') masked[i] = '\n';
    std::vector<std::size_t> cuts;  // statements do not run from one unit into the next
    for (std::size_t i = 0; i < layout.embedded.size(); ++i) {
        const EmbeddedSql& e = layout.embedded[i];
        masked.replace(e.span.begin, e.span.end - e.span.begin, bytes, e.span.begin,
                       e.span.end - e.span.begin);
        if (i == 0 || layout.embedded[i - 1].unit != e.unit) cuts.push_back(e.span.begin);
    }
    const SplitResult& split =
        m.embedded_splits.emplace_back(split_statements(masked, 0, placeholders, cuts));
    std::size_t first = m.statements.size();
    Parser(m).parse_top_level(split);
    for (std::size_t i = first; i < m.statements.size(); ++i) {
        Statement& st = m.statements[i];
        for (const EmbeddedSql& e : layout.embedded)
            if (st.span.begin >= e.span.begin && st.span.begin < e.span.end)
                st.unit = static_cast<std::uint32_t>(e.unit);
    }
    std::stable_sort(
        m.statements.begin(), m.statements.end(),
        [](const Statement& a, const Statement& b) { return a.span.begin < b.span.begin; });
}

}  // namespace

std::unique_ptr<Migration> parse_migration(SourceFile source, const PlaceholderSet& placeholders,
                                           const FileLayout* layout) {
    auto m = std::make_unique<Migration>();
    m->source = std::move(source);
    if (layout && !layout->units.empty()) {
        m->units = layout->units;
        m->layout_note = layout->note;
    } else {
        m->units = {Unit{{0, m->source.bytes.size()}}};
    }
    if (!m->source.problem.empty()) return m;
    static const std::vector<std::size_t> no_cuts;
    m->split = split_statements(m->source.bytes, m->source.content_start(), placeholders,
                                layout ? layout->cuts : no_cuts);
    drop_unrun(*m);
    Parser(*m).parse_top_level(m->split);
    if (layout && !layout->embedded.empty()) parse_embedded(*m, *layout, placeholders);
    return m;
}

}  // namespace pgw
