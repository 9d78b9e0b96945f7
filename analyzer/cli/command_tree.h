// The command line as data: what `--help` shows, read back from the CLI11
// definitions in main.cpp, so the man page and the shell completions are
// generated from the same source and cannot drift from it.
#pragma once

#include <string>
#include <vector>

namespace CLI {
class App;
}

namespace pgw {

enum class ValueKind {
    none,    // a flag
    any,     // free text or a path: the shell's file completion
    choice,  // one of `choices` (an option described as "text|json|...")
    rule,    // a rule id (`explain RULE`, `--enable`, `--disable`)
};

struct OptionSpec {
    std::vector<std::string> names;  // "--format", "-h"; empty for a positional
    std::string positional;          // the positional's name ("paths"), else empty
    std::string description;
    ValueKind value = ValueKind::none;
    std::vector<std::string> choices;
    bool repeatable = false;
    bool required = false;
};

struct CommandSpec {
    std::string name;  // "pgwarden", "check", "install"
    std::string description;
    std::vector<OptionSpec> options;      // named options and flags, as declared
    std::vector<OptionSpec> positionals;  // in order
    std::vector<CommandSpec> subcommands;
};

// Hidden subcommands (an empty group, as CLI11 hides them) are left out.
CommandSpec describe_command_line(const CLI::App& app);

// Every rule id, sorted (the registry): completions offer them.
std::vector<std::string> rule_ids();

}  // namespace pgw
