// The baseline (SPEC §10): today's findings, recorded by fingerprint
// (report/util.h finding_fingerprints, the same as SARIF's
// partialFingerprints), so that `check` reports only what is new or changed.
#pragma once

#include <optional>
#include <set>
#include <string>

#include "engine/config.h"
#include "engine/engine.h"

namespace pgw {

constexpr const char* kBaselineFile = ".pgwarden-baseline.json";

// Where the baseline lives: beside the config file, else at the repository
// root `root`, else in the current folder.
std::string baseline_path(const Config& config, const std::string& root);

struct Baseline {
    std::string path;
    std::set<std::string> fingerprints;
};

// Reads a baseline; nullopt when `path` does not exist. Throws
// std::runtime_error naming the file when it is not a baseline.
std::optional<Baseline> read_baseline(const std::string& path);

// Writes every finding of `run` to `path` (atomically). Returns how many.
// Throws std::runtime_error.
std::size_t write_baseline(const std::string& path, const RunResult& run, const std::string& root);

// Leaves out the findings of `run` the baseline lists and counts them in
// run.baselined; risk is untouched (SPEC §5: baselining never lowers it).
void apply_baseline(RunResult& run, const Baseline& baseline, const std::string& root);

}  // namespace pgw
