// "did you mean drop-table?" (SPEC §1): the closest of a list of known words
// to a misspelt one, by edit distance.
#pragma once

#include <CLI/CLI.hpp>
#include <string>
#include <vector>

namespace pgw {

// Levenshtein distance (insert, delete, substitute; a swap of two neighbours
// counts once, as in Damerau's optimal string alignment).
std::size_t edit_distance(const std::string& a, const std::string& b);

// " (did you mean X?)" for the closest candidate within a third of the word's
// length (at least 1, at most 3 edits), else "".
std::string did_you_mean(const std::string& word, const std::vector<std::string>& candidates);

// The message for a command line CLI11 refused: "unknown command 'chekc'
// (did you mean check?)" when the first word is no command, else `what`.
std::string unknown_command_hint(const CLI::App& app, int argc, char** argv,
                                 const std::string& what);

}  // namespace pgw
