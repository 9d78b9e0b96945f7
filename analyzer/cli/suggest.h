// "did you mean drop-table?" (SPEC §1): the closest of a list of known words
// to a misspelt one, by edit distance.
#pragma once

#include <CLI/CLI.hpp>
#include <string>
#include <vector>

#include "frontend/spelling.h"

namespace pgw {

// The message for a command line CLI11 refused: "unknown command 'chekc'
// (did you mean check?)" when the first word is no command, else `what`.
std::string unknown_command_hint(const CLI::App& app, int argc, char** argv,
                                 const std::string& what);

}  // namespace pgw
