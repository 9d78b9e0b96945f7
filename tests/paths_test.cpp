// absolute_normal_path: the same text as std::filesystem's, fast path or not.
#include "frontend/paths.h"

#include <gtest/gtest.h>

#include <filesystem>

namespace fs = std::filesystem;

namespace {

std::string reference(const std::string& p) {
    std::error_code ec;
    return fs::absolute(fs::path(p), ec).lexically_normal().string();
}

TEST(AbsoluteNormalPath, SameAsFilesystemWhateverThePath) {
    const char* cases[] = {"db/migrations/001_init.sql",
                           "001.sql",
                           "/abs/db/001.sql",
                           "/",
                           ".",
                           "..",
                           "./db/001.sql",
                           "../db/001.sql",
                           "db/./001.sql",
                           "db/../001.sql",
                           "db//001.sql",
                           "//db/001.sql",
                           "db/migrations/",
                           "db/migrations/.",
                           "db/migrations/..",
                           ".hidden/001.sql",
                           "db/.../001.sql",
                           "db/..x/001.sql",
                           "/abs/./x/../y.sql",
                           "a b/ü.sql"};
    for (const char* c : cases) EXPECT_EQ(pgw::absolute_normal_path(c), reference(c)) << c;
}

TEST(ParentFolderPath, SameAsFilesystemWhateverThePath) {
    const char* cases[] = {"db/migrations/001_init.sql",
                           "001.sql",
                           "/001.sql",
                           "/",
                           "",
                           ".",
                           "./001.sql",
                           "../001.sql",
                           "db/./001.sql",
                           "db//001.sql",
                           "//001.sql",
                           "db/migrations/",
                           "db/migrations//",
                           "/abs/db/001.sql",
                           "a b/ü.sql"};
    for (const char* c : cases)
        EXPECT_EQ(pgw::parent_folder_path(c), fs::path(c).parent_path().string()) << c;
}

TEST(AbsoluteNormalPath, FollowsTheWorkingDirectory) {
    fs::path before = fs::current_path();
    fs::current_path("/");
    EXPECT_EQ(pgw::absolute_normal_path("db/001.sql"), "/db/001.sql");
    fs::current_path(fs::temp_directory_path());
    EXPECT_EQ(pgw::absolute_normal_path("db/001.sql"), reference("db/001.sql"));
    fs::current_path(before);
}

}  // namespace
