// Reading a migration's bytes and mapping byte offsets to line/column.
#pragma once

#include <string>
#include <vector>

#include "frontend/types.h"

namespace pgw {

struct SourceFile {
    std::string path;     // as displayed (relative when given relative)
    std::string bytes;    // the file exactly as read, BOM included
    std::string problem;  // non-empty: the bytes are not text (NUL, invalid UTF-8)
    std::size_t problem_offset = 0;
    std::vector<std::size_t> line_starts;  // byte offset of every line start

    // Builds the line index and checks the encoding.
    static SourceFile from_bytes(std::string path, std::string bytes);

    // Offset of the first byte after a UTF-8 BOM (0 or 3).
    std::size_t content_start() const;

    // 1-based line and column (in characters; a tab is one character).
    // CRLF counts as one line break; a lone CR is not a line break.
    Position position_at(std::size_t offset) const;

    // The text of 1-based line `line` without its line break.
    std::string_view line_text(int line) const;
};

// The most pgwarden reads from one file or stream: a migration (or config)
// bigger than this is an error, not an unbounded allocation.
constexpr std::size_t kMaxInputBytes = std::size_t{256} << 20;

// Reads a regular file; returns false and sets `error` to a one-line reason on
// failure. A FIFO, device or socket is refused without blocking.
bool read_file_bytes(const std::string& path, std::string& out, std::string& error);

// Reads `fd` to its end (standard input, say), at most kMaxInputBytes; read
// errors are reported, never taken for the end. `expected`: a size hint.
bool read_capped(int fd, std::string& out, std::string& error, std::size_t expected = 0);

}  // namespace pgw
