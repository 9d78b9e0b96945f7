#include "cli/suggest.h"

#include <algorithm>

namespace pgw {

std::string unknown_command_hint(const CLI::App& app, int argc, char** argv,
                                 const std::string& what) {
    if (argc < 2 || argv[1][0] == '-') return what;
    std::string word = argv[1];
    std::vector<std::string> names;
    for (const CLI::App* sub : app.get_subcommands([](const CLI::App*) { return true; })) {
        if (sub->get_name() == word) return what;  // a known command: CLI11 said what is wrong
        if (!sub->get_group().empty()) names.push_back(sub->get_name());
    }
    std::string hint = did_you_mean(word, names);
    return "unknown command '" + word + "'" + (hint.empty() ? " (see `pgwarden --help`)" : hint);
}

}  // namespace pgw
