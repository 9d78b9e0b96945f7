// Globs for `migrations`, `include` and `exclude` (SPEC §6): `*` and `?` within
// a path component, `**/` for any number of whole folders, a trailing `**`
// for anything. Matched by simulating all positions at once, so a pattern
// with many stars costs (pattern x path), never an exponential backtrack.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace pgw {

// `glob` against a slash-separated path. A glob without a slash matches the
// last component anywhere (`seed_*.sql` excludes db/seed_users.sql).
bool glob_match(std::string_view glob, std::string_view path, bool ignore_case = false);

// True when `text` holds a glob character (`*`, `?`).
bool has_glob(std::string_view text);

// The paths under `base` (a folder, "" for the current one) that `pattern`
// (relative to it) matches: folders and files, hidden folders skipped, sorted.
std::vector<std::string> expand_glob(const std::string& base, const std::string& pattern);

}  // namespace pgw
