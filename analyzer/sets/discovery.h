// Finding migration files: files whose names match the `include` globs
// (default `*.sql` and Synapse's `*.sql.postgres`) under folders, recursively,
// hidden folders skipped, symlink loops cut, folders named `x.sql` descended
// into, explicit files always, `exclude` globs applied.
#pragma once

#include <string>
#include <vector>

#include "sets/glob.h"

namespace pgw {

struct Discovered {
    std::vector<std::string> files;  // sorted, de-duplicated, as displayed
    // "path: reason" for inputs that do not exist or are not regular files or
    // folders, and for folders that cannot be read
    std::vector<std::string> errors;
    // The folders listed (as walked) that hold none of the rules' `markers`:
    // what the listing already answered need not be asked of the file system.
    std::vector<std::string> unmarked;
};

struct DiscoveryRules {
    std::vector<std::string> include = {"*.sql", "*.sql.postgres"};
    std::vector<std::string> exclude;
    std::size_t max_depth = static_cast<std::size_t>(-1);  // folders below each input
    std::vector<std::string> markers;  // names looked for in every folder listed
};

Discovered discover(const std::vector<std::string>& inputs, const DiscoveryRules& rules);

// True when a file name is a migration by the `include` globs (case-insensitive).
bool included(const std::string& name, const std::vector<std::string>& include);

}  // namespace pgw
