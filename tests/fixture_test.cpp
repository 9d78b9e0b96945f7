// Runs every fixture under fixtures/: each `-- expect: rule[:severity], ...`
// comment says which findings start on that line. In fixtures/rules/<id>/ only
// that rule and the rules the file expects are compared; elsewhere, all.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "config.h"
#include "rule.h"
#include "runner.h"

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

std::vector<fs::path> fixture_files() {
    std::vector<fs::path> out;
    for (auto& e : fs::recursive_directory_iterator(kFixtures))
        if (e.is_regular_file() && e.path().extension() == ".sql") out.push_back(e.path());
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
            if (sev == "error" || sev == "warning" || sev == "info") word.resize(colon);
            else sev.clear();
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
            return a.line == e.line && a.rule == e.rule && (e.severity.empty() || e.severity == a.severity);
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
    for (const auto& p : problems) ADD_FAILURE() << rel.string() << " " << p;
}

std::string fixture_name(const ::testing::TestParamInfo<fs::path>& info) {
    std::string name = fs::relative(info.param, kFixtures).string();
    for (char& c : name)
        if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
    return name;
}

INSTANTIATE_TEST_SUITE_P(All, Fixture, ::testing::ValuesIn(fixture_files()), fixture_name);

// Every rule has a failing and a passing fixture, and docs to explain it.
TEST(FixtureCoverage, EveryRuleHasBadAndGoodFixtures) {
    for (const Rule* r : all_rules()) {
        const RuleInfo& i = r->info();
        fs::path dir = kFixtures / "rules" / i.id;
        ASSERT_TRUE(fs::exists(dir / "bad.sql")) << i.id << ": missing " << (dir / "bad.sql");
        ASSERT_TRUE(fs::exists(dir / "good.sql")) << i.id << ": missing " << (dir / "good.sql");
        bool expects_rule = false;
        for (const auto& e : expectations(slurp(dir / "bad.sql"))) expects_rule |= e.rule == i.id;
        EXPECT_TRUE(expects_rule) << i.id << ": bad.sql expects no " << i.id << " finding";
        EXPECT_FALSE(i.summary.empty()) << i.id;
        EXPECT_FALSE(i.help.empty()) << i.id;
        EXPECT_FALSE(i.bad_example.empty()) << i.id;
        EXPECT_FALSE(i.good_example.empty()) << i.id;
    }
}

}  // namespace
