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

#include "frontend/layout.h"
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
    // An ALTER TABLE's commands (the AlterTableCmd fields of `cmds`), listed
    // once here: a dozen rules read them.
    std::vector<node::Element> alter_commands;
    std::string error;             // the parser's message when it did not parse
    std::size_t error_offset = 0;  // file offset of the error
    int do_depth = 0;              // > 0: executed from inside a DO block
    bool guarded = false;    // inside a DO block, under an existence check or exception handler
    std::uint32_t unit = 0;  // index into Migration::units

    bool parsed() const { return !kind.empty(); }
    // A file span for a parse-tree `location`, `length` bytes long (at least one).
    Span span_at(int64_t location, std::size_t length = 1) const;
};

struct Migration {
    SourceFile source;
    SplitResult split;
    std::vector<Statement> statements;  // top level and DO-block ones, in file order
    // How the migration tool runs the file (never empty after parse_migration).
    std::vector<Unit> units;
    std::string layout_note;  // FileLayout::note

    const Unit& unit_of(const Statement& st) const { return units[st.unit]; }
    bool is_down(const Statement& st) const { return unit_of(st).section == Section::down; }

    // Owners of the memory statements point into.
    std::vector<std::unique_ptr<simdjson::dom::document>> trees;
    std::deque<std::string> texts;
    std::deque<SplitResult> embedded_splits;  // the text embedded SQL was parsed from
};

// Splits and parses. A file whose bytes are not text (source.problem) gets no
// statements. `layout` is how the migration tool divides the file (null: one
// up unit, transaction as configured); statements in units that do not run
// are left out.
std::unique_ptr<Migration> parse_migration(SourceFile source, const PlaceholderSet& placeholders,
                                           const FileLayout* layout = nullptr);

}  // namespace pgw
