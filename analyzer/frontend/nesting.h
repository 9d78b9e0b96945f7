// A bound on how deep a statement's parse tree can be, read from its tokens
// before libpg_query sees it.
//
// libpg_query turns a parse tree into JSON recursively, with no stack check:
// `SELECT 1+1+...+1` with 70,000 terms (a left-deep chain of A_Expr nodes the
// grammar builds without growing bison's stack) overflows any thread's stack
// inside pg_query_parse. A statement whose estimate passes kMaxNesting is
// reported as too deeply nested instead of being parsed.
#pragma once

#include <cstddef>
#include <string_view>

namespace pgw {

// SQL nesting levels a statement may have and still be parsed and analysed:
// what PostgreSQL 15 itself accepts with its default max_stack_depth (2 MB),
// measured: 4,000 nested calls or a 4,000-term `1+1+...` chain run, 5,000
// fail ("memory exhausted" in bison, "stack depth limit exceeded").
constexpr std::size_t kMaxNesting = 4000;

// JSON levels of a tree kMaxNesting SQL levels deep (a level is at most three
// JSON ones: {"FuncCall": {"args": [...]}}), with room for the statement's wrapping.
constexpr std::size_t kMaxJsonDepth = 3 * kMaxNesting + 64;

// An estimate of the parse tree's SQL nesting from left-deep chains: open
// parentheses and brackets, plus, at each level, the operators chained since
// the last `,`, `(`, AND, OR or clause keyword (each makes one more node of a
// left-deep chain). Right-nested forms (`NOT NOT x`, nested CASE) need no
// counting: bison's own stack (YYMAXDEPTH 10000) bounds them. Quotes, dollar
// quotes and comments are skipped as the lexer does. One pass. Each level
// counted consumes at least one character, so the estimate is at most
// sql.size(): a statement no longer than kMaxNesting needs no estimate.
std::size_t nesting_estimate(std::string_view sql);

}  // namespace pgw
