// The statement parser shared by parse.cpp (top-level statements, batches of
// parse trees, recovery after a broken statement) and do_block.cpp (the
// statements DO blocks execute). Internal to the frontend layer.
#pragma once

#include <pg_query.h>

#include <string>
#include <vector>

#include "frontend/parse.h"

namespace pgw::parsing {

constexpr int kMaxDoDepth = 4;  // EXECUTE 'DO $$ ... $$' inside a DO block, and so on

// Each thread's simdjson parser (buffers kept between files).
simdjson::dom::parser& thread_parser();

// The unit holding file offset `at` among the units that are not embedded.
std::uint32_t unit_at(const std::vector<Unit>& units, std::size_t at);

class Parser {
  public:
    explicit Parser(Migration& m) : m_(m) {}
    // The file's statements. Each is parsed on its own by libpg_query, so one
    // syntax error hides nothing else; their JSON trees are then read by simdjson
    // in batches, as one array per document (a document per statement costs an
    // allocation and about ten times its JSON's size in capacity, a document per
    // huge file would hold all of its JSON and parser buffers at once).
    void parse_top_level(const SplitResult& split);
    // Parses `text` (at file offset `base`) and appends the statement(s) it holds.
    void parse(Span span, std::string_view text, std::size_t base, bool exact, int do_depth,
               bool guarded, std::uint32_t unit);
    struct Entry {
        Statement st;
        std::size_t json_begin = 0, json_end = 0;  // in batch_; empty: did not parse
    };
    // One top-level statement, its tree added to the batch. A statement that
    // fails to parse while holding `;` an open `(` or BEGIN ATOMIC kept from
    // ending it is parsed again as the statements those `;` end (`recover`),
    // so a missing `)` hides no later statement.
    void parse_raw(const SplitResult& split, Span span, bool recover);
    // Parses the pieces the held `;` of `span` cut it into; false if none.
    bool recover_pieces(const SplitResult& split, Span span);
    void add_piece(const SplitResult& split, std::size_t b, std::size_t e);
    // A statement whose tree would be too deep for libpg_query's JSON output
    // (nesting.h) gets its parse error without being parsed.
    static bool too_deep(Statement& st);
    Migration& m_;
    std::string sql_;    // the text being parsed, NUL-terminated for libpg_query
    std::string batch_;  // "[tree,tree,..." of the pending statements
    std::vector<Entry> pending_;
    // Reads the batch and appends its statements, in file order.
    void flush();
    const char* terminated(std::string_view text);
    static Statement make_statement(Span span, std::string_view text, std::size_t base, bool exact,
                                    int do_depth, bool guarded);
    static void set_parse_error(Statement& st, const PgQueryError* error);
    static void set_error(Statement& st, const std::string& why);
    // Reads libpg_query's JSON into a document owned by the migration.
    // `padded`: SIMDJSON_PADDING readable bytes follow the JSON.
    bool read_tree(std::string_view json, node::Element& root, std::string& why,
                   bool padded = false);
    // Appends the statements of one parse tree ({"stmts": [...]}), or `st` itself
    // when it did not parse (its error is set); the statements a DO block runs follow it.
    void add_tree(Statement st, node::Element root);
    // The statements a DO block executes, linted with their real positions.
    void parse_do_block(const Statement& st);
    // Records that a DO block's statements could not be read (a parse-error
    // naming why), so it never passes silently.
    void not_analysed(const Statement& st, const std::string& why);
    struct DoContext {
        const Statement& outer;
        const std::string& body;
        std::size_t body_base;
        bool exact;
    };
    // Byte offset in the body of `query`, searched from the start of `lineno`.
    static std::size_t locate(const std::string& body, std::string_view query, int64_t lineno);
    void embedded(const DoContext& ctx, std::string_view query, int64_t lineno, bool guarded,
                  bool is_literal);
    static std::string_view expr_query(node::Element parent, std::string_view key);
    void visit(node::Element e, const DoContext& ctx, bool guarded);
};

}  // namespace pgw::parsing
