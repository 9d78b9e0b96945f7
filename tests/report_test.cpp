// Reporters: SARIF, GitHub workflow commands, Markdown and GitLab Code Quality.
// Escaping, truncation, severities and fingerprints; byte-exact outputs of the
// whole command are in tests/golden (golden_test.py).
#include "report/report.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "cli/runner.h"
#include "report/util.h"
#include "test_support.h"

using namespace pgw;
using nlohmann::json;

namespace {

Finding make_finding(std::string rule, Severity severity, std::string path, int line,
                     std::string message, std::string help = "") {
    Finding f;
    f.rule = std::move(rule);
    f.severity = severity;
    f.category = Category::locking;
    f.path = std::move(path);
    f.start = {line, 1};
    f.end = {line, 10};
    f.message = std::move(message);
    f.help = std::move(help);
    return f;
}

RunResult one_file(std::vector<Finding> findings, std::string path = "db/001_a.sql") {
    RunResult run;
    FileReport file;
    file.path = std::move(path);
    file.findings = std::move(findings);
    run.files.push_back(std::move(file));
    run.summarize();
    return run;
}

RunResult lint(const std::string& path, const std::string& sql) {
    RunResult run;
    run.files.push_back(lint_text(path, sql, test::default_config()));
    run.summarize();
    return run;
}

using Writer = void (*)(const RunResult&, const ReportOptions&, std::ostream&);

std::string render(Writer write, const RunResult& run, const Config* config = nullptr) {
    ReportOptions opts;
    opts.version = "9.9.9";
    opts.config = config;
    opts.source_root = "/work/src";
    std::ostringstream out;
    write(run, opts, out);
    return out.str();
}

std::vector<std::string> lines_of(const std::string& text) {
    std::vector<std::string> out;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);) out.push_back(line);
    return out;
}

// --- GitHub ---------------------------------------------------------------

TEST(GithubReport, EscapesDataAndPropertiesLikeActionsCore) {
    Finding f = make_finding("custom:no-grant-all", Severity::error, "db/a,b:c%d.sql", 3,
                             "100% sure: a, b\r\nnext line", "use GRANT SELECT, not ALL");
    f.end = {3, 7};
    auto out = lines_of(render(write_github, one_file({f})));
    ASSERT_EQ(out.size(), 2u);
    // Properties escape % CR LF : and ,; the message only % CR LF.
    EXPECT_EQ(out[0],
              "::error file=db/a%2Cb%3Ac%25d.sql,line=3,endLine=3,col=1,endColumn=7,"
              "title=pgwarden custom%3Ano-grant-all::100%25 sure: a, b%0D%0Anext line%0A"
              "use GRANT SELECT, not ALL");
    EXPECT_EQ(out[1], "pgwarden: 1 file checked: 1 error, 0 warnings, 0 infos");
}

TEST(GithubReport, LevelsFollowSeverityAndAcknowledgement) {
    Finding error = make_finding("a", Severity::error, "m.sql", 1, "e");
    Finding warning = make_finding("b", Severity::warning, "m.sql", 2, "w");
    Finding info = make_finding("c", Severity::info, "m.sql", 3, "i");
    Finding acknowledged = make_finding("drop-table", Severity::info, "m.sql", 4, "drop");
    acknowledged.acknowledged = true;
    acknowledged.rollback_plan = "restore: from backup";
    auto out = lines_of(render(write_github, one_file({error, warning, info, acknowledged})));
    ASSERT_EQ(out.size(), 5u);
    EXPECT_EQ(out[0].rfind("::error ", 0), 0u);
    EXPECT_EQ(out[1].rfind("::warning ", 0), 0u);
    EXPECT_EQ(out[2].rfind("::notice ", 0), 0u);
    EXPECT_EQ(out[3].rfind("::notice ", 0), 0u);
    EXPECT_NE(out[3].find("::drop (acknowledged)%0Arollback plan: restore: from backup"),
              std::string::npos)
        << out[3];
}

TEST(GithubReport, ColumnsOnlyForSingleLineSpans) {
    Finding f = make_finding("a", Severity::warning, "./m.sql", 2, "w");
    f.end = {4, 3};
    auto out = lines_of(render(write_github, one_file({f})));
    EXPECT_EQ(out[0], "::warning file=m.sql,line=2,endLine=4,title=pgwarden a::w");
}

// --- Markdown -------------------------------------------------------------

