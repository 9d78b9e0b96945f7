// Splits a migration into statements, comments and psql meta-commands.
//
// libpg_query's own scanner split silently drops statements that start with a
// non-keyword (`SELEC 1;`) and unbalanced ones, which would hide text from the
// linter. This lexer never loses a byte: every non-blank, non-comment byte ends
// up in a statement, a meta-command or skipped COPY data, so a typo becomes a
// parse-error finding on that statement only. It follows psql's rules: quotes,
// E'' strings, dollar quotes, nested block comments, parentheses, and
// `BEGIN ATOMIC ... END` bodies of SQL-standard functions.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "frontend/placeholders.h"
#include "frontend/types.h"

namespace pgw {

struct Comment {
    Span span;         // the whole comment, delimiters included
    std::string text;  // the comment's text without `--` or `/* */`
    bool block = false;
};

struct RawStatement {
    Span span;  // first token to last token, the terminating `;` excluded
};

struct LexError {
    std::size_t offset = 0;
    std::string message;
};

struct SplitResult {
    std::string text;  // the file text with placeholders neutralised (same length)
    std::vector<RawStatement> statements;
    std::vector<Comment> comments;
    std::vector<Span> meta_commands;
    std::vector<Span> placeholders;        // may stand for names
    std::vector<Span> value_placeholders;  // SQL fragments a tool substitutes
    // An unterminated quote or comment: the statement containing it runs to
    // the end of the file and this says why it cannot be parsed.
    std::vector<LexError> errors;
    // Offsets of `;` inside statements that end there only if the statement
    // fails to parse: held by an open `(` (only CREATE RULE's action lists
    // hold one rightly) or by a BEGIN ATOMIC never closed. Sorted.
    std::vector<std::size_t> held_semicolons;
};

// Lexes `bytes` starting at `begin` (after a BOM). Placeholders are replaced
// in `text` by neutral text of the same length: `:'x'` by a string literal,
// `:"x"` by a quoted identifier, anything else by underscores (an identifier).
// `cuts` (sorted file offsets) are where a migration tool splits the file
// whatever the SQL says (goose's `-- +goose StatementEnd`, drizzle's
// `--> statement-breakpoint`): no statement, quote or comment spans one.
SplitResult split_statements(const std::string& bytes, std::size_t begin,
                             const PlaceholderSet& placeholders,
                             const std::vector<std::size_t>& cuts = {});

}  // namespace pgw
