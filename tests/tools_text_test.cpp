// Path pieces the tools read a migration's name and folder from.
#include <gtest/gtest.h>

#include "tools/text.h"

namespace {

TEST(ToolsText, FileNameAndFolderSplitAtTheLastSlash) {
    struct {
        const char* path;
        const char* name;
        const char* folder;
    } cases[] = {
        {"", "", ""},
        {"001.sql", "001.sql", ""},
        {"/001.sql", "001.sql", ""},
        {"m/", "", "m"},
        {"m/001.sql", "001.sql", "m"},
        {"db/m/2026_x/up.sql", "up.sql", "db/m/2026_x"},
        {"a//b.sql", "b.sql", "a/"},
        {"/", "", ""},
    };
    for (const auto& c : cases) {
        EXPECT_EQ(pgw::tools::file_name(c.path), c.name) << c.path;
        EXPECT_EQ(pgw::tools::folder_of(c.path), c.folder) << c.path;
    }
    // A view that is part of a longer text: nothing past its end is read.
    std::string_view within = std::string_view("a/b/c").substr(0, 3);  // "a/b"
    EXPECT_EQ(pgw::tools::file_name(within), "b");
    EXPECT_EQ(pgw::tools::folder_of(within.substr(0, 2)), "a");
}

}  // namespace
