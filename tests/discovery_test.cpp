// Globs (`migrations`, `include`, `exclude`) and their expansion.
#include "sets/discovery.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "sets/glob.h"

using namespace pgw;
namespace fs = std::filesystem;

namespace {

TEST(Glob, StarsStayInsideAComponent) {
    EXPECT_TRUE(glob_match("*.sql", "001_a.sql"));
    EXPECT_TRUE(glob_match("db/*.sql", "db/001_a.sql"));
    EXPECT_FALSE(glob_match("db/*.sql", "db/sub/001_a.sql"));
    EXPECT_TRUE(glob_match("db/0??_*.sql", "db/001_a.sql"));
    EXPECT_FALSE(glob_match("db/0??_*.sql", "db/01_a.sql"));
    // Without a slash: the last component anywhere.
    EXPECT_TRUE(glob_match("seed_*.sql", "db/migrations/seed_users.sql"));
    EXPECT_FALSE(glob_match("seed_*.sql", "db/seed/users.sql"));
}

TEST(Glob, StarThenLiteralMatchesWhatTheGeneralMatcherDoes) {
    EXPECT_TRUE(glob_match("*.sql", "db/x/001_A.SQL", true));
    EXPECT_FALSE(glob_match("*.sql", "001_A.SQL"));
    EXPECT_TRUE(glob_match("*.sql", ".sql"));  // the star matches nothing
    EXPECT_FALSE(glob_match("*.sql", "sql"));
    EXPECT_FALSE(glob_match("*.sql", "a.sql.bak"));
    EXPECT_TRUE(glob_match("*.sql.postgres", "m/1_init.SQL.Postgres", true));
    // "**" then the literal goes through the general matcher, and on a name
    // (no '/' in the glob) it means what "*" does.
    for (const char* literal : {".sql", ".sql.postgres", "_down.sql", "x", "é.sql"})
        for (const char* name : {"a.sql", "A.SQL", ".sql", "sql", "1.sql.postgres", "d/e_down.sql",
                                 "x", "xx", "", "a.sql/", "é.sql", "É.SQL"})
            for (bool fold : {false, true})
                EXPECT_EQ(glob_match(std::string("*") + literal, name, fold),
                          glob_match(std::string("**") + literal, name, fold))
                    << literal << " " << name << " " << fold;
}

TEST(Glob, DoubleStarSlashSkipsWholeFolders) {
    EXPECT_TRUE(glob_match("**/seed_*.sql", "seed_a.sql"));
    EXPECT_TRUE(glob_match("**/seed_*.sql", "db/x/seed_a.sql"));
    EXPECT_FALSE(glob_match("**/seed_*.sql", "db/xseed_a.sql"));
    EXPECT_TRUE(glob_match("db/**", "db/a/b/c.sql"));
    EXPECT_TRUE(glob_match("services/**/migrations", "services/a/b/migrations"));
    EXPECT_TRUE(glob_match("services/**/migrations", "services/migrations"));
}

TEST(Glob, CaseFoldingForIncludes) {
    EXPECT_TRUE(glob_match("*.sql", "X.SQL", true));
    EXPECT_FALSE(glob_match("*.sql", "X.SQL"));
    EXPECT_TRUE(included("001_x.sql.postgres", {"*.sql", "*.sql.postgres"}));
    EXPECT_FALSE(included("001_x.sql.sqlite", {"*.sql", "*.sql.postgres"}));
}

// A backtracking matcher needs about 2^40 steps here; the position-set one
// needs pattern x path.
TEST(Glob, ManyStarsStayLinear) {
    std::string glob;
    for (int i = 0; i < 40; ++i) glob += "*a";
    glob += "b";
    std::string path(20000, 'a');
    EXPECT_FALSE(glob_match(glob, path));
    EXPECT_TRUE(glob_match(glob, path + "b"));
}

TEST(Glob, ExpandFindsFoldersAtTheirDepth) {
    fs::path root = fs::temp_directory_path() / ("pgw-glob-" + std::to_string(::getpid()));
    fs::create_directories(root / "services/a/db");
    fs::create_directories(root / "services/b/db");
    fs::create_directories(root / "services/c/deep/db");
    fs::create_directories(root / "services/.hidden/db");
    std::vector<std::string> got = expand_glob(root.string(), "services/*/db");
    std::vector<std::string> want = {(root / "services/a/db").string(),
                                     (root / "services/b/db").string()};
    EXPECT_EQ(got, want);
    got = expand_glob(root.string(), "services/**/db");
    EXPECT_EQ(got.size(), 3u);
    fs::remove_all(root);
}

}  // namespace
