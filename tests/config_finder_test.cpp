// ConfigFinder: the nearest .pgwarden.json up to the repository root (SPEC §6),
// and the same answers when discovery's listings spare it the stat() calls.
#include <gtest/gtest.h>

#include <filesystem>

#include "cli/inputs.h"
#include "sets/discovery.h"
#include "test_support.h"

using namespace pgw;
namespace fs = std::filesystem;

namespace {

using Tree = test::TempDir;

DiscoveryRules with_markers() {
    DiscoveryRules rules;
    rules.markers = {".pgwarden.json", ".git"};
    return rules;
}

TEST(Discovery, ReportsTheFoldersListedWithoutAMarker) {
    Tree t;
    t.file("a/001.sql", "");
    t.file("b/.pgwarden.json");
    t.file("b/002.sql", "");
    t.file("c/.git/HEAD", "");
    t.file("c/003.sql", "");
    t.file("d/.pgwarden.json/x", "");  // a folder of that name is a marker too
    t.file(".hidden/004.sql", "");     // not walked
    Discovered found = discover({t.root.string()}, with_markers());
    std::vector<std::string> want = {t.root.string(), (t.root / "a").string()};
    EXPECT_EQ(found.unmarked, want);
    EXPECT_EQ(found.files.size(), 3u);
    EXPECT_TRUE(discover({t.root.string()}, DiscoveryRules{}).unmarked.empty());
}

TEST(ConfigFinder, SeededFromDiscoveryGivesTheSameAnswers) {
    Tree t;
    t.file(".pgwarden.json");
    t.file("db/m/001_a/migration.sql", "");
    t.file("db/m/002_b/migration.sql", "");
    t.file("svc/.pgwarden.json");
    t.file("svc/m/001/up.sql", "");
    t.file("svc/m/001/.pgwarden.json");  // a folder's own config wins
    t.file("svc/m/002/up.sql", "");
    t.file("vendor/.git/HEAD", "");  // a nested repository: its own root
    t.file("vendor/m/001.sql", "");
    t.file("x.sql/001.sql", "");  // a folder named like a file
    Discovered found = discover({t.root.string()}, with_markers());
    ConfigFinder seeded, plain;
    for (const std::string& dir : found.unmarked) seeded.known_unmarked(dir);
    ASSERT_FALSE(found.unmarked.empty());
    for (const std::string& f : found.files) {
        std::string dir = fs::path(f).parent_path().string();
        EXPECT_EQ(seeded.find(dir), plain.find(dir)) << dir;
    }
    EXPECT_EQ(plain.find((t.root / "svc/m/002").string()),
              (t.root / "svc/.pgwarden.json").string());
    EXPECT_EQ(plain.find((t.root / "svc/m/001").string()),
              (t.root / "svc/m/001/.pgwarden.json").string());
    EXPECT_EQ(plain.find((t.root / "vendor/m").string()), "");
}

TEST(ConfigFinder, ASeedIsTheFolderHoweverItIsWritten) {
    Tree t;
    t.file(".pgwarden.json");
    t.file("sub/.pgwarden.json");
    fs::path cwd = fs::current_path();
    fs::current_path(t.root);
    for (const char* written : {"sub", "sub/", "./sub", "sub/.", "x/../sub"}) {
        ConfigFinder told;
        told.known_unmarked(written);
        EXPECT_EQ(told.find((t.root / "sub").string()), (t.root / ".pgwarden.json").string())
            << written;
    }
    fs::current_path(cwd);
}

TEST(ConfigFinder, TrustsWhatItWasTold) {
    // A folder said to hold no config is not asked: the search goes on to
    // its parent (so the seeds must come from a listing of that folder).
    Tree t;
    t.file(".pgwarden.json");
    t.file("sub/.pgwarden.json");
    ConfigFinder told;
    told.known_unmarked((t.root / "sub").string());
    EXPECT_EQ(told.find((t.root / "sub").string()), (t.root / ".pgwarden.json").string());
    EXPECT_EQ(ConfigFinder().find((t.root / "sub").string()),
              (t.root / "sub/.pgwarden.json").string());
}

}  // namespace
