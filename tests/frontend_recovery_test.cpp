// Front end under hostile input (issue 12): bounded nesting, recovery after a
// broken statement, COPY data found by tokens, DO blocks never skipped silently.
#include <gtest/gtest.h>

#include "engine/config.h"
#include "frontend/nesting.h"
#include "frontend/parse.h"
#include "test_support.h"

using namespace pgw;

namespace {

std::unique_ptr<Migration> parse(const std::string& sql) {
    static Config c = test::default_config();
    return parse_migration(SourceFile::from_bytes("m.sql", sql), c.compiled_placeholders);
}

std::vector<std::string> kinds(const Migration& m) {
    std::vector<std::string> out;
    for (const Statement& st : m.statements)
        out.push_back(st.parsed() ? std::string(st.kind) : "error: " + st.error.substr(0, 40));
    return out;
}

TEST(Nesting, CountsLeftDeepChainsNotLists) {
    EXPECT_EQ(nesting_estimate("SELECT 1+1+1+1"), 3u);
    EXPECT_EQ(nesting_estimate("SELECT f(g(h(1)))"), 3u);
    // Commas, AND/OR and clause keywords end a chain: long lists are flat.
    EXPECT_LE(nesting_estimate("INSERT INTO t VALUES (1+1), (1+1), (1+1), (1+1)"), 3u);
    EXPECT_LE(nesting_estimate("SELECT 1 WHERE a = 1 OR a = 2 OR a = 3 OR a = 4"), 3u);
    // Quotes, dollar quotes and comments hold no operators.
    EXPECT_EQ(nesting_estimate("SELECT '+++', $x$ +++ $x$, \"a+b\" -- +++\n/* + */"), 0u);
    EXPECT_EQ(nesting_estimate("SELECT 1 || 2 || 3 || 4 || 5"), 4u);
}

// The parser skips the estimate for statements no longer than kMaxNesting:
// that is sound only while no statement's estimate passes its length.
TEST(Nesting, NeverPassesTheLength) {
    const std::string pieces[] = {"(",   "[", "+", "1+", "+-",  "a is ", "x collate ",
                                  "(1+", "-", "!", "f(", "at ", "<>",    "::"};
    for (const std::string& a : pieces)
        for (const std::string& b : pieces) {
            std::string s;
            for (int i = 0; i < 50; ++i) s += (i % 3 ? a : b);
            EXPECT_LE(nesting_estimate(s), s.size()) << s;
        }
    std::string parens(kMaxNesting, '(');
    EXPECT_EQ(nesting_estimate(parens), kMaxNesting);  // the bound is reached
}

TEST(Nesting, TooDeepIsAParseErrorWithoutParsing) {
    std::string chain = "SELECT 1";
    for (int i = 0; i < 70000; ++i) chain += "+1";
    auto m = parse(chain + ";\nDROP TABLE users;");
    ASSERT_EQ(m->statements.size(), 2u);
    EXPECT_NE(m->statements[0].error.find("nested too deeply"), std::string::npos);
    EXPECT_EQ(m->statements[1].kind, "DropStmt");
}

TEST(Nesting, WhatPostgresAcceptsParses) {
    std::string deep = "SELECT ";
    for (int i = 0; i < 3500; ++i) deep += "abs(";
    deep += "1";
    deep.append(3500, ')');
    auto m = parse(deep + ";");
    ASSERT_EQ(m->statements.size(), 1u);
    EXPECT_TRUE(m->statements[0].parsed()) << m->statements[0].error;
}

TEST(Recovery, AnUnclosedParenthesisHidesNothing) {
    auto m = parse("CREATE TABLE a (id int;\nDROP TABLE users;\nCREATE TABLE b (x int);");
    auto k = kinds(*m);
    ASSERT_EQ(k.size(), 3u) << ::testing::PrintToString(k);
    EXPECT_FALSE(m->statements[0].parsed());
    EXPECT_EQ(k[1], "DropStmt");
    EXPECT_EQ(k[2], "CreateStmt");
    EXPECT_EQ(m->source.position_at(m->statements[1].span.begin).line, 2);
}

TEST(Recovery, AnUnclosedBeginAtomicHidesNothing) {
    auto m =
        parse("CREATE FUNCTION f() RETURNS int LANGUAGE sql BEGIN ATOMIC SELECT 1;\nDROP TABLE u;");
    auto k = kinds(*m);
    ASSERT_EQ(k.size(), 2u) << ::testing::PrintToString(k);
    EXPECT_EQ(k[1], "DropStmt");
}

TEST(Recovery, AClosedBodyKeepsItsStatements) {
    auto m = parse(
        "CREATE FUNCTION f() RETURNS int LANGUAGE sql BEGIN ATOMIC DELETE FROM t; SELEC 1; END;");
    ASSERT_EQ(m->statements.size(), 1u);
    EXPECT_FALSE(m->statements[0].parsed());
}

TEST(Recovery, TemplateBracesDoNotSpanStatements) {
    auto m = parse("SELECT '{{';\nDROP TABLE users;\nSELECT '}}';");
    auto k = kinds(*m);
    ASSERT_EQ(k.size(), 3u);
    EXPECT_EQ(k[1], "DropStmt");
}

TEST(Split, BeginAsAnIdentifierIsNoBody) {
    auto m = parse(
        "CREATE FUNCTION f(begin int) RETURNS int LANGUAGE sql AS $$ SELECT 1 $$;\n"
        "DROP TABLE users;");
    ASSERT_EQ(m->split.statements.size(), 2u);
    EXPECT_EQ(m->statements[1].kind, "DropStmt");
}

TEST(Split, CopyFromStdinIsReadFromTokens) {
    auto a = parse("COPY t FROM '/data/from stdin.csv';\nDROP TABLE users;");
    EXPECT_EQ(kinds(*a).size(), 2u);
    auto b = parse("COPY t FROM  STDIN;\nnot sql\n\\.\nDROP TABLE users;");
    auto k = kinds(*b);
    ASSERT_EQ(k.size(), 2u) << ::testing::PrintToString(k);
    EXPECT_EQ(k[1], "DropStmt");
    auto c = parse("COPY t FROM /* where */ stdin WITH (FORMAT csv);\na,b\n\\.\nSELECT 1;");
    EXPECT_EQ(kinds(*c).size(), 2u);
}

TEST(DoBlocks, NestedDoIsLinted) {
    auto m = parse("DO $$ BEGIN DO $x$ BEGIN DROP TABLE users; END $x$; END $$;");
    auto k = kinds(*m);
    EXPECT_NE(std::find(k.begin(), k.end(), "DropStmt"), k.end()) << ::testing::PrintToString(k);
}

TEST(DoBlocks, DeclaredCollationDoesNotHideTheBody) {
    auto m = parse("DO $$\nDECLARE x text COLLATE \"C\";\nBEGIN\n  DROP TABLE users;\nEND $$;");
    auto k = kinds(*m);
    ASSERT_EQ(k.size(), 2u) << ::testing::PrintToString(k);
    EXPECT_EQ(k[1], "DropStmt");
    EXPECT_EQ(m->source.position_at(m->statements[1].span.begin).line, 4);
}

TEST(DoBlocks, UnreadableBodiesAreReported) {
    auto m = parse("DO LANGUAGE plperl $$ 1; $$;");
    ASSERT_EQ(m->statements.size(), 2u);
    EXPECT_NE(m->statements[1].error.find("not analysed"), std::string::npos);
}

}  // namespace
