// Which tool a set's file contents point to (tools/*.cpp detect), and the text
// helpers detection reads them with. Detection skips files that cannot hold a
// marker without reading them line by line: these cases pin that the skip
// never hides one.
#include <gtest/gtest.h>

#include "tools/text.h"
#include "tools/tool.h"

namespace pgw::tools {
namespace {

std::string detected(const std::vector<std::string>& contents) {
    SetView set;
    for (std::size_t i = 0; i < contents.size(); ++i)
        set.paths.push_back(std::to_string(i + 1) + "_step.sql");
    Project project{[](const std::string&) -> std::optional<std::string> { return std::nullopt; }};
    set.project = &project;
    set.bytes = [&](std::size_t i) -> const std::string& { return contents[i]; };
    return std::string(detect_tool(set).name());
}

TEST(TextHelpers, ContainsIgnoringAsciiCase) {
    EXPECT_TRUE(contains_ci("-- +goose Up", "+goose"));
    EXPECT_TRUE(contains_ci("-- +GOOSE Up", "+goose"));
    EXPECT_TRUE(contains_ci("x +GoOsE", "+goose"));
    EXPECT_FALSE(contains_ci("-- + goose Up", "+goose"));
    EXPECT_FALSE(contains_ci("+goos", "+goose"));  // cut at the end
    EXPECT_TRUE(contains_ci("anything", ""));
    // A letter first: both cases are candidates, and a near miss before the
    // match does not hide it.
    EXPECT_TRUE(contains_ci("migrat Migrate:UP", "migrate:up"));
    EXPECT_TRUE(contains_ci("mmmmMIGRATE:up", "migrate:up"));
    EXPECT_FALSE(contains_ci("mmmm", "migrate"));
}

TEST(TextHelpers, NextLineWalksWhatLinesOfLists) {
    const std::string text = "a\r\n\nbc\nlast";
    std::vector<Line> all = lines_of(text);
    ASSERT_EQ(all.size(), 4u);
    Line l;
    std::size_t at = 0, n = 0;
    for (; next_line(text, at, l); ++n) {
        ASSERT_LT(n, all.size());
        EXPECT_EQ(l.begin, all[n].begin);
        EXPECT_EQ(l.next, all[n].next);
        EXPECT_EQ(l.text, all[n].text);
    }
    EXPECT_EQ(n, all.size());
    EXPECT_EQ(all[0].text, "a");  // the CR goes with the line break
    EXPECT_EQ(all[3].text, "last");
}

TEST(ToolDetection, GooseAnnotationInAnyCaseInAnyFile) {
    EXPECT_EQ(detected({"CREATE TABLE a (id int);", "-- +GOOSE UP\nCREATE TABLE b (id int);"}),
              "goose");
    EXPECT_EQ(detected({"-- +goose Up\nSELECT 1;\n-- +goose Down\nSELECT 2;"}), "goose");
    // `+goose` outside a comment line at column 0 is no annotation.
    EXPECT_NE(detected({"SELECT '+goose up';"}), "goose");
    EXPECT_NE(detected({"  -- +goose Up\nSELECT 1;"}), "goose");
}

TEST(ToolDetection, DbmateMarkersAreCaseSensitive) {
    EXPECT_EQ(detected({"SELECT 1;", "-- migrate:up\nSELECT 1;\n-- migrate:down\nSELECT 2;"}),
              "dbmate");
    EXPECT_EQ(detected({"--migrate:up transaction:false\nSELECT 1;"}), "dbmate");
    EXPECT_NE(detected({"-- Migrate:Up\nSELECT 1;"}), "dbmate");
    EXPECT_NE(detected({"-- migrate:upgrade\nSELECT 1;"}), "dbmate");
}

TEST(ToolDetection, LiquibaseHeaderIsTheFirstLineThatIsNotBlank) {
    EXPECT_EQ(detected({"\n  \n--liquibase formatted sql\n--changeset a:1\nSELECT 1;"}),
              "liquibase");
    EXPECT_NE(detected({"SELECT 1;\n--liquibase formatted sql\n"}), "liquibase");
}

}  // namespace
}  // namespace pgw::tools
