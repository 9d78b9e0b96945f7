// Lints a set of files in parallel: read -> parse -> lint, one file per task,
// results stored by index so output never depends on thread scheduling.
#pragma once

#include <string>
#include <vector>

#include "config.h"
#include "report.h"

namespace pgw {

struct Input {
    std::string path;         // displayed path
    std::string disk_path;    // where to read it; empty: `content` holds the bytes
    std::string content;
    bool has_content = false;
};

RunResult run_check(const std::vector<Input>& inputs, const Config& config, unsigned jobs);

// Lints one in-memory migration (tests, stdin).
FileReport lint_text(const std::string& path, const std::string& text, const Config& config);

}  // namespace pgw