TEST(MarkdownReport, EscapesTableCells) {
    Finding f = make_finding("a", Severity::error, "db/x|y.sql", 1,
                             "a | b\nc <script> `x | y` *bold* 50_000 _e_ @override-destructive");
    std::string out = render(write_markdown, one_file({f}, "db/x|y.sql"));
    EXPECT_NE(out.find("| error | `a` | [1:1](db/x%7Cy.sql#L1) | a \\| b<br>c \\<script\\> "
                       "`x \\| y` \\*bold\\* 50_000 \\_e\\_ `@override-destructive` |"),
              std::string::npos)
        << out;
    EXPECT_NE(out.find("#### `db/x|y.sql`"), std::string::npos) << out;  // not a table
    EXPECT_NE(out.find("| `db/x\\|y.sql` |"), std::string::npos) << out;
    // An unmatched backtick is escaped instead of swallowing the rest of the row.
    EXPECT_EQ(markdown_inline("a ` b", true), "a \\` b");
    EXPECT_EQ(markdown_code("x`y", false), "``x`y``");
}

TEST(MarkdownReport, MigrationTableUsesTheConfiguredRiskPolicy) {
    RunResult run = lint("001_drop.sql",
                         "-- Risk: MEDIUM\n-- @override-destructive gone\n"
                         "-- @rollback-plan: restore from snapshot\nDROP TABLE IF EXISTS t;\n");
    Config config = test::default_config();
    config.risk_policy[Risk::high] = {4, "weekend window"};
    std::string out = render(write_markdown, run, &config);
    EXPECT_NE(out.find("| `001_drop.sql` | HIGH | MEDIUM (understated) | 4 | weekend window |"),
              std::string::npos)
        << out;
    EXPECT_NE(out.find("### Acknowledged destructive operations"), std::string::npos);
    EXPECT_NE(out.find("| `drop-table` | DROP TABLE t deletes the table and its data | restore "
                       "from snapshot |"),
              std::string::npos)
        << out;
    EXPECT_EQ(out.find("omitted"), std::string::npos);
}

TEST(MarkdownReport, RepeatedHelpIsWrittenOnce) {
    Finding a = make_finding("idempotent-ddl", Severity::warning, "m.sql", 1, "one", "add IF");
    Finding b = make_finding("idempotent-ddl", Severity::warning, "m.sql", 2, "two", "add IF");
    std::string out = render(write_markdown, one_file({a, b}, "m.sql"));
    EXPECT_NE(out.find("| one | add IF |"), std::string::npos) << out;
    EXPECT_NE(out.find("| two | *see above* |"), std::string::npos) << out;
}

TEST(MarkdownReport, StaysUnderTheCommentLimitAndCountsWhatIsLeftOut) {
    std::vector<Finding> findings;
    const std::size_t total = 1500;
    for (std::size_t i = 0; i < total; ++i)
        findings.push_back(
            make_finding("idempotent-ddl", Severity::warning, "db/big.sql", static_cast<int>(i + 1),
                         "finding " + std::to_string(i) + " " + std::string(120, 'x')));
    findings[0].acknowledged = true;  // must survive the cut: it is listed first
    findings[0].severity = Severity::info;
    findings[0].rollback_plan = "keep me";
    std::string out = render(write_markdown, one_file(findings, "db/big.sql"));
    EXPECT_LT(out.size(), 65536u);
    EXPECT_GT(out.size(), 65536u - 1000);  // the budget is used, not wasted

    std::size_t rows = 0;
    for (const std::string& line : lines_of(out))
        rows += line.rfind("| warning |", 0) == 0 || line.rfind("| info (acknowledged) |", 0) == 0;
    ASSERT_LT(rows, total);
    std::string note = std::to_string(total - rows) + " findings were omitted";
    EXPECT_NE(out.find(note), std::string::npos) << "expected '" << note << "'";
    EXPECT_NE(out.find("--format text"), std::string::npos);
    EXPECT_NE(out.find("keep me"), std::string::npos);
    // Whole rows only: the last kept finding row is complete.
    EXPECT_NE(out.find("finding " + std::to_string(rows - 1) + " "), std::string::npos);
    EXPECT_EQ(out.find("finding " + std::to_string(rows) + " "), std::string::npos);
}

// --- SARIF ----------------------------------------------------------------

