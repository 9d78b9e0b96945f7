#include "git/repo.h"

#include <filesystem>

#include "git/git.h"

namespace pgw {

std::string repository_root(const std::string& path) {
    namespace fs = std::filesystem;
    std::error_code ec;
    fs::path dir = fs::absolute(path.empty() ? fs::path(".") : fs::path(path), ec);
    if (ec) return "";
    dir = dir.lexically_normal();
    // A file, or a path that does not exist yet: its nearest existing folder.
    while (!dir.empty() && !fs::is_directory(dir, ec)) {
        if (dir == dir.parent_path()) return "";
        dir = dir.parent_path();
    }
    try {
        GitOutput top = run_git({"-C", dir.string(), "rev-parse", "--show-toplevel"});
        if (top.status != 0) return "";
        return top.out.substr(0, top.out.find('\n'));
    } catch (const GitError&) {
        return "";  // no git
    }
}

}  // namespace pgw
