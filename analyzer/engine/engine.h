// Layer "engine": the rule interface and registry, the engine, config, risk, the
// set replay and the docs generated from rule metadata. May include frontend/,
// schema/, tools/, sets/.
//
// Runs the enabled rules over parsed migrations and applies the policy layer:
// severity overrides, suppressions, the override / rollback-plan workflow and
// risk levels. Input: a Migration; output: a FileReport. No formatting here.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "engine/config.h"
#include "engine/observations.h"
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
    std::string tool;  // the migration tool of its set ("plain" outside one)
    std::string note;  // how the tool runs it, when worth saying ("goose: NO TRANSACTION")
    // The source lines findings point at, for reporters that quote them.
    std::map<int, std::string> lines;
};

// A file of a migration folder that its tool does not run on PostgreSQL.
struct SkippedFile {
    std::string path;
    std::string tool;
    std::string reason;
};

// A finished run: what every reporter reads.
struct RunResult {
    std::vector<FileReport> files;     // sorted by path
    std::vector<SkippedFile> skipped;  // sorted by path
    std::size_t errors = 0, warnings = 0, infos = 0;
    Risk risk = Risk::none;  // the highest file risk
    // Findings the baseline (SPEC §10) left out; they still count towards risk.
    std::size_t baselined = 0;
    std::string baseline_path;  // the baseline applied, when one was
    // What `verify` observed on a real server (null for `check`).
    std::shared_ptr<const Observations> observations;

    void summarize();
};

struct FileOptions {
    bool rollback_file = false;        // lint with rollback semantics (a down migration)
    const FileFacts* facts = nullptr;  // null: a file on its own
};

class Engine {
  public:
    // `filter_statements` false: every rule's check() sees every statement,
    // whatever its statements() says (the tests compare both ways).
    explicit Engine(const Config& config, bool filter_statements = true);

    // Lints `m` statement by statement against the set replay's `model` as it
    // stands just before each statement, and replays each statement into it
    // after its rules ran. Down sections are linted against a scratch copy of
    // what they touch, so the model only ever holds what the up parts did.
    FileReport lint(const Migration& m, schema::SchemaModel& model,
                    const FileOptions& options = {}) const;

    // Every rule runs (for risk, which no switch may lower), each at its
    // configured severity (off: its findings are not reported).
    struct Active {
        const Rule* rule;
        Severity severity;
        bool configured;  // the config or the command line set its severity
        SharedText help;  // the rule's help, one copy for all its findings
        // From the rule's metadata, read once: asked for every statement.
        bool late = false;
        bool only_rerun = false;
        Risk risk = Risk::none;
    };
    const std::vector<Active>& rules() const { return rules_; }
    const Config& config() const { return config_; }
    // The placeholders of a tool's files: the configured ones and the tool's own.
    const PlaceholderSet& placeholders(std::string_view tool) const;

  private:
    // Indexes into rules_ of the rules whose check() reads a statement of
    // this kind, in rules_ order; kinds no rule names get every_kind_.
    const std::vector<std::uint32_t>& checks_for(std::string_view kind) const;

    const Config& config_;
    std::vector<Active> rules_;
    std::vector<std::uint32_t> every_kind_;
    // missing-rollback-plan's severity: the emitter of every file applies it.
    Severity plan_severity_ = Severity::off;
    std::map<std::string, std::vector<std::uint32_t>, std::less<>> by_kind_;
    std::vector<std::unique_ptr<Rule>> custom_;  // built from config.custom_rules
    std::map<std::string, PlaceholderSet, std::less<>> tool_placeholders_;
};

}  // namespace pgw
