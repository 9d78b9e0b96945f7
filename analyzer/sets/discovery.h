// Finding migration files: `*.sql` under folders (recursively, hidden folders
// skipped, symlink loops cut), explicit files always, exclude globs applied.
#pragma once

#include <string>
#include <vector>

namespace pgw {

struct Discovered {
    std::vector<std::string> files;   // sorted, de-duplicated, as displayed
    std::vector<std::string> errors;  // "path: reason" for inputs that do not exist
};

Discovered discover(const std::vector<std::string>& inputs,
                    const std::vector<std::string>& exclude);

// Glob with `*`, `?` and `**/` matched against a slash-separated path.
bool glob_match(const std::string& glob, const std::string& path);

}  // namespace pgw
