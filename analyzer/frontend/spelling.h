// "did you mean drop-table?" (SPEC §1): the closest of a list of known words
// to a misspelt one, by edit distance. Shared by the command line and the
// configuration reader.
#pragma once

#include <string>
#include <vector>

namespace pgw {

// Levenshtein distance (insert, delete, substitute; a swap of two neighbours
// counts once, as in Damerau's optimal string alignment).
std::size_t edit_distance(const std::string& a, const std::string& b);

// " (did you mean X?)" for the closest candidate within a third of the word's
// length (at least 1, at most 3 edits), else "".
std::string did_you_mean(const std::string& word, const std::vector<std::string>& candidates);

}  // namespace pgw