TEST(SarifReport, AcknowledgedFindingsAreNotesAndRulesAreIndexed) {
    RunResult run = lint("db/001 drop.sql",
                         "SET lock_timeout = '5s';\n-- @override-destructive gone\n"
                         "-- @rollback-plan: restore from snapshot\nDROP TABLE IF EXISTS t;\n"
                         "DELETE FROM u;\n");
    json doc = json::parse(render(write_sarif, run));
    EXPECT_EQ(doc["version"], "2.1.0");
    const json& sarif_run = doc["runs"][0];
    EXPECT_EQ(sarif_run["tool"]["driver"]["version"], "9.9.9");
    EXPECT_EQ(sarif_run["originalUriBaseIds"]["%SRCROOT%"]["uri"], "file:///work/src/");
    const json& rules = sarif_run["tool"]["driver"]["rules"];
    bool saw_note = false, saw_error = false;
    for (const json& r : sarif_run["results"]) {
        EXPECT_EQ(rules[r["ruleIndex"].get<std::size_t>()]["id"], r["ruleId"]);
        const json& art = r["locations"][0]["physicalLocation"]["artifactLocation"];
        EXPECT_EQ(art["uri"], "db/001%20drop.sql");
        EXPECT_EQ(art["uriBaseId"], "%SRCROOT%");
        if (r["ruleId"] == "drop-table") {
            saw_note = true;
            EXPECT_EQ(r["level"], "note");
            EXPECT_EQ(r["properties"]["acknowledged"], true);
            EXPECT_EQ(r["properties"]["rollbackPlan"], "restore from snapshot");
            const json& region = r["locations"][0]["physicalLocation"]["region"];
            EXPECT_EQ(region["startLine"], 4);
            EXPECT_EQ(region["endColumn"], 23);  // exclusive: the column after the span
        }
        if (r["ruleId"] == "delete-without-where") {
            saw_error = true;
            EXPECT_EQ(r["level"], "error");
            EXPECT_EQ(r["properties"]["acknowledged"], false);
        }
    }
    EXPECT_TRUE(saw_note && saw_error);
    for (const json& rule : rules) {
        EXPECT_FALSE(rule["helpUri"].get<std::string>().empty());
        EXPECT_FALSE(rule["help"]["markdown"].get<std::string>().empty());
    }
}

TEST(SarifReport, AbsolutePathsBecomeFileUris) {
    bool relative = true;
    EXPECT_EQ(path_to_uri("/srv/db/a b#1.sql", relative), "file:///srv/db/a%20b%231.sql");
    EXPECT_FALSE(relative);
    EXPECT_EQ(path_to_uri("./db/c:d\xC3\xA9.sql", relative), "db/c%3Ad%C3%A9.sql");
    EXPECT_TRUE(relative);
    Finding f = make_finding("a", Severity::error, "/srv/db/x.sql", 1, "m");
    json doc = json::parse(render(write_sarif, one_file({f}, "/srv/db/x.sql")));
    const json& art =
        doc["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"];
    EXPECT_EQ(art["uri"], "file:///srv/db/x.sql");
    EXPECT_FALSE(art.contains("uriBaseId"));
}

// --- Fingerprints (SARIF and GitLab) ----------------------------------------

std::multiset<std::string> sarif_fingerprints(const RunResult& run) {
    std::multiset<std::string> out;
    json doc = json::parse(render(write_sarif, run));
    for (const json& r : doc["runs"][0]["results"])
        out.insert(r["ruleId"].get<std::string>() + "=" +
                   r["partialFingerprints"]["pgwarden/v2"].get<std::string>());
    return out;
}

std::multiset<std::string> gitlab_fingerprints(const RunResult& run) {
    std::multiset<std::string> out;
    for (const json& issue : json::parse(render(write_gitlab, run)))
        out.insert(issue["check_name"].get<std::string>() + "=" +
                   issue["fingerprint"].get<std::string>());
    return out;
}

const std::string kTwoDrops = "SELECT 1;\nDROP TABLE a;\nDROP TABLE a;\nCREATE INDEX i ON t (c);\n";

TEST(ReportFingerprints, StableWhenLinesShiftAndUniquePerFinding) {
    RunResult before = lint("m.sql", kTwoDrops);
    // A blank line above every finding; a comment and a blank line between them.
    const std::vector<std::string> shifts = {
        "\n" + kTwoDrops,
        "SELECT 1;\nDROP TABLE a;\n\n-- again\nDROP TABLE a;\nCREATE INDEX i ON t (c);\n"};
    for (const std::string& shifted : shifts) {
        RunResult after = lint("m.sql", shifted);
        ASSERT_EQ(before.files[0].findings.size(), after.files[0].findings.size());
        ASSERT_NE(before.files[0].findings.back().start.line,
                  after.files[0].findings.back().start.line);
        EXPECT_EQ(sarif_fingerprints(before), sarif_fingerprints(after)) << shifted;
        EXPECT_EQ(gitlab_fingerprints(before), gitlab_fingerprints(after)) << shifted;
    }
    // The same fingerprint scheme in both formats.
    EXPECT_EQ(sarif_fingerprints(before), gitlab_fingerprints(before));

    // Identical lines with the same rule still get distinct fingerprints.
    std::set<std::string> unique;
    for (const std::string& fp : gitlab_fingerprints(before)) unique.insert(fp);
    EXPECT_EQ(unique.size(), before.files[0].findings.size());
}

