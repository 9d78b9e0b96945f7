#include "sets/sum.h"

#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <sstream>

#include "frontend/atomic_file.h"
#include "frontend/sha256.h"
#include "frontend/source.h"

namespace pgw {

namespace {

std::string escape(const std::string& path) {
    std::string out;
    for (char c : path) {
        if (c == '%')
            out += "%25";
        else if (c == '\n')
            out += "%0A";
        else if (c == '\r')
            out += "%0D";
        else
            out += c;
    }
    return out;
}

std::string unescape(const std::string& path) {
    std::string out;
    for (std::size_t i = 0; i < path.size(); ++i) {
        if (path[i] == '%' && i + 2 < path.size()) {
            std::string code = path.substr(i + 1, 2);
            if (code == "25")
                out += '%', i += 2;
            else if (code == "0A")
                out += '\n', i += 2;
            else if (code == "0D")
                out += '\r', i += 2;
            else
                out += path[i];
        } else {
            out += path[i];
        }
    }
    return out;
}

bool is_hex64(const std::string& s) {
    return s.size() == 64 && s.find_first_not_of("0123456789abcdef") == std::string::npos;
}

}  // namespace

std::string format_sum(const SumEntries& entries) {
    std::string body;
    for (const auto& [path, hash] : entries) body += escape(path) + " " + hash + "\n";
    return "h1 " + sha256_hex(body) + "\n" + body;
}

SumEntries parse_sum(const std::string& text, const std::string& path) {
    auto first_nl = text.find('\n');
    std::string first = text.substr(0, first_nl);
    std::string body = first_nl == std::string::npos ? "" : text.substr(first_nl + 1);
    if (!first.starts_with("h1 ") || !is_hex64(first.substr(3)))
        throw SumError(path + ":1: expected 'h1 <sha256>' (run `pgwarden sum` to rewrite it)");
    if (first.substr(3) != sha256_hex(body))
        throw SumError(path +
                       ": the file was edited by hand: its first line does not match the "
                       "entries (run `pgwarden sum` to rewrite it)");
    SumEntries entries;
    std::istringstream in(body);
    std::string line;
    for (int n = 2; std::getline(in, line); ++n) {
        auto space = line.rfind(' ');
        if (space == std::string::npos || !is_hex64(line.substr(space + 1)))
            throw SumError(path + ":" + std::to_string(n) + ": expected '<path> <sha256>'");
        entries[unescape(line.substr(0, space))] = line.substr(space + 1);
    }
    return entries;
}

std::optional<SumEntries> read_sum(const std::string& path) {
    if (::access(path.c_str(), F_OK) != 0) return std::nullopt;
    std::string text, error;
    if (!read_file_bytes(path, text, error)) throw SumError(path + ": cannot read: " + error);
    return parse_sum(text, path);
}

void write_sum(const std::string& path, const SumEntries& entries) {
    std::string error;
    if (!write_file_atomic(path, format_sum(entries), error)) throw SumError(error);
}

}  // namespace pgw
