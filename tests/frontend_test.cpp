// Front end: splitting, positions, placeholders, meta-commands, DO blocks.
#include <gtest/gtest.h>

#include "cli/runner.h"
#include "engine/config.h"
#include "frontend/lexer.h"
#include "frontend/parse.h"
#include "test_support.h"

using namespace pgw;

namespace {

Config defaults() {
    return test::default_config();
}

std::vector<Finding> findings_of(const std::string& sql, const std::string& rule) {
    std::vector<Finding> out;
    for (auto& f : lint_text("m.sql", sql, defaults()).findings)
        if (f.rule == rule) out.push_back(f);
    return out;
}

std::unique_ptr<Migration> parse(const std::string& sql) {
    static Config c = defaults();
    return parse_migration(SourceFile::from_bytes("m.sql", sql), c.compiled_placeholders);
}

TEST(Split, NeverLosesAStatement) {
    // libpg_query's scanner split drops `SELEC oops` and the unbalanced statement.
    auto m = parse("SELEC oops; CREATE TABLE a (x int); foo bar; CREATE TABLE b (x int");
    ASSERT_EQ(m->split.statements.size(), 4u);
    EXPECT_FALSE(m->statements[0].parsed());
    EXPECT_EQ(m->statements[1].kind, "CreateStmt");
    EXPECT_FALSE(m->statements[2].parsed());
    EXPECT_FALSE(m->statements[3].parsed());
}

TEST(Split, QuotesCommentsAndDollarQuotesHideSemicolons) {
    auto m = parse(
        "CREATE TABLE \"a;b\" (x text DEFAULT 'q;' /* ; */); -- ;\n"
        "CREATE FUNCTION f() RETURNS int AS $body$ SELECT 1; $body$ LANGUAGE sql;\n"
        "SELECT E'it\\'s;';\nSELECT $1::int;");
    ASSERT_EQ(m->split.statements.size(), 4u);
    for (auto& st : m->statements) EXPECT_TRUE(st.parsed()) << st.text << ": " << st.error;
}

TEST(Split, BeginAtomicBodyIsOneStatement) {
    auto m = parse(
        "CREATE FUNCTION f() RETURNS int LANGUAGE sql BEGIN ATOMIC SELECT 1; "
        "SELECT CASE WHEN true THEN 2 END; END; SELECT 3;");
    ASSERT_EQ(m->split.statements.size(), 2u);
    EXPECT_EQ(m->statements[0].kind, "CreateFunctionStmt") << m->statements[0].error;
}

TEST(Split, CopyFromStdinDataIsSkipped) {
    auto m = parse("COPY t (a) FROM stdin;\n1\n2; DROP TABLE x\n\\.\nCREATE TABLE u (id int);\n");
    ASSERT_EQ(m->split.statements.size(), 2u);
    EXPECT_EQ(m->statements[1].kind, "CreateStmt");
}

TEST(Split, UnterminatedQuoteOnlyBreaksItsStatement) {
    auto m = parse("CREATE TABLE a (x int);\nSELECT 'oops;\nDROP TABLE b;");
    ASSERT_EQ(m->split.statements.size(), 2u);
    EXPECT_TRUE(m->statements[0].parsed());
    EXPECT_FALSE(m->statements[1].parsed());
    EXPECT_EQ(m->split.errors.size(), 1u);
}

TEST(Positions, CrlfBomMultibyteAndTabs) {
    std::string sql =
        "\xEF\xBB\xBF-- caf\xC3\xA9\r\nSELECT 1;\r\n\t\xC3\xA9t\xC3\xA9 ; DROP TABLE users;\r\n";
    auto f = findings_of(sql, "drop-table");
    ASSERT_EQ(f.size(), 1u);
    EXPECT_EQ(f[0].start.line, 3);
    EXPECT_EQ(f[0].start.column, 8);  // tab, é, t, é, space, ;, space -> column 8
    EXPECT_EQ(f[0].end.line, 3);
    EXPECT_EQ(f[0].end.column, 23);
    auto first = findings_of(
        "\xEF\xBB\xBF"
        "DROP TABLE a;",
        "drop-table");
    ASSERT_EQ(first.size(), 1u);
    EXPECT_EQ(first[0].start.column, 1);  // the BOM is not a character
}

TEST(Placeholders, KeepPositionsAndParse) {
    auto m = parse(
        "CREATE TABLE ${schema}.users (id int);\n"
        "ALTER TABLE {{ .Table }} ADD COLUMN x int;\n"
        "GRANT SELECT ON users TO :\"role\";\n"
        "SELECT :'name', :limit, a::text FROM t;\n"
        "CREATE TABLE app_${env}_events (id int);");
    ASSERT_EQ(m->statements.size(), 5u);
    for (auto& st : m->statements) EXPECT_TRUE(st.parsed()) << st.text << ": " << st.error;
    EXPECT_EQ(m->split.text.size(), m->source.bytes.size());
    EXPECT_NE(m->split.text.find("a::text"), std::string::npos);  // a cast is not a variable
    auto f = findings_of("SELECT 1;\nDROP TABLE ${schema}.users;", "drop-table");
    ASSERT_EQ(f.size(), 1u);
    EXPECT_EQ(f[0].start.line, 2);
}

TEST(Placeholders, TemplatesAreReplacedInsideQuotesToo) {
    // The template engine runs before SQL: `{{ ... "x" }}` inside a quoted identifier.
    auto m = parse(
        "CREATE INDEX i ON \"{{ index .Options \"Namespace\" }}\".t (a);\n"
        "DO $$ BEGIN ALTER TABLE {{ index .Options \"Namespace\" }}.t ADD x int; END $$;");
    ASSERT_EQ(m->split.statements.size(), 2u);
    for (auto& st : m->statements) EXPECT_TRUE(st.parsed()) << st.text << ": " << st.error;
}

TEST(Placeholders, ConfigurablePatterns) {
    Config c;
    c.placeholders = {"@@[a-z]+@@"};
    finalize_config(c);
    auto r = lint_text("m.sql", "CREATE TABLE @@name@@ (id int);", c);
    for (auto& f : r.findings) EXPECT_NE(f.rule, "parse-error") << f.message;
    c.placeholders = {"(unclosed"};
    EXPECT_THROW(finalize_config(c), ConfigError);
}

TEST(MetaCommands, AreSkippedNotParseErrors) {
    auto r = lint_text("m.sql", "\\set ON_ERROR_STOP on\n\\connect db\nCREATE TABLE t (id int);\n",
                       defaults());
    int meta = 0;
    for (auto& f : r.findings) {
        EXPECT_NE(f.rule, "parse-error");
        meta += f.rule == "psql-meta-command";
    }
    EXPECT_EQ(meta, 2);
}

TEST(DoBlocks, StatementsInsideAreLintedAtTheirOwnLine) {
    std::string sql =
        "DO $$\nBEGIN\n  IF true THEN\n    DROP TABLE a;\n  END IF;\n"
        "  EXECUTE 'DROP TABLE b';\nEND $$;\n";
    auto f = findings_of(sql, "drop-table");
    ASSERT_EQ(f.size(), 2u);
    EXPECT_EQ(f[0].start.line, 4);
    EXPECT_EQ(f[0].start.column, 5);
    EXPECT_EQ(f[1].start.line, 6);
    EXPECT_EQ(f[1].start.column, 12);
}

TEST(DoBlocks, FunctionBodiesAreNotExecuted) {
    std::string sql =
        "CREATE FUNCTION f() RETURNS void LANGUAGE plpgsql AS $$\nBEGIN\n"
        "  DROP TABLE a;\nEND $$;\n";
    EXPECT_TRUE(findings_of(sql, "drop-table").empty());
}

TEST(DoBlocks, GuardedStatementsAreMarked) {
    auto m = parse(
        "DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_type WHERE typname = 'm') THEN "
        "CREATE TYPE m AS ENUM ('a'); END IF; CREATE TYPE n AS ENUM ('b'); END $$;");
    ASSERT_EQ(m->statements.size(), 3u);
    EXPECT_TRUE(m->statements[1].guarded);
    EXPECT_FALSE(m->statements[2].guarded);
    EXPECT_EQ(m->statements[2].do_depth, 1);
}

TEST(Recovery, StatementAfterSyntaxErrorIsStillLinted) {
    auto r = lint_text("m.sql", "CREAT TABLE x (id int);\nDROP TABLE users;\n", defaults());
    bool parse_error = false, drop = false;
    for (auto& f : r.findings) {
        parse_error |= f.rule == "parse-error" && f.start.line == 1;
        drop |= f.rule == "drop-table" && f.start.line == 2;
    }
    EXPECT_TRUE(parse_error);
    EXPECT_TRUE(drop);
}

TEST(Encoding, NulAndInvalidUtf8AreParseErrors) {
    for (std::string bad : {std::string("SELECT 1;\0", 10), std::string("SELECT '\xC3\x28';")}) {
        auto r = lint_text("m.sql", bad, defaults());
        ASSERT_EQ(r.findings.size(), 1u);
        EXPECT_EQ(r.findings[0].rule, "parse-error");
        EXPECT_EQ(r.findings[0].start.line, 1);
    }
}

}  // namespace
