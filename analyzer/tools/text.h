// Small text helpers the tools share: lines with their offsets, ASCII case.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "frontend/layout.h"

namespace pgw::tools {

struct Line {
    std::size_t begin = 0;  // file offset of the line's first byte
    std::size_t next = 0;   // file offset of the next line
    std::string_view text;  // without the line break (and a CR before it)
};
std::vector<Line> lines_of(std::string_view bytes);
// The first line of `bytes` (without its line break), from offset `at`; `at`
// moves to the next line. False at the end.
bool next_line(std::string_view bytes, std::size_t& at, Line& line);

std::string lower(std::string_view s);
bool starts_with_ci(std::string_view s, std::string_view prefix);
// `lower_needle` (lower-case) occurs in `s`, ASCII case ignored.
bool contains_ci(std::string_view s, std::string_view lower_needle);
std::string_view trim(std::string_view s);
// The last path component, and the path without it ("" for a bare name).
std::string_view file_name(std::string_view path);
std::string_view folder_of(std::string_view path);
bool all_digits(std::string_view s);

// One unit over the whole file.
FileLayout whole_file(std::size_t size, TxMode tx, std::string note = {});

}  // namespace pgw::tools
