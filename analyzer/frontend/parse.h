// Layer "frontend": source bytes and positions, placeholders, the splitter,
// libpg_query parse trees, node helpers, annotations. Includes only itself.
//
// Turns a migration's bytes into parsed statements. Every statement is parsed
// once by libpg_query; its JSON tree is held by simdjson and shared by all rules.
#pragma once

#include <deque>
#include <memory>
#include <string>
#include <vector>

#include "frontend/lexer.h"
#include "frontend/node.h"
#include "frontend/source.h"
#include "frontend/types.h"

namespace pgw {

struct Statement {
    Span span;              // the statement in the file, `;` excluded
    std::string_view text;  // what was given to the parser (placeholders neutralised)
    std::size_t base = 0;   // file offset of text[0]: parse-tree locations are relative to it
    bool exact = true;      // false when text is an unescaped string literal (EXECUTE '...')
    std::string_view kind;  // parse-tree node type ("DropStmt"), empty if it did not parse
    node::Element node;     // that node's fields
    std::string error;      // the parser's message when it did not parse
    std::size_t error_offset = 0;  // file offset of the error
    int do_depth = 0;              // > 0: executed from inside a DO block
    bool guarded = false;  // inside a DO block, under an existence check or exception handler

    bool parsed() const { return !kind.empty(); }
    // A file span for a parse-tree `location`, `length` bytes long (at least one).
    Span span_at(int64_t location, std::size_t length = 1) const;
};

struct Migration {
    SourceFile source;
    SplitResult split;
    std::vector<Statement> statements;  // top level and DO-block ones, in file order

    // Owners of the memory statements point into.
    std::vector<std::unique_ptr<simdjson::dom::document>> trees;
    std::deque<std::string> texts;
};

// Splits and parses. A file whose bytes are not text (source.problem) gets no statements.
std::unique_ptr<Migration> parse_migration(SourceFile source, const PlaceholderSet& placeholders);

}  // namespace pgw
