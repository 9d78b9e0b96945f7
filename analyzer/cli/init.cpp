#include "cli/init.h"

#include <algorithm>
#include <map>
#include <set>

#include "frontend/source.h"
#include "git/git.h"
#include "sets/discovery.h"
#include "sets/migration_set.h"

namespace pgw {

namespace {

std::optional<std::string> read_small(const std::string& path) {
    std::string bytes, error;
    if (!read_file_bytes(path, bytes, error)) return std::nullopt;
    return bytes;
}

}  // namespace

StarterLayout find_layout(const Config& defaults) {
    StarterLayout layout;
    DiscoveryRules rules;
    rules.include = defaults.include;
    rules.exclude = defaults.exclude;
    Discovered found = discover({"."}, rules);
    std::vector<std::string> files = found.files;
    std::vector<std::string> ignored = git_ignored(files);
    std::set<std::string> skip(ignored.begin(), ignored.end());
    std::vector<SetMember> members;
    for (std::string& f : files) {
        if (f.starts_with("./")) f.erase(0, 2);
        if (!skip.count(f) && !skip.count("./" + f)) members.push_back({f, false, true, true});
    }
    tools::Project project{read_small};
    static const Naming presets({});
    std::vector<FileFacts> facts(members.size());
    PlanOptions options;
    options.naming = &presets;
    options.project = &project;
    options.bytes = [&](std::size_t i) { return read_small(members[i].path).value_or(""); };

    std::set<std::string> found_tools;
    std::vector<std::size_t> migrations;  // members of the folders kept
    for (const SetGroup& group : group_sets(members, project)) {
        PlannedSet plan = plan_set(group, members, facts, options);
        std::size_t named = 0, runs = plan.ups.size();
        for (std::size_t d : plan.down_of_up) runs += d != kNoFile;
        for (std::size_t i : group.members) named += facts[i].name && facts[i].name->version;
        // A folder of migrations: its tool runs them, or most carry a version.
        bool plain = plan.tool->name() == "plain";
        if (runs == 0 || (plain && named * 2 <= group.members.size())) continue;
        layout.migrations.push_back(group.root.empty() ? "." : group.root);
        found_tools.insert(std::string(plan.tool->name()));
        for (std::size_t i : plan.ups) migrations.push_back(i);
        for (std::size_t d : plan.down_of_up)
            if (d != kNoFile) migrations.push_back(d);
    }
    if (found_tools.size() == 1 && *found_tools.begin() != "plain")
        layout.tool = *found_tools.begin();

    // The presets every migration follows, fewest first; none when a file
    // follows no preset (its tool's convention then stands on its own).
    std::map<std::string, std::set<std::size_t>> by_preset;
    for (std::size_t i : migrations)
        for (const std::string& preset : Naming::preset_names())
            if (Naming({preset}).match(members[i].path)) by_preset[preset].insert(i);
    std::set<std::size_t> covered;
    while (covered.size() < migrations.size()) {
        std::string best;
        std::size_t gain = 0;
        for (const auto& [preset, matched] : by_preset) {
            std::size_t g = 0;
            for (std::size_t i : matched) g += !covered.count(i);
            if (g > gain) gain = g, best = preset;
        }
        if (gain == 0) {
            layout.naming.clear();
            break;
        }
        layout.naming.push_back(best);
        covered.insert(by_preset[best].begin(), by_preset[best].end());
    }
    return layout;
}

}  // namespace pgw
