// `pgwarden check` and `pgwarden baseline` (SPEC §1, §10): their options, the
// configuration they build and the run they share. main.cpp only declares the
// command line and calls these.
#pragma once

#include <CLI/CLI.hpp>
#include <stdexcept>
#include <string>
#include <vector>

#include "cli/runner.h"
#include "engine/config.h"

namespace pgw {

// A usage, config or I/O problem: one line on stderr, exit 2.
struct UsageError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

struct CheckArgs {
    std::vector<std::string> paths;
    std::string format = "text";
    std::string output;
    std::string config;
    int pg_version = 0;
    bool assume_in_transaction = false;
    std::vector<std::string> enable, disable, severity;
    std::string fail_on = "error";
    unsigned jobs = 0;
    std::string stdin_filename;
    std::string tool;
    bool staged = false;
    std::string diff_base;
    bool diff_base_given = false;  // `--diff-base ''` is an error, not a full scan
    std::string baseline;          // --baseline FILE
    bool no_baseline = false;
    std::string color = "auto";
    bool statistics = false;
    int annotations = 50;
    long long markdown_limit = 65536;
    CLI::Option* diff_base_option = nullptr;
};

// The options `check` and `baseline` share (paths, config, rules, tool,
// --staged/--diff-base ...), and those of the report (`check` only).
void add_run_options(CLI::App& command, CheckArgs& args);
void add_report_options(CLI::App& command, CheckArgs& args);

// The config file (or defaults) with the command line's overrides. Throws.
Config build_config(const CheckArgs& args);

// " (did you mean drop-table?)" for a misspelt rule id, else a pointer to
// `pgwarden rules`.
std::string suggest_rule(const std::string& id);

// `pgwarden check`: the exit code (0, 1); throws UsageError and friends.
int run_check_command(CheckArgs& args, const std::string& version);

// `pgwarden baseline`: writes .pgwarden-baseline.json; says what it wrote.
int run_baseline_command(CheckArgs& args);

}  // namespace pgw
