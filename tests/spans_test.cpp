// Finding spans: what an editor underlines and a pull request annotates must be
// the clause or name the finding is about, quotes and all.
#include <gtest/gtest.h>

#include "cli/runner.h"
#include "engine/rule.h"
#include "test_support.h"

using namespace pgw;

namespace {

// The text a finding of `rule` marks (first line only when it spans several).
std::string marked(const std::string& sql, const std::string& rule, int line = 0) {
    Config c = test::default_config();
    auto r = lint_text("m.sql", sql, c);
    for (const Finding& f : r.findings) {
        if (f.rule != rule || (line && f.start.line != line)) continue;
        std::size_t begin = 0;
        for (int l = 1; l < f.start.line; ++l) begin = sql.find('\n', begin) + 1;
        std::size_t from = begin + f.start.column - 1;
        std::size_t to = f.end.line == f.start.line ? begin + f.end.column : sql.find('\n', from);
        return sql.substr(from, to - from);
    }
    return "<no " + rule + " finding>";
}

TEST(Spans, QuotedColumnNameIsMarkedWhole) {
    EXPECT_EQ(marked("ALTER TABLE \"T\" ADD COLUMN \"colname\" int;", "idempotent-ddl"),
              "\"colname\"");
    EXPECT_EQ(marked("ALTER TABLE t ADD COLUMN \"a\"\"b\" int;", "idempotent-ddl"), "\"a\"\"b\"");
}

TEST(Spans, QuotedDropIsMarkedToItsClosingQuote) {
    EXPECT_EQ(marked("ALTER TABLE t DROP COLUMN \"Legacy\";", "idempotent-ddl"),
              "DROP COLUMN \"Legacy\"");
}

TEST(Spans, OneClauseOfAMultiLineAlterTable) {
    std::string sql =
        "ALTER TABLE orders\n"
        "  ADD COLUMN a int,\n"
        "  ADD COLUMN b int NOT NULL,\n"
        "  ADD COLUMN c uuid DEFAULT gen_random_uuid(),\n"
        "  ALTER COLUMN d TYPE bigint, -- a comment, with a comma\n"
        "  ADD CONSTRAINT e CHECK (a > 0);\n";
    EXPECT_EQ(marked(sql, "add-column-not-null-without-default"), "ADD COLUMN b int NOT NULL");
    EXPECT_EQ(marked(sql, "add-column-volatile-default"),
              "ADD COLUMN c uuid DEFAULT gen_random_uuid()");
    EXPECT_EQ(marked(sql, "alter-column-type"), "ALTER COLUMN d TYPE bigint");
    EXPECT_EQ(marked(sql, "constraint-not-valid"), "ADD CONSTRAINT e CHECK (a > 0)");
}

TEST(Spans, TheFirstClauseStartsWithTheStatement) {
    std::string sql = "ALTER TABLE orders ADD COLUMN b int NOT NULL, ADD COLUMN a int;\n";
    EXPECT_EQ(marked(sql, "add-column-not-null-without-default"),
              "ALTER TABLE orders ADD COLUMN b int NOT NULL");
}

TEST(Spans, ASingleClauseStatementIsMarkedWhole) {
    std::string sql = "ALTER TABLE orders ADD COLUMN b int NOT NULL;\n";
    EXPECT_EQ(marked(sql, "add-column-not-null-without-default"),
              "ALTER TABLE orders ADD COLUMN b int NOT NULL");
}

}  // namespace