TEST(ReportFingerprints, ChangeWithTheLineTextOrPath) {
    auto drop_table = [](const RunResult& run) {
        for (const std::string& fp : sarif_fingerprints(run))
            if (fp.rfind("drop-table=", 0) == 0) return fp;
        return std::string();
    };
    std::string base = drop_table(lint("m.sql", "DROP TABLE a;\n"));
    ASSERT_FALSE(base.empty());
    EXPECT_EQ(base, drop_table(lint("./m.sql", "  DROP   TABLE a;  \n")));  // whitespace only
    EXPECT_NE(base, drop_table(lint("m.sql", "DROP TABLE b;\n")));
    EXPECT_NE(base, drop_table(lint("n.sql", "DROP TABLE a;\n")));
    // The statement changed on a later line: its first line reads the same.
    std::string two = drop_table(lint("m.sql", "DROP TABLE a,\n  b;\n"));
    EXPECT_NE(two, drop_table(lint("m.sql", "DROP TABLE a,\n  c;\n")));
    EXPECT_EQ(two, drop_table(lint("m.sql", "\n\nDROP TABLE a,\n    b;\n")));
}

// --- GitLab ---------------------------------------------------------------

TEST(GitlabReport, SeveritiesAndLocations) {
    RunResult run = lint("./db/001_x.sql",
                         "SELECT 1;\nDROP TABLE a;\nCREATE INDEX i ON t (c);\n"
                         "-- @override-destructive\n-- @rollback-plan: restore\nDROP TABLE b;\n");
    json doc = json::parse(render(write_gitlab, run));
    std::map<std::string, std::string> severity;  // "rule:line" -> severity
    for (const json& issue : doc) {
        EXPECT_EQ(issue["location"]["path"], "db/001_x.sql");
        EXPECT_EQ(issue["fingerprint"].get<std::string>().size(), 32u);
        severity[issue["check_name"].get<std::string>() + ":" +
                 std::to_string(issue["location"]["lines"]["begin"].get<int>())] =
            issue["severity"];
    }
    EXPECT_EQ(severity["drop-table:2"], "critical");             // dangerous error
    EXPECT_EQ(severity["require-concurrent-index:3"], "major");  // other error
    EXPECT_EQ(severity["idempotent-ddl:3"], "minor");            // warning
    EXPECT_EQ(severity["drop-table:6"], "info");                 // acknowledged
    // Sorted by line, then rule.
    for (std::size_t i = 1; i < doc.size(); ++i)
        EXPECT_LE(doc[i - 1]["location"]["lines"]["begin"].get<int>(),
                  doc[i]["location"]["lines"]["begin"].get<int>());
}

}  // namespace

namespace pgw {
namespace {

// The JSON report's hand-written strings must be what nlohmann would print.
TEST(ReportJson, StringsAreWrittenAsNlohmannDumpsThem) {
    const std::string cases[] = {"",
                                 "plain text",
                                 "quote \" and backslash \\",
                                 "tab\tnew\nline\r",
                                 std::string("nul\0x", 5),
                                 "\x01\x1f\x7f",
                                 "h\xc3\xa9llo \xe2\x82\xac \xf0\x9f\x98\x80",
                                 "bad \xff byte",
                                 "cut \xe2\x82",
                                 "overlong \xc0\xaf",
                                 "overlong3 \xe0\x80\xaf",
                                 "surrogate \xed\xa0\x80",
                                 "too big \xf4\x90\x80\x80",
                                 "\xf5\x80\x80\x80",
                                 "lone \x80 continuation"};
    std::vector<std::string> all(std::begin(cases), std::end(cases));
    // Each special byte at every offset of a longer text: plain text is
    // tested eight bytes at a time.
    for (const char* special : {"\"", "\\", "\x1f", "\x7f", "\x80", "\xc3\xa9", "\xe2\x82"})
        for (std::size_t at = 0; at <= 17; ++at) {
            std::string s(17, 'a');
            all.push_back(s.insert(at, special));
        }
    for (const std::string& s : all) {
        std::string ours;
        append_json_string(ours, s);
        EXPECT_EQ(ours, nlohmann::ordered_json(s).dump(
                            -1, ' ', false, nlohmann::ordered_json::error_handler_t::replace))
            << s;
    }
}

}  // namespace
}  // namespace pgw
