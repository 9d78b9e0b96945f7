// `pgwarden verify` (SPEC §9): gathers the migrations like `check` does
// (paths, config, --staged / --diff-base), plans what to apply, runs the
// verify layer and writes the report in the chosen format.
#pragma once

#include <string>
#include <vector>

#include "engine/config.h"

namespace pgw {

struct VerifyCommand {
    std::vector<std::string> paths;
    std::string format = "text";
    std::string output;
    bool staged = false;
    std::string diff_base;
    std::string fail_on = "error";
    unsigned jobs = 0;
    std::string database_url, pg_bindir, seed, against;
    bool keep = false, drift = false;
};

// Exit status 0 or 1 (findings at or above --fail-on); throws
// std::runtime_error for exit 2 (usage, I/O, no libpq, no server).
int run_verify_command(const VerifyCommand& command, const Config& config);

}  // namespace pgw
