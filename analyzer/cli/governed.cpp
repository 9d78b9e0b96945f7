#include "cli/governed.h"

#include <algorithm>
#include <filesystem>
#include <map>

#include "cli/inputs.h"
#include "frontend/paths.h"

namespace pgw {

RunResult run_governed(const std::vector<Input>& inputs, const Config& main,
                       const std::function<const Config&(const std::string&)>& load,
                       const RunOptions& options, bool narrow, ConfigFinder finder) {
    namespace fs = std::filesystem;
    std::error_code ec;
    const std::string main_path =
        main.path.empty() ? std::string() : fs::absolute(main.path, ec).lexically_normal().string();
    std::map<std::string, std::string> by_dir;  // folder -> its config ("" for main)
    // Indexes into `inputs` by the config that governs them: most runs have
    // one, and then the inputs are passed on as they are.
    std::map<std::string, std::vector<std::size_t>> groups;
    for (std::size_t i = 0; i < inputs.size(); ++i) {
        std::string dir = parent_folder_path(inputs[i].path);
        auto it = by_dir.find(dir);
        if (it == by_dir.end()) {
            std::string near = finder.find(dir.empty() ? "." : dir);
            it = by_dir.emplace(dir, near == main_path ? std::string() : near).first;
        }
        groups[it->second].push_back(i);
    }
    if (groups.size() <= 1 && groups.count("")) return run_check(inputs, main, options);

    groups[""];  // the main part reports deleted and missing migrations, once
    RunOptions others = options;
    others.removed.clear();
    others.sum_missing.clear();
    RunResult all;
    for (auto& [path, indexes] : groups) {
        std::vector<Input> members;
        members.reserve(indexes.size());
        for (std::size_t i : indexes) members.push_back(inputs[i]);
        const Config& config = path.empty() ? main : load(path);
        if (!path.empty() && narrow)
            std::erase_if(
                members, [&](const Input& in) { return in.lint && !governed_by(in.path, config); });
        if (members.empty() && !path.empty()) continue;
        RunResult part = run_check(members, config, path.empty() ? options : others);
        for (auto& f : part.files) all.files.push_back(std::move(f));
        for (auto& s : part.skipped) all.skipped.push_back(std::move(s));
    }
    std::sort(all.files.begin(), all.files.end(),
              [](const FileReport& a, const FileReport& b) { return a.path < b.path; });
    std::sort(all.skipped.begin(), all.skipped.end(),
              [](const auto& a, const auto& b) { return a.path < b.path; });
    all.summarize();
    return all;
}

}  // namespace pgw
