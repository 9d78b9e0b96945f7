#include "sets/glob.h"

#include <sys/stat.h>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <set>

namespace pgw {

namespace {

char fold(char c, bool ignore_case) {
    return ignore_case ? static_cast<char>(std::tolower(static_cast<unsigned char>(c))) : c;
}

// The states reachable from glob position `g` without reading a character
// (a `**/` may match nothing).
void add_state(std::string_view glob, std::size_t g, std::vector<bool>& states) {
    if (g > glob.size() || states[g]) return;
    states[g] = true;
    if (glob.substr(g, 3) == "**/") add_state(glob, g + 3, states);
    if (g < glob.size() && glob[g] == '*' && glob.substr(g, 3) != "**/")
        add_state(glob, g + (glob.substr(g, 2) == "**" ? 2 : 1), states);
}

// `*` then a literal ("*.sql", the default include globs, matched against
// every file name discovery sees): the literal ends the name. The state
// machine below cost 10 k instructions a name for the same answer.
bool star_then_literal(std::string_view glob) {
    return glob.size() > 1 && glob[0] == '*' &&
           glob.find_first_of("*?/", 1) == std::string_view::npos;
}

bool ends_with(std::string_view name, std::string_view literal, bool ignore_case) {
    if (name.size() < literal.size()) return false;
    name.remove_prefix(name.size() - literal.size());
    for (std::size_t i = 0; i < literal.size(); ++i)
        if (fold(name[i], ignore_case) != fold(literal[i], ignore_case)) return false;
    return true;
}

}  // namespace

bool glob_match(std::string_view glob, std::string_view path, bool ignore_case) {
    if (glob.find('/') == std::string_view::npos) {
        auto slash = path.rfind('/');
        if (slash != std::string_view::npos) path.remove_prefix(slash + 1);
    }
    // No '/' in the glob: the path is a name now, and `*` matches any name.
    if (star_then_literal(glob)) return ends_with(path, glob.substr(1), ignore_case);
    std::vector<bool> states(glob.size() + 1, false), next(glob.size() + 1, false);
    add_state(glob, 0, states);
    for (char raw : path) {
        char c = fold(raw, ignore_case);
        std::fill(next.begin(), next.end(), false);
        bool any = false;
        for (std::size_t g = 0; g < glob.size(); ++g) {
            if (!states[g]) continue;
            if (glob.substr(g, 3) == "**/") {
                // Inside a folder it skips: the rest may start only after a '/'.
                if (c == '/')
                    add_state(glob, g, next);
                else
                    next[g] = true;
                any = true;
            } else if (glob.substr(g, 2) == "**") {
                add_state(glob, g, next);  // anything, slashes included
                any = true;
            } else if (glob[g] == '*') {
                if (c != '/') add_state(glob, g, next), any = true;
            } else if (glob[g] == '?') {
                if (c != '/') add_state(glob, g + 1, next), any = true;
            } else if (fold(glob[g], ignore_case) == c) {
                add_state(glob, g + 1, next);
                any = true;
            }
        }
        if (!any) return false;
        states.swap(next);
    }
    return states[glob.size()];
}

bool has_glob(std::string_view text) {
    return text.find_first_of("*?") != std::string_view::npos;
}

std::vector<std::string> expand_glob(const std::string& base, const std::string& pattern) {
    namespace fs = std::filesystem;
    // Walk from the folder before the first glob character.
    std::size_t star = pattern.find_first_of("*?");
    std::size_t cut = star == std::string::npos ? pattern.size() : pattern.rfind('/', star);
    std::string prefix = cut == std::string::npos ? std::string() : pattern.substr(0, cut);
    auto join = [](const std::string& a, const std::string& b) {
        return a.empty() || a == "." ? b : b.empty() ? a : a + "/" + b;
    };
    // Without `**` a match is at most as deep as the pattern: walk no deeper.
    std::size_t max_depth =
        pattern.find("**") != std::string::npos
            ? static_cast<std::size_t>(-1)
            : static_cast<std::size_t>(std::count(pattern.begin(), pattern.end(), '/')) + 1;
    auto depth = [](const std::string& rel) {
        return rel.empty() ? 0
                           : static_cast<std::size_t>(std::count(rel.begin(), rel.end(), '/')) + 1;
    };
    std::vector<std::string> out;
    std::set<std::pair<dev_t, ino_t>> seen;
    std::vector<std::string> stack{prefix};
    while (!stack.empty()) {
        std::string rel = stack.back();
        stack.pop_back();
        if (depth(rel) >= max_depth) continue;
        std::string dir = join(base, rel);
        struct stat st {};
        if (::stat(dir.empty() ? "." : dir.c_str(), &st) != 0 || !S_ISDIR(st.st_mode)) continue;
        if (!seen.insert({st.st_dev, st.st_ino}).second) continue;  // a symlink loop
        std::error_code ec;
        for (fs::directory_iterator it(dir.empty() ? "." : dir, ec), end; !ec && it != end;
             it.increment(ec)) {
            std::string name = it->path().filename().string();
            if (name.empty() || name[0] == '.') continue;
            std::string child = join(rel, name);
            if (glob_match(pattern, child)) out.push_back(join(base, child));
            bool is_dir = it->is_directory(ec);
            if (is_dir) stack.push_back(child);
        }
    }
    std::sort(out.begin(), out.end());
    return out;
}

}  // namespace pgw
