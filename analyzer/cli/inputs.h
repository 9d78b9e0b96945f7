// Which files a command works on: a plain scan of folders, the staged change
// (--staged) or the change since a base (--diff-base), and pgwarden.sum around
// them. Turns command-line intent into runner Inputs; lints nothing itself.
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "cli/runner.h"
#include "engine/config.h"
#include "sets/sum.h"

namespace pgw {

struct Selection {
    std::vector<std::string> paths;  // given on the command line; empty: configured or "."
    bool staged = false;
    std::string diff_base;
    // Without --config, a changed file is a migration when the nearest config
    // above it (SPEC §6) says so: a hook at a monorepo's root sees the changes
    // of backend/, governed by backend/.pgwarden.json. Given a config path,
    // returns that config (the caller loads it, with its overrides); null:
    // one config for all.
    std::function<const Config&(const std::string& config_path)> nearest;
};

// True when `shown` (a path as displayed) is a migration under `config`'s own
// folders, include and exclude: what that config governs in a change set.
bool governed_by(const std::string& shown, const Config& config);

// The config file governing a folder: the nearest .pgwarden.json in it or
// above it, up to the repository root, normalized ("" when there is none), as
// find_config() walks; each folder's answer remembered, so a run over
// thousands of folders (Prisma keeps one per migration) asks the file system
// about each folder once.
class ConfigFinder {
  public:
    std::string find(const std::string& dir);
    // `dir` was listed by discovery and holds neither a .pgwarden.json nor a
    // .git: the search goes on to its parent without asking (two stat()
    // calls a folder, for tools that keep one folder per migration).
    void known_unmarked(const std::string& dir);

  private:
    std::map<std::string, std::string> memo_;  // absolute folder -> config path or ""
    std::set<std::string> unmarked_;           // absolute folders
};

struct Gathered {
    std::vector<Input> inputs;
    RunOptions options;             // jobs left for the caller
    std::optional<SumEntries> sum;  // options.sum points here: keep Gathered alive
    ConfigFinder finder;            // told what discovery's listings showed
};

// Throws std::runtime_error (GitError, SumError) with a one-line message.
Gathered gather_inputs(const Selection& selection, const Config& config);

// Where pgwarden.sum lives: beside .pgwarden.json, else at the top of the git
// work tree, else in the current folder.
std::string sum_path(const Config& config);

struct SumUpdate {
    std::string path;
    std::vector<std::string> added, changed, removed;
};
// `pgwarden sum [PATH...]`: records the migrations under `paths` (entries
// elsewhere are kept). Throws std::runtime_error.
SumUpdate update_sum(const std::vector<std::string>& paths, const Config& config);

}  // namespace pgw
