// Engine: annotation scopes, aliases, acknowledged findings, suppressions, config.
#include <gtest/gtest.h>

#include "cli/runner.h"
#include "engine/config.h"
#include "engine/rule.h"
#include "test_support.h"

using namespace pgw;

namespace {

Config defaults() {
    return test::default_config();
}

const Finding* find(const FileReport& r, const std::string& rule, int line = 0) {
    for (auto& f : r.findings)
        if (f.rule == rule && (line == 0 || f.start.line == line)) return &f;
    return nullptr;
}

TEST(Annotations, StatementScopeCoversOnlyTheNextStatement) {
    auto r = lint_text("m.sql",
                       "SELECT 1;\n-- @override-destructive\n-- @rollback-plan: restore\n"
                       "DROP TABLE a;\nDROP TABLE b;\n",
                       defaults());
    ASSERT_TRUE(find(r, "drop-table", 4));
    EXPECT_TRUE(find(r, "drop-table", 4)->acknowledged);
    EXPECT_EQ(find(r, "drop-table", 4)->severity, Severity::info);
    EXPECT_EQ(find(r, "drop-table", 4)->rollback_plan, "restore");
    ASSERT_TRUE(find(r, "drop-table", 5));
    EXPECT_FALSE(find(r, "drop-table", 5)->acknowledged);
    EXPECT_EQ(find(r, "drop-table", 5)->severity, Severity::error);
}

TEST(Annotations, FileHeaderCoversTheWholeFile) {
    auto r = lint_text("m.sql",
                       "-- Migration: 002_cleanup\n-- @allow-destructive legacy cleanup\n"
                       "-- @rollback-plan: restore both tables from backup\n\n"
                       "DROP TABLE a;\nSELECT 1;\nDROP TABLE b;\n",
                       defaults());
    int acknowledged = 0;
    for (auto& f : r.findings) acknowledged += f.rule == "drop-table" && f.acknowledged;
    EXPECT_EQ(acknowledged, 2);
}

TEST(Annotations, BlockAfterTheHeaderBelongsToTheFirstStatement) {
    auto r = lint_text("m.sql",
                       "-- Migration: 004_cleanup\n-- Risk: HIGH\n\n"
                       "-- @override-destructive unused\n-- @rollback-plan: restore\n"
                       "DROP TABLE a;\nDROP TABLE b;\n",
                       defaults());
    EXPECT_TRUE(find(r, "drop-table", 6)->acknowledged);
    EXPECT_FALSE(find(r, "drop-table", 7)->acknowledged);
    EXPECT_EQ(r.declared_risk, Risk::high);
}

TEST(Annotations, TrailingCommentBelongsToThePreviousStatement) {
    auto r = lint_text("m.sql",
                       "SELECT 1;\nDROP TABLE a; -- @override-destructive\n"
                       "DROP TABLE b;\n",
                       defaults());
    EXPECT_TRUE(find(r, "drop-table", 2)->acknowledged);
    EXPECT_FALSE(find(r, "drop-table", 3)->acknowledged);
}

TEST(Annotations, AcknowledgedFindingsNeverFailButRaiseRisk) {
    auto r = lint_text(
        "m.sql", "SELECT 1;\n-- @migration-override\n-- @rollback-plan: backup\nDROP TABLE a;\n",
        defaults());
    for (auto& f : r.findings) EXPECT_NE(f.severity, Severity::error) << f.rule;
    EXPECT_EQ(r.risk, Risk::high);
}

TEST(Annotations, TypoDoesNotCount) {
    auto r = lint_text("m.sql", "SELECT 1;\n-- @overide-destructive\nDROP TABLE a;\n", defaults());
    ASSERT_TRUE(find(r, "unknown-annotation", 2));
    EXPECT_FALSE(find(r, "drop-table", 3)->acknowledged);
}

TEST(Annotations, DeclaredRiskFromHeaderOrAnnotation) {
    EXPECT_EQ(lint_text("m.sql", "-- Risk Level: medium\nSELECT 1;", defaults()).declared_risk,
              Risk::medium);
    EXPECT_EQ(lint_text("m.sql", "-- @risk HIGH\nSELECT 1;", defaults()).declared_risk, Risk::high);
    EXPECT_FALSE(lint_text("m.sql", "SELECT 1;", defaults()).declared_risk.has_value());
}

TEST(Suppressions, StatementAndFileScope) {
    auto r = lint_text("m.sql",
                       "SELECT 1;\n-- pgwarden-ignore drop-table -- approved by DBA\n"
                       "DROP TABLE a;\nDROP TABLE b;\n",
                       defaults());
    EXPECT_FALSE(find(r, "drop-table", 3));
    EXPECT_TRUE(find(r, "drop-table", 4));
    EXPECT_FALSE(find(r, "unused-suppression"));
    auto all = lint_text(
        "m.sql", "DROP TABLE a;\n-- pgwarden-ignore-file drop-table\nDROP TABLE b;", defaults());
    EXPECT_FALSE(find(all, "drop-table"));
}

TEST(Suppressions, UnusedOnesAreReported) {
    auto r =
        lint_text("m.sql", "SELECT 1;\n-- pgwarden-ignore drop-table\nSELECT 2;\n", defaults());
    ASSERT_TRUE(find(r, "unused-suppression", 2));
    EXPECT_EQ(find(r, "unused-suppression", 2)->severity, Severity::info);
}

TEST(Config, SeverityOverridesAndDisable) {
    Config c = parse_config(R"({"rules": {"drop-table": "warning"}})", "t.json");
    auto r = lint_text("m.sql", "DROP TABLE a;", c);
    EXPECT_EQ(find(r, "drop-table")->severity, Severity::warning);
    c = parse_config(R"({"rules": {"drop-table": "off"}})", "t.json");
    EXPECT_FALSE(find(lint_text("m.sql", "DROP TABLE a;", c), "drop-table"));
}

TEST(Config, CommentsAllowedAndErrorsNameTheKey) {
    EXPECT_NO_THROW(parse_config("{\n // comment\n \"pg_version\": 13 /* x */\n}", "c.json"));
    auto message = [](const std::string& json) {
        try {
            parse_config(json, "c.json");
        } catch (const ConfigError& e) {
            return std::string(e.what());
        }
        return std::string("no error");
    };
    EXPECT_EQ(message(R"({"colour": true})"), "c.json: key 'colour': unknown key");
    EXPECT_EQ(message(R"({"migration": ["db"]})"),
              "c.json: key 'migration': unknown key (did you mean migrations?)");
    EXPECT_EQ(message(R"({"rules": {"drop-tabel": "error"}})"),
              "c.json: key 'rules.drop-tabel': unknown rule (did you mean drop-table?)");
    EXPECT_EQ(message(R"({"rules": {"no-such-thing": "error"}})"),
              "c.json: key 'rules.no-such-thing': unknown rule (see `pgwarden rules`)");
    // A key given twice would keep only its last value: refused, at any depth.
    EXPECT_EQ(message(R"({"pg_version": 15, "pg_version": 13})"),
              "c.json: key 'pg_version' is given twice");
    EXPECT_EQ(message(R"({"rules": {"drop-table": "off", "drop-table": "error"}})"),
              "c.json: key 'drop-table' is given twice");
    EXPECT_NO_THROW(
        parse_config(R"({"rules": {"drop-table": "off"}, "risk_policy": {}})", "c.json"));
    // custom_rules kinds are libpg_query's node names; a misspelt one matches nothing.
    EXPECT_EQ(message(R"({"custom_rules": [{"id": "x", "pattern": "a", "kinds": ["DropStmnt"]}]})"),
              "c.json: key 'custom_rules[0].kinds': unknown statement kind 'DropStmnt' (did you "
              "mean DropStmt?)");
    EXPECT_NO_THROW(parse_config(
        R"({"custom_rules": [{"id": "x", "pattern": "a", "kinds": ["DropStmt", "AlterTableStmt"]}]})",
        "c.json"));
    EXPECT_EQ(
        message(R"({"rules": {"drop-table": "fatal"}})"),
        "c.json: key 'rules.drop-table': expected \"error\", \"warning\", \"info\" or \"off\"");
    EXPECT_EQ(message(R"({"pg_version": "15"})"),
              "c.json: key 'pg_version': expected a PostgreSQL major version between 9 and 18");
    EXPECT_EQ(message(R"({"risk_policy": {"LOW": {"approvals": -1}}})"),
              "c.json: key 'risk_policy.LOW.approvals': expected an integer between 0 and 1000");
    EXPECT_NE(message("{"), "no error");
    // Numbers too big for any type, and integers that would wrap in an int.
    EXPECT_EQ(message(R"({"pg_version": 2e3333333333})").rfind("c.json: invalid JSON: ", 0), 0u);
    EXPECT_EQ(message(R"({"pg_version": 4294967311})"),
              "c.json: key 'pg_version': expected a PostgreSQL major version between 9 and 18");
    EXPECT_EQ(message(R"({"object_naming": {"indexes": "idx_{table}"}})"),
              "c.json: key 'object_naming.indexes': unknown object kind (one of table, index, "
              "unique_index, primary_key, unique, foreign_key, check, exclusion)");
    EXPECT_EQ(message(R"({"object_naming": {"index": "idx_({table}"}})")
                  .rfind("c.json: key 'object_naming.index': invalid pattern: ", 0),
              0u);
}

TEST(Config, ObjectNamingPatternsTurnTheRuleOn) {
    Config c = parse_config(R"({"object_naming": {"index": "idx_{table}_{columns}"}})", "c.json");
    EXPECT_EQ(c.severity_of("object-naming", Severity::off), Severity::warning);
    EXPECT_TRUE(
        find(lint_text("m.sql", "CREATE INDEX users_e ON users (email);", c), "object-naming"));
    EXPECT_FALSE(find(lint_text("m.sql", "CREATE INDEX idx_users_email ON users (email);", c),
                      "object-naming"));
    c = parse_config(R"({"object_naming": {"index": "idx_{table}_{columns}"},
                        "rules": {"object-naming": "off"}})",
                     "c.json");
    EXPECT_FALSE(
        find(lint_text("m.sql", "CREATE INDEX users_e ON users (email);", c), "object-naming"));
}

TEST(Registry, RulesAreSortedAndUnique) {
    const auto& rules = all_rules();
    ASSERT_FALSE(rules.empty());
    for (std::size_t i = 1; i < rules.size(); ++i)
        EXPECT_LT(rules[i - 1]->info().id, rules[i]->info().id);
}

}  // namespace

namespace {

TEST(Rollback, DownFilesMayDropWhatTheirUpCreated) {
    Config c = defaults();
    for (std::string name :
         {"001_users.down.sql", "x/down.sql", "001_users_rollback.sql", "001_users.rollback.sql"}) {
        auto r = lint_text(name, "DROP TABLE users;", c);
        EXPECT_FALSE(find(r, "drop-table")) << name;
    }
    EXPECT_TRUE(find(lint_text("001_users.up.sql", "DROP TABLE users;", c), "drop-table"));
}

}  // namespace
