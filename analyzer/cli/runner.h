// Layer "cli": main, the run (runner) and input gathering. On top: may include
// every layer below.
//
// Lints the inputs: grouped into migration sets, each set planned with its tool
// and replayed (engine/set_replay.h) as one task; sets run in parallel, the
// longest first, results stored by input so output never depends on thread
// scheduling.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "engine/config.h"
#include "engine/engine.h"

namespace pgw {

struct Input {
    std::string path;       // displayed path
    std::string disk_path;  // where to read it; empty: `content` holds the bytes
    std::string content;
    bool has_content = false;
    // The change set (--staged / --diff-base). Outside one, every file is linted
    // and nothing is known about other files' tables.
    bool lint = true;      // false: only context (its tables, its version), not reported
    bool is_new = false;   // added by the change: tables it creates count as new
    bool at_base = false;  // exists at the diff base
    std::string edited;    // non-empty: it existed at the base and was changed (the reason)
    std::string sum_key;   // its path in pgwarden.sum; empty: not covered by one
};

struct RunOptions {
    unsigned jobs = 1;
    bool change_set = false;  // inputs carry is_new / lint (--staged, --diff-base)
    bool ordered = false;     // inputs carry at_base: enables version-order (--diff-base)
    // pgwarden.sum entries (path -> sha256) covering the run, when the file exists.
    std::shared_ptr<const std::map<std::string, std::string>> sum;
    std::string sum_path;                  // for messages
    std::vector<std::string> sum_missing;  // listed migrations that no longer exist
    // Migrations at the base the change deletes or renames: (path, message).
    std::vector<std::pair<std::string, std::string>> removed;
};

RunResult run_check(const std::vector<Input>& inputs, const Config& config,
                    const RunOptions& options);

// Lints one in-memory migration on its own (tests): a set of one file.
// `filter_statements`: as Engine's (false: every check() sees every statement).
FileReport lint_text(const std::string& path, const std::string& text, const Config& config,
                     bool filter_statements = true);

}  // namespace pgw
