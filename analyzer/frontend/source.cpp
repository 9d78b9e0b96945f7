#include "frontend/source.h"

#include <simdjson.h>
#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>

namespace pgw {

namespace {

// Offset of the first invalid UTF-8 sequence, or npos. Only called on the rare
// file that simdjson's fast validator rejected, to say where the problem is.
std::size_t first_invalid_utf8(std::string_view s) {
    std::size_t i = 0;
    while (i < s.size()) {
        auto c = static_cast<unsigned char>(s[i]);
        std::size_t len = c < 0x80         ? 1
                          : (c >> 5) == 6  ? 2
                          : (c >> 4) == 14 ? 3
                          : (c >> 3) == 30 ? 4
                                           : 0;
        if (len == 0 || i + len > s.size()) return i;
        for (std::size_t k = 1; k < len; ++k)
            if ((static_cast<unsigned char>(s[i + k]) & 0xC0) != 0x80) return i;
        if (!simdjson::validate_utf8(s.data() + i, len)) return i;  // overlong, surrogate
        i += len;
    }
    return std::string_view::npos;
}

}  // namespace

SourceFile SourceFile::from_bytes(std::string path, std::string bytes) {
    SourceFile f;
    f.path = std::move(path);
    f.bytes = std::move(bytes);
    f.line_starts.push_back(0);
    const char* data = f.bytes.data();
    const char* end = data + f.bytes.size();
    for (const char* p = data; (p = static_cast<const char*>(std::memchr(p, '\n', end - p)));)
        f.line_starts.push_back(static_cast<std::size_t>(++p - data));

    if (auto nul = f.bytes.find('\0'); nul != std::string::npos) {
        f.problem = "file contains NUL bytes (binary file?)";
        f.problem_offset = nul;
    } else if (!simdjson::validate_utf8(f.bytes.data(), f.bytes.size())) {
        f.problem_offset = first_invalid_utf8(f.bytes);
        if (f.problem_offset == std::string_view::npos) f.problem_offset = 0;
        f.problem = "file is not valid UTF-8";
    }
    return f;
}

std::size_t SourceFile::content_start() const {
    return bytes.size() >= 3 && bytes.compare(0, 3, "\xEF\xBB\xBF") == 0 ? 3 : 0;
}

Position SourceFile::position_at(std::size_t offset) const {
    offset = std::min(offset, bytes.size());
    auto it = std::upper_bound(line_starts.begin(), line_starts.end(), offset);
    std::size_t line_index = static_cast<std::size_t>(it - line_starts.begin()) - 1;
    std::size_t start = line_starts[line_index];
    if (line_index == 0) start = std::min(content_start(), offset);
    int column = 1;
    for (std::size_t i = start; i < offset; ++i)
        if ((static_cast<unsigned char>(bytes[i]) & 0xC0) != 0x80) ++column;
    return Position{static_cast<int>(line_index) + 1, column};
}

std::string_view SourceFile::line_text(int line) const {
    if (line < 1 || static_cast<std::size_t>(line) > line_starts.size()) return {};
    std::size_t begin = line_starts[static_cast<std::size_t>(line) - 1];
    if (line == 1) begin = content_start();
    std::size_t end = static_cast<std::size_t>(line) < line_starts.size()
                          ? line_starts[static_cast<std::size_t>(line)] - 1
                          : bytes.size();
    if (end > begin && bytes[end - 1] == '\r') --end;
    return std::string_view(bytes).substr(begin, end - begin);
}

bool read_file_bytes(const std::string& path, std::string& out, std::string& error) {
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0) {
        error = std::strerror(errno);
        return false;
    }
    if (S_ISDIR(st.st_mode)) {
        error = "is a directory";
        return false;
    }
    std::FILE* f = std::fopen(path.c_str(), "rb");
    if (!f) {
        error = std::strerror(errno);
        return false;
    }
    out.clear();
    if (st.st_size > 0) out.reserve(static_cast<std::size_t>(st.st_size));
    char buf[65536];
    std::size_t n;
    while ((n = std::fread(buf, 1, sizeof buf, f)) > 0) out.append(buf, n);
    bool failed = std::ferror(f) != 0;
    std::fclose(f);
    if (failed) {
        error = "read error";
        return false;
    }
    return true;
}

}  // namespace pgw
