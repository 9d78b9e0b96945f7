#include "frontend/parse.h"

#include <pg_query.h>

#include <algorithm>
#include <cctype>

#include "frontend/nesting.h"
#include "frontend/statement_parser.h"

namespace pgw {

namespace {

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

}  // namespace

namespace parsing {

// Each thread reuses one simdjson parser: its buffers grow once and stay. It
// accepts kMaxJsonDepth (simdjson's default, 1024, stops valid SQL about 600
// levels deep; PostgreSQL accepts thousands).
simdjson::dom::parser& thread_parser() {
    thread_local simdjson::dom::parser parser;
    if (parser.max_depth() != kMaxJsonDepth || parser.capacity() == 0)
        if (parser.allocate(simdjson::dom::MINIMAL_DOCUMENT_CAPACITY, kMaxJsonDepth)) {
            // out of memory: the parse that follows reports it
        }
    return parser;
}

std::uint32_t unit_at(const std::vector<Unit>& units, std::size_t at) {
    std::uint32_t found = 0;
    for (std::uint32_t i = 0; i < units.size(); ++i) {
        if (units[i].embedded) continue;
        if (units[i].span.begin > at) break;
        found = i;
    }
    return found;
}

void Parser::parse_top_level(const SplitResult& split) {
    batch_.assign(1, '[');
    for (const RawStatement& raw : split.statements) parse_raw(split, raw.span, true);
    flush();
    std::string().swap(batch_);
}

void Parser::parse(Span span, std::string_view text, std::size_t base, bool exact, int do_depth,
                   bool guarded, std::uint32_t unit) {
    Statement st = make_statement(span, text, base, exact, do_depth, guarded);
    st.unit = unit;
    node::Element root;
    std::string why;
    if (too_deep(st)) {
        // reported by too_deep
    } else {
        PgQueryParseResult r = pg_query_parse(terminated(text));
        if (r.error)
            set_parse_error(st, r.error);
        else if (!read_tree(r.parse_tree, root, why))
            set_error(st, why);
        pg_query_free_parse_result(r);
    }
    add_tree(std::move(st), root);
}

void Parser::parse_raw(const SplitResult& split, Span span, bool recover) {
    const std::string& file = split.text;
    std::string_view text(file.data() + span.begin, span.end - span.begin);
    Entry e{make_statement(span, text, span.begin, true, 0, false)};
    e.st.unit = unit_at(m_.units, span.begin);
    if (!too_deep(e.st)) {
        PgQueryParseResult r = pg_query_parse(terminated(text));
        if (r.error && recover && recover_pieces(split, span)) {
            pg_query_free_parse_result(r);
            return;
        }
        if (r.error) {
            set_parse_error(e.st, r.error);
        } else {
            if (batch_.size() > 1) batch_ += ',';
            e.json_begin = batch_.size();
            batch_ += r.parse_tree;
            e.json_end = batch_.size();
        }
        pg_query_free_parse_result(r);
    }
    pending_.push_back(std::move(e));
    if (batch_.size() >= kBatchBytes) flush();
}

bool Parser::recover_pieces(const SplitResult& split, Span span) {
    const auto& held = split.held_semicolons;
    auto it = std::upper_bound(held.begin(), held.end(), span.begin);
    if (it == held.end() || *it >= span.end) return false;
    std::size_t from = span.begin;
    for (; it != held.end() && *it < span.end; ++it) {
        add_piece(split, from, *it);
        from = *it + 1;
    }
    add_piece(split, from, span.end);
    return true;
}

void Parser::add_piece(const SplitResult& split, std::size_t b, std::size_t e) {
    const std::string& file = split.text;
    while (b < e && std::isspace(static_cast<unsigned char>(file[b]))) ++b;
    while (e > b && std::isspace(static_cast<unsigned char>(file[e - 1]))) --e;
    if (b < e) parse_raw(split, {b, e}, false);
}

bool Parser::too_deep(Statement& st) {
    // The estimate never passes the statement's length (nesting.h): the pass
    // over the text is only needed for long statements.
    if (st.text.size() <= kMaxNesting) return false;
    std::size_t depth = nesting_estimate(st.text);
    if (depth <= kMaxNesting) return false;
    set_error(st, "statement nested too deeply to analyse (about " + std::to_string(depth) +
                      " levels of operators and parentheses; at most " +
                      std::to_string(kMaxNesting) + ")");
    return true;
}

void Parser::flush() {
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

const char* Parser::terminated(std::string_view text) {
    sql_.assign(text);
    return sql_.c_str();
}

Statement Parser::make_statement(Span span, std::string_view text, std::size_t base, bool exact,
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

void Parser::set_parse_error(Statement& st, const PgQueryError* error) {
    st.error = error->message && *error->message ? error->message : "syntax error";
    std::size_t off = char_pos_to_byte(st.text, error->cursorpos);
    st.error_offset = st.exact ? st.base + off : st.span.begin;
}

void Parser::set_error(Statement& st, const std::string& why) {
    st.error = why;
    st.error_offset = st.span.begin;
}

bool Parser::read_tree(std::string_view json, node::Element& root, std::string& why, bool padded) {
    auto doc = std::make_unique<simdjson::dom::document>();
    simdjson::dom::parser& parser = thread_parser();
    auto err = parser.parse_into_document(*doc, json.data(), json.size(), !padded).error();
    // The parser keeps its buffers for the next file, unless this one was huge.
    if (parser.capacity() > kKeptParserCapacity) parser = simdjson::dom::parser();
    if (err) {
        why = err == simdjson::DEPTH_ERROR
                  ? "statement nested too deeply to analyse (parse tree deeper than " +
                        std::to_string(kMaxJsonDepth) + " levels)"
                  : std::string("internal error: unreadable parse tree");
        return false;
    }
    root = doc->root();
    m_.trees.push_back(std::move(doc));
    return true;
}

void Parser::add_tree(Statement st, node::Element root) {
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
        if (s.kind == "AlterTableStmt")
            for (node::Element cmd : node::List(s.node, "cmds")) {
                node::Element fields;
                if (node::as(cmd, "AlterTableCmd", fields)) s.alter_commands.push_back(fields);
            }
        m_.statements.push_back(s);
        if (s.kind == "DoStmt" && s.do_depth < kMaxDoDepth)
            parse_do_block(s);
        else if (s.kind == "DoStmt")
            not_analysed(s, "DO blocks nested more than " + std::to_string(kMaxDoDepth) + " deep");
    }
}

}  // namespace parsing

using parsing::Parser;
using parsing::unit_at;

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
