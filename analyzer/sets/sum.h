// pgwarden.sum (SPEC §8): a checksum per migration, so that edits of applied
// migrations are caught. Format, like Atlas's atlas.sum:
//   h1 <sha256 of every following line>
//   <path relative to the sum file's folder> <sha256 of the file>   (sorted by path)
// Paths containing a newline, a carriage return or `%` are percent-escaped.
#pragma once

#include <map>
#include <optional>
#include <stdexcept>
#include <string>

namespace pgw {

struct SumError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

using SumEntries = std::map<std::string, std::string>;  // path -> sha256 hex

std::string format_sum(const SumEntries& entries);
// Parses; throws SumError naming the file and line when it is malformed or
// its first line does not match the rest (edited by hand).
SumEntries parse_sum(const std::string& text, const std::string& path);
// Reads `path` if it exists.
std::optional<SumEntries> read_sum(const std::string& path);
// Writes through a temporary file and a rename, so a crash never leaves half a file.
void write_sum(const std::string& path, const SumEntries& entries);

}  // namespace pgw
