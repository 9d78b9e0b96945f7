#include "sets/discovery.h"

#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <set>

namespace pgw {

namespace fs = std::filesystem;

namespace {

bool ends_with_sql(const std::string& name) {
    if (name.size() < 4) return false;
    std::string ext = name.substr(name.size() - 4);
    for (char& c : ext) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return ext == ".sql";
}

std::string join(const std::string& dir, const std::string& name) {
    if (dir.empty() || dir == ".") return name;
    return dir.back() == '/' ? dir + name : dir + "/" + name;
}

bool glob_at(const std::string& g, std::size_t gi, const std::string& p, std::size_t pi) {
    while (gi < g.size()) {
        if (g.compare(gi, 3, "**/") == 0) {
            // zero or more whole folders
            for (std::size_t k = pi; k <= p.size(); ++k)
                if ((k == pi || p[k - 1] == '/') && glob_at(g, gi + 3, p, k)) return true;
            return false;
        }
        if (g.compare(gi, 2, "**") == 0) return true;
        char c = g[gi];
        if (c == '*') {
            for (std::size_t k = pi; k <= p.size(); ++k) {
                if (glob_at(g, gi + 1, p, k)) return true;
                if (k < p.size() && p[k] == '/') break;
            }
            return false;
        }
        if (pi >= p.size()) return false;
        if (c == '?' ? p[pi] == '/' : c != p[pi]) return false;
        ++gi, ++pi;
    }
    return pi == p.size();
}

struct Walker {
    const std::vector<std::string>& exclude;
    std::set<std::pair<dev_t, ino_t>> visited;
    std::vector<std::string>& files;

    bool excluded(const std::string& path) const {
        for (const auto& g : exclude)
            if (glob_match(g, path)) return true;
        return false;
    }

    void walk(const std::string& dir) {
        struct stat st {};
        if (::stat(dir.c_str(), &st) != 0) return;
        if (!visited.insert({st.st_dev, st.st_ino}).second) return;  // symlink loop
        std::error_code ec;
        std::vector<std::string> names;
        for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec))
            names.push_back(it->path().filename().string());
        std::sort(names.begin(), names.end());
        for (const auto& name : names) {
            std::string path = join(dir, name);
            if (::stat(path.c_str(), &st) != 0) continue;  // dangling link
            if (S_ISDIR(st.st_mode)) {
                if (name[0] != '.' && !excluded(path)) walk(path);
            } else if (S_ISREG(st.st_mode) && ends_with_sql(name) && !excluded(path)) {
                files.push_back(path);
            }
        }
    }
};

}  // namespace

bool glob_match(const std::string& glob, const std::string& path) {
    if (glob_at(glob, 0, path, 0)) return true;
    // A glob without a folder part matches the file name anywhere.
    if (glob.find('/') == std::string::npos) {
        auto slash = path.rfind('/');
        return slash != std::string::npos && glob_at(glob, 0, path, slash + 1);
    }
    return false;
}

Discovered discover(const std::vector<std::string>& inputs,
                    const std::vector<std::string>& exclude) {
    Discovered out;
    Walker walker{exclude, {}, out.files};
    for (const auto& input : inputs) {
        struct stat st {};
        if (::stat(input.c_str(), &st) != 0) {
            out.errors.push_back(input + ": " + std::strerror(errno));
            continue;
        }
        if (S_ISDIR(st.st_mode))
            walker.walk(input);
        else
            out.files.push_back(input);  // explicit files are always linted
    }
    std::sort(out.files.begin(), out.files.end());
    out.files.erase(std::unique(out.files.begin(), out.files.end()), out.files.end());
    return out;
}

}  // namespace pgw
