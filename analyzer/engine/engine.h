// Layer "engine": the rule interface and registry, the engine, config, risk and
// the docs generated from rule metadata. May include frontend/, schema/, sets/.
//
// Runs the enabled rules over parsed migrations and applies the policy layer:
// severity overrides, suppressions, the override / rollback-plan workflow and
// risk levels. Input: a Migration; output: a FileReport. No formatting here.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "engine/config.h"
#include "engine/rule.h"
#include "frontend/annotations.h"
#include "frontend/parse.h"
#include "frontend/types.h"
#include "schema/catalog.h"
#include "sets/migration_set.h"

namespace pgw {

struct FileReport {
    std::string path;
    std::vector<Finding> findings;  // sorted
    Risk risk = Risk::none;         // computed
    std::optional<Risk> declared_risk;
    std::size_t statements = 0;
    // The source lines findings point at, for reporters that quote them.
    std::map<int, std::string> lines;
};

// A finished run: what every reporter reads.
struct RunResult {
    std::vector<FileReport> files;  // sorted by path
    std::size_t errors = 0, warnings = 0, infos = 0;
    Risk risk = Risk::none;  // the highest file risk

    void summarize();
};

struct FileOptions {
    bool rollback_file = false;        // lint with rollback semantics (a down migration)
    const FileFacts* facts = nullptr;  // null: a file on its own
};

class Engine {
  public:
    explicit Engine(const Config& config);

    // `known` holds what the change set creates outside this file.
    FileReport lint(const Migration& m, const Catalog& known, FileOptions options = {}) const;

    // The rules that run, with their effective severities.
    struct Active {
        const Rule* rule;
        Severity severity;
        SharedText help;  // the rule's help, one copy for all its findings
    };
    const std::vector<Active>& active() const { return active_; }
    const Config& config() const { return config_; }

  private:
    const Config& config_;
    std::vector<Active> active_;
    std::vector<std::unique_ptr<Rule>> custom_;  // built from config.custom_rules
};

}  // namespace pgw
