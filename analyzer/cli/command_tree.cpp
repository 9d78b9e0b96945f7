#include "cli/command_tree.h"

#include <CLI/CLI.hpp>

#include "engine/rule.h"

namespace pgw {

namespace {

// "text|json|markdown" (an option's description starting with the values it
// takes, as main.cpp writes them) gives the choices; anything else none.
std::vector<std::string> leading_choices(const std::string& description) {
    std::string first = description.substr(0, description.find(' '));
    if (first.find('|') == std::string::npos) return {};
    std::vector<std::string> out;
    std::string word;
    for (char c : first + "|") {
        if (c == '|') {
            if (word.empty()) return {};
            out.push_back(word);
            word.clear();
        } else if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_') {
            word += c;
        } else {
            return {};  // "RULE=error|warning|info" is not a list of values
        }
    }
    return out;
}

OptionSpec describe_option(const CLI::Option& opt) {
    OptionSpec spec;
    for (const auto& l : opt.get_lnames()) spec.names.push_back("--" + l);
    for (const auto& s : opt.get_snames()) spec.names.push_back("-" + s);
    if (spec.names.empty()) spec.positional = opt.get_name(true);
    spec.description = opt.get_description();
    spec.required = opt.get_required();
    spec.repeatable = opt.get_items_expected_max() > 1 ||
                      opt.get_multi_option_policy() == CLI::MultiOptionPolicy::TakeAll;
    if (opt.get_expected_max() == 0) return spec;  // a flag
    spec.choices = leading_choices(spec.description);
    if (!spec.choices.empty())
        spec.value = ValueKind::choice;
    else if (spec.positional == "rule" || spec.description.rfind("turn a rule", 0) == 0)
        spec.value = ValueKind::rule;
    else
        spec.value = ValueKind::any;
    return spec;
}

CommandSpec describe(const CLI::App& app) {
    CommandSpec spec;
    spec.name = app.get_name();
    spec.description = app.get_description();
    for (const CLI::Option* opt : app.get_options()) {
        if (opt->get_group().empty()) continue;  // hidden
        OptionSpec o = describe_option(*opt);
        (o.positional.empty() ? spec.options : spec.positionals).push_back(std::move(o));
    }
    for (const CLI::App* sub : app.get_subcommands(
             [](const CLI::App* a) { return !a->get_group().empty() && !a->get_name().empty(); }))
        spec.subcommands.push_back(describe(*sub));
    return spec;
}

}  // namespace

CommandSpec describe_command_line(const CLI::App& app) {
    CommandSpec spec = describe(app);
    spec.name = "pgwarden";  // CLI11 names the top level after argv[0], a path
    return spec;
}

std::vector<std::string> rule_ids() {
    std::vector<std::string> ids;
    for (const Rule* r : all_rules()) ids.push_back(r->info().id);
    return ids;
}

}  // namespace pgw
