// `pgwarden completion bash|zsh|fish`: a completion script generated from the
// command line's own definitions (command_tree.h) and the rule registry, so a
// new subcommand, option or rule is completed without anyone editing a list.
#pragma once

#include <optional>
#include <string>

#include "cli/command_tree.h"

namespace pgw {

// nullopt for a shell it does not know.
std::optional<std::string> completion_script(const CommandSpec& cli, const std::string& shell);

std::string bash_completion(const CommandSpec& cli);
std::string zsh_completion(const CommandSpec& cli);
std::string fish_completion(const CommandSpec& cli);

// Every command path with its spec, depth first: "pgwarden", "pgwarden check",
// "pgwarden hook", "pgwarden hook install", ...
struct CommandPath {
    std::string path;
    const CommandSpec* spec;
};
std::vector<CommandPath> command_paths(const CommandSpec& cli);

}  // namespace pgw
