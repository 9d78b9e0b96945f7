#include "git/repo.h"

#include <sys/stat.h>

#include <cstdlib>
#include <filesystem>
#include <utility>
#include <vector>

#include "git/git.h"

namespace pgw {

namespace fs = std::filesystem;

namespace {

// Work trees git has named in this run: (as git printed it, its real path).
std::vector<std::pair<std::string, fs::path>>& known_roots() {
    static std::vector<std::pair<std::string, fs::path>> roots;
    return roots;
}

// A folder inside a work tree git already named belongs to it when no .git
// lies between them on one file system: git's discovery walks up from the
// folder and stops at the first .git, or at a file system boundary
// (https://git-scm.com/docs/git#Documentation/git.txt-GITDISCOVERYACROSSFILESYSTEM).
// The variables that change discovery send the question to git itself.
// Saves a git process per run (the one-file pre-commit case asks twice).
bool known_root_of(const fs::path& dir, std::string& top) {
    for (const char* v : {"GIT_DIR", "GIT_WORK_TREE", "GIT_CEILING_DIRECTORIES",
                          "GIT_DISCOVERY_ACROSS_FILESYSTEM", "GIT_COMMON_DIR"})
        if (std::getenv(v)) return false;
    std::error_code ec;
    fs::path real = fs::canonical(dir, ec);
    if (ec) return false;
    for (const auto& [printed, root] : known_roots()) {
        fs::path rel = real.lexically_relative(root);
        if (rel.empty() || *rel.begin() == "..") continue;
        struct stat root_st {};
        if (::stat(root.c_str(), &root_st) != 0) continue;
        bool same_tree = true;
        for (fs::path d = real; d != root && same_tree; d = d.parent_path()) {
            struct stat st {};
            if (d == d.parent_path() || ::stat(d.c_str(), &st) != 0 ||
                st.st_dev != root_st.st_dev || fs::exists(d / ".git", ec))
                same_tree = false;
        }
        if (same_tree) {
            top = printed;
            return true;
        }
    }
    return false;
}

// Folders git said are in no work tree, as real paths: asked again in the same
// run (a one-file check outside a repository asks twice), the answer stands.
// Only the folder itself: one below it may hold a .git.
std::vector<fs::path>& known_outside() {
    static std::vector<fs::path> dirs;
    return dirs;
}

}  // namespace

std::string repository_root(const std::string& path) {
    std::error_code ec;
    fs::path dir = fs::absolute(path.empty() ? fs::path(".") : fs::path(path), ec);
    if (ec) return "";
    dir = dir.lexically_normal();
    // A file, or a path that does not exist yet: its nearest existing folder.
    while (!dir.empty() && !fs::is_directory(dir, ec)) {
        if (dir == dir.parent_path()) return "";
        dir = dir.parent_path();
    }
    std::string top;
    if (known_root_of(dir, top)) return top;
    fs::path real_dir = fs::canonical(dir, ec);
    if (ec) real_dir.clear();
    for (const fs::path& d : known_outside())
        if (!real_dir.empty() && d == real_dir) return "";
    try {
        GitOutput out = run_git({"-C", dir.string(), "rev-parse", "--show-toplevel"});
        if (out.status != 0) {
            // Where the variables change discovery, git is asked every time.
            if (!real_dir.empty() && !std::getenv("GIT_DIR") && !std::getenv("GIT_WORK_TREE") &&
                !std::getenv("GIT_CEILING_DIRECTORIES"))
                known_outside().push_back(real_dir);
            return "";
        }
        top = out.out.substr(0, out.out.find('\n'));
    } catch (const GitError&) {
        return "";  // no git
    }
    fs::path real = fs::canonical(top, ec);
    if (!ec) known_roots().emplace_back(top, real);
    return top;
}

}  // namespace pgw
