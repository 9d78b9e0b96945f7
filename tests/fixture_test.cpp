// Runs every fixture under fixtures/: each `-- expect: rule[:severity], ...`
// comment says which findings start on that line. In fixtures/rules/<id>/ only
// that rule and the rules the file expects are compared; elsewhere, all.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "cli/runner.h"
#include "engine/config.h"
#include "engine/rule.h"

namespace fs = std::filesystem;
using namespace pgw;

namespace {

const fs::path kFixtures = fs::path(PGW_SOURCE_DIR) / "fixtures";

std::string slurp(const fs::path& p) {
    std::ifstream f(p, std::ios::binary);
    std::stringstream ss;
    ss << f.rdbuf();
    return ss.str();
}

// A folder holding fixture.json is a set fixture: its files are linted together.
bool in_set_fixture(const fs::path& file) {
    for (fs::path d = file.parent_path(); d != kFixtures && d.has_relative_path();
         d = d.parent_path())
        if (fs::exists(d / "fixture.json")) return true;
    return false;
}

// fixtures/verify/ holds the dynamic rules' fixtures: they need a real server
// and are run by verify_test.py.
bool dynamic_fixture(const fs::path& file) {
    fs::path rel = fs::relative(file, kFixtures);
    return !rel.empty() && *rel.begin() == "verify";
}

std::vector<fs::path> fixture_files() {
    std::vector<fs::path> out;
    for (auto& e : fs::recursive_directory_iterator(kFixtures))
        if (e.is_regular_file() && e.path().extension() == ".sql" && !in_set_fixture(e.path()) &&
            !dynamic_fixture(e.path()))
            out.push_back(e.path());
    std::sort(out.begin(), out.end());
    return out;
}

std::vector<fs::path> set_fixtures() {
    std::vector<fs::path> out;
    for (auto& e : fs::recursive_directory_iterator(kFixtures))
        if (e.is_regular_file() && e.path().filename() == "fixture.json" &&
            !dynamic_fixture(e.path()))
            out.push_back(e.path().parent_path());
    std::sort(out.begin(), out.end());
    return out;
}

struct Expectation {
    int line;
    std::string rule;
    std::string severity;  // empty: any
    bool operator<(const Expectation& o) const {
        return std::tie(line, rule, severity) < std::tie(o.line, o.rule, o.severity);
    }
};

std::multiset<Expectation> expectations(const std::string& text) {
    std::multiset<Expectation> out;
    std::istringstream in(text);
    std::string line;
    for (int n = 1; std::getline(in, line); ++n) {
        auto at = line.find("expect:");
        if (at == std::string::npos || line.find("--") > at) continue;
        std::string list = line.substr(at + 7);
        std::string item;
        std::istringstream items(list);
        while (std::getline(items, item, ',')) {
            std::string word;
            std::istringstream(item) >> word;
            if (word.empty()) continue;
            auto colon = word.rfind(':');
            // `custom:id` is a rule id; a trailing `:severity` is not.
            std::string sev = colon != std::string::npos ? word.substr(colon + 1) : "";
            if (sev == "error" || sev == "warning" || sev == "info")
                word.resize(colon);
            else
                sev.clear();
            out.insert({n, word, sev});
        }
    }
    return out;
}

// `-- fixture-config: {json}` in the file sets the configuration.
Config fixture_config(const std::string& text, const std::string& rule_dir) {
    Config c;
    auto at = text.find("fixture-config:");
    if (at != std::string::npos) {
        std::string json = text.substr(at + 15, text.find('\n', at) - at - 15);
        c = parse_config(json, "fixture-config");
    }
    if (!rule_dir.empty() && !c.rule_severity.count(rule_dir)) {
        const Rule* r = find_rule(rule_dir);
        if (r && r->info().default_severity == Severity::off)
            c.rule_severity[rule_dir] = Severity::warning;
    }
    finalize_config(c);
    return c;
}

// Reports every difference between a file's inline expectations and its findings.
// In a rule's folder only that rule and the expected rules are compared.
void compare(const std::string& name, const std::multiset<Expectation>& expected,
             const FileReport& report, const std::string& rule_dir) {
    std::set<std::string> compared;
    if (!rule_dir.empty()) {
        compared.insert(rule_dir);
        for (const auto& e : expected) compared.insert(e.rule);
    }
    std::multiset<Expectation> actual;
    for (const Finding& f : report.findings) {
        if (!compared.empty() && !compared.count(f.rule)) continue;
        actual.insert({f.start.line, f.rule, std::string(to_string(f.severity))});
    }
    // Expectations without a severity match any severity.
    std::vector<std::string> problems;
    auto unmatched = actual;
    for (const auto& e : expected) {
        auto it = std::find_if(unmatched.begin(), unmatched.end(), [&](const Expectation& a) {
            return a.line == e.line && a.rule == e.rule &&
                   (e.severity.empty() || e.severity == a.severity);
        });
        if (it == unmatched.end())
            problems.push_back("line " + std::to_string(e.line) + ": expected " + e.rule +
                               (e.severity.empty() ? "" : ":" + e.severity) + ", not reported");
        else
            unmatched.erase(it);
    }
    for (const auto& a : unmatched) {
        std::string msg;
        for (const Finding& f : report.findings)
            if (f.start.line == a.line && f.rule == a.rule) msg = f.message;
        problems.push_back("line " + std::to_string(a.line) + ": unexpected " + a.rule + ":" +
                           a.severity + " (" + msg + ")");
    }
    for (const auto& p : problems) ADD_FAILURE() << name << " " << p;
}

class Fixture : public ::testing::TestWithParam<fs::path> {};

TEST_P(Fixture, FindingsMatchInlineExpectations) {
    const fs::path& path = GetParam();
    std::string text = slurp(path);
    fs::path rel = fs::relative(path, kFixtures);
    std::string rule_dir;
    if (rel.begin() != rel.end() && *rel.begin() == "rules") rule_dir = (++rel.begin())->string();

    auto expected = expectations(text);
    Config config = fixture_config(text, rule_dir);
    FileReport report = lint_text(rel.string(), text, config);

    compare(rel.string(), expected, report, rule_dir);

    // The statement kinds each rule declares (Rule::statements) only spare
    // calls: with every rule asked about every statement, every rule's
    // findings are the same.
    FileReport unfiltered = lint_text(rel.string(), text, config, false);
    auto described = [](const FileReport& r) {
        std::vector<std::string> out;
        for (const Finding& f : r.findings)
            out.push_back(f.rule + " " + std::to_string(f.start.line) + ":" +
                          std::to_string(f.start.column) + " " + f.message);
        return out;
    };
    EXPECT_EQ(described(report), described(unfiltered)) << rel.string();
}

std::string fixture_name(const ::testing::TestParamInfo<fs::path>& info) {
    std::string name = fs::relative(info.param, kFixtures).string();
    for (char& c : name)
        if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
    return name;
}

INSTANTIATE_TEST_SUITE_P(All, Fixture, ::testing::ValuesIn(fixture_files()), fixture_name);

// fixture.json: {"config": {...}, "diff_base": bool, "at_base": [names], "edited": [names],
// "new": [names], "sum": {name: sha256}, "skipped": [names the tool does not run],
// "tool": "name"}; names are relative to the folder. Every file reported is
// compared with its inline expectations; "tool" is the tool detection must find.
class SetFixture : public ::testing::TestWithParam<fs::path> {};

TEST_P(SetFixture, FindingsMatchInlineExpectations) {
    const fs::path& dir = GetParam();
    auto spec = nlohmann::json::parse(slurp(dir / "fixture.json"));
    fs::path rel = fs::relative(dir, kFixtures);
    std::string rule_dir;
    if (*rel.begin() == "rules") rule_dir = (++rel.begin())->string();
    Config config =
        spec.contains("config") ? parse_config(spec["config"].dump(), "fixture.json") : Config{};
    if (!rule_dir.empty() && find_rule(rule_dir) &&
        find_rule(rule_dir)->info().default_severity == Severity::off &&
        !config.rule_severity.count(rule_dir))
        config.rule_severity[rule_dir] = Severity::warning;
    finalize_config(config);
    auto listed = [&](const char* key, const std::string& name) {
        if (!spec.contains(key)) return false;
        for (const auto& v : spec[key])
            if (v.get<std::string>() == name) return true;
        return false;
    };
    std::vector<Input> inputs;
    for (auto& e : fs::recursive_directory_iterator(dir)) {
        std::string name = e.path().filename().string();
        if (!e.is_regular_file() || (!name.ends_with(".sql") && !name.ends_with(".sql.postgres")))
            continue;
        Input in;
        in.path = fs::relative(e.path(), dir).generic_string();
        in.disk_path = e.path().string();
        in.at_base = listed("at_base", in.path);
        in.is_new = listed("new", in.path) || (spec.value("diff_base", false) && !in.at_base);
        if (listed("edited", in.path)) in.edited = "edited since main";
        in.sum_key = in.path;
        inputs.push_back(std::move(in));
    }
    std::sort(inputs.begin(), inputs.end(),
              [](const Input& a, const Input& b) { return a.path < b.path; });
    RunOptions options;
    options.change_set = spec.value("diff_base", false);
    options.ordered = options.change_set;
    if (spec.contains("sum")) {
        std::map<std::string, std::string> sum;
        for (auto& [k, v] : spec["sum"].items()) sum[k] = v.get<std::string>();
        options.sum = std::make_shared<const std::map<std::string, std::string>>(sum);
        options.sum_path = "pgwarden.sum";
    }
    // Paths are shown relative to the fixture, as from a run in its folder: the
    // tools read their marker files (migration_lock.toml, sqitch.plan) there.
    fs::path previous = fs::current_path();
    fs::current_path(dir);
    RunResult run = run_check(inputs, config, options);
    fs::current_path(previous);
    for (const SkippedFile& s : run.skipped)
        EXPECT_TRUE(spec.contains("skipped") && listed("skipped", s.path))
            << rel.string() << ": " << s.path << " skipped (" << s.reason << ")";
    for (const FileReport& report : run.files) {
        compare((rel / report.path).string(), expectations(slurp(dir / report.path)), report,
                rule_dir);
        if (spec.contains("tool")) {
            EXPECT_EQ(report.tool, spec["tool"].get<std::string>()) << rel / report.path;
        }
    }
}

INSTANTIATE_TEST_SUITE_P(All, SetFixture, ::testing::ValuesIn(set_fixtures()), fixture_name);

// Every rule has a failing and a passing fixture, and docs to explain it.
TEST(FixtureCoverage, EveryRuleHasBadAndGoodFixtures) {
    for (const Rule* r : all_rules()) {
        const RuleInfo& i = r->info();
        // Dynamic rules need a real server: fixtures/verify/<id>/, run by verify_test.py.
        if (r->dynamic()) continue;
        fs::path dir = kFixtures / "rules" / i.id;
        // A file fixture (bad.sql, good.sql) or, for rules about sets of files, a set
        // fixture (bad/, good/ with fixture.json).
        bool sets = fs::exists(dir / "bad" / "fixture.json");
        fs::path bad = sets ? dir / "bad" : dir / "bad.sql";
        fs::path good = sets ? dir / "good" / "fixture.json" : dir / "good.sql";
        ASSERT_TRUE(fs::exists(bad)) << i.id << ": missing " << bad;
        ASSERT_TRUE(fs::exists(good)) << i.id << ": missing " << good;
        bool expects_rule = false;
        std::vector<fs::path> bad_files = {bad};
        if (sets) {
            bad_files.clear();
            for (auto& e : fs::recursive_directory_iterator(bad))
                if (e.path().extension() == ".sql") bad_files.push_back(e.path());
        }
        for (const auto& f : bad_files)
            for (const auto& e : expectations(slurp(f))) expects_rule |= e.rule == i.id;
        EXPECT_TRUE(expects_rule) << i.id << ": " << bad << " expects no " << i.id << " finding";
        EXPECT_FALSE(i.summary.empty()) << i.id;
        EXPECT_FALSE(i.help.empty()) << i.id;
        EXPECT_FALSE(i.bad_example.empty()) << i.id;
        EXPECT_FALSE(i.good_example.empty()) << i.id;
    }
}

}  // namespace
