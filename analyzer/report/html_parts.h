// Pieces of the HTML report: escaping, the page's style and script, the
// order objects are listed in and the copy-able definition blocks.
#pragma once

#include <map>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace pgw::html {

std::string esc(std::string_view text);
std::string seconds(double s);
// 0 (reads), 1 (blocks some writers), 2 (blocks writes), 3 (blocks reads too).
int lock_strength(const std::string& pg_locks_mode);
// A definition in a <pre> with a copy button; empty text gives nothing.
std::string definition(const std::string& text);
// Tables first, each followed by its columns, constraints, indexes, triggers
// and policies; then the other kinds.
// `parents`: the table of each child object (kind, name) -> table name.
std::vector<std::pair<std::string, std::string>> display_order(
    const std::set<std::pair<std::string, std::string>>& keys,
    const std::map<std::pair<std::string, std::string>, std::string>& parents);
// An id for the row of an object, for links.
std::string anchor(const std::string& kind, const std::string& name);

extern const char* const kStyle;
extern const char* const kScript;

}  // namespace pgw::html
