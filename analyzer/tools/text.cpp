#include "tools/text.h"

#include <algorithm>
#include <cctype>
#include <cstring>

namespace pgw::tools {

bool next_line(std::string_view bytes, std::size_t& at, Line& line) {
    if (at >= bytes.size()) return false;
    std::size_t nl = bytes.find('\n', at);
    std::size_t end = nl == std::string_view::npos ? bytes.size() : nl;
    std::size_t next = nl == std::string_view::npos ? bytes.size() : nl + 1;
    std::size_t text_end = end > at && bytes[end - 1] == '\r' ? end - 1 : end;
    line = {at, next, bytes.substr(at, text_end - at)};
    at = next;
    return true;
}

std::vector<Line> lines_of(std::string_view bytes) {
    std::vector<Line> out;
    Line l;
    for (std::size_t at = 0; next_line(bytes, at, l);) out.push_back(l);
    return out;
}

std::string lower(std::string_view s) {
    std::string out(s);
    for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

bool starts_with_ci(std::string_view s, std::string_view prefix) {
    return s.size() >= prefix.size() && lower(s.substr(0, prefix.size())) == lower(prefix);
}

bool contains_ci(std::string_view s, std::string_view lower_needle) {
    if (lower_needle.empty()) return true;
    auto fold = [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; };
    auto matches_at = [&](std::size_t at) {
        if (s.size() - at < lower_needle.size()) return false;
        for (std::size_t i = 1; i < lower_needle.size(); ++i)
            if (fold(s[at + i]) != lower_needle[i]) return false;
        return true;
    };
    // Candidates by the first byte, in either case: memchr finds them, each
    // case's next one kept so that no byte is searched twice.
    const char lo = lower_needle[0], up = static_cast<char>(std::toupper(lo));
    const std::size_t none = std::string_view::npos;
    std::size_t a = s.find(lo), b = lo == up ? none : s.find(up);
    while (a != none || b != none) {
        std::size_t at = std::min(a, b);
        if (matches_at(at)) return true;
        if (at == a) a = s.find(lo, at + 1);
        if (at == b) b = s.find(up, at + 1);
    }
    return false;
}

std::string_view trim(std::string_view s) {
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
    return s;
}

namespace {

// The last '/' of a path: glibc's memrchr reads it a word at a time, where
// string_view::rfind compares byte after byte from the end (detection and
// set_root ask this of every path several times: 8 M instructions a corpus).
const char* last_slash(std::string_view path) {
    return path.empty() ? nullptr
                        : static_cast<const char*>(::memrchr(path.data(), '/', path.size()));
}

}  // namespace

std::string_view file_name(std::string_view path) {
    const char* slash = last_slash(path);
    return slash ? path.substr(static_cast<std::size_t>(slash - path.data()) + 1) : path;
}

std::string_view folder_of(std::string_view path) {
    const char* slash = last_slash(path);
    return slash ? path.substr(0, static_cast<std::size_t>(slash - path.data()))
                 : std::string_view{};
}

bool all_digits(std::string_view s) {
    if (s.empty()) return false;
    for (char c : s)
        if (!std::isdigit(static_cast<unsigned char>(c))) return false;
    return true;
}

FileLayout whole_file(std::size_t size, TxMode tx, std::string note) {
    FileLayout layout;
    Unit u;
    u.span = {0, size};
    u.tx = tx;
    layout.units.push_back(u);
    layout.note = std::move(note);
    return layout;
}

}  // namespace pgw::tools
