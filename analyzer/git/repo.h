// Which repository a path belongs to (SPEC §1: git is asked about the
// repository that holds the paths, wherever pgwarden was started).
#pragma once

#include <string>

namespace pgw {

// The absolute top folder of the git work tree holding `path` (a file or a
// folder, existing or not: its nearest existing folder is asked), or "" when
// it is in none or git is missing.
std::string repository_root(const std::string& path);

}  // namespace pgw
