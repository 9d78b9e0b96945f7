#include "sets/discovery.h"

#include <dirent.h>
#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <set>
#include <string_view>

namespace pgw {

namespace {

std::string join(const std::string& dir, const std::string& name) {
    if (dir.empty() || dir == ".") return name;
    return dir.back() == '/' ? dir + name : dir + "/" + name;
}

struct Walker {
    const DiscoveryRules& rules;
    std::set<std::pair<dev_t, ino_t>> visited;
    Discovered& out;

    bool excluded(const std::string& path) const {
        for (const auto& g : rules.exclude)
            if (glob_match(g, path)) return true;
        return false;
    }

    void walk(const std::string& dir, std::size_t depth = 0) {
        struct stat st {};
        DIR* d = ::opendir(dir.c_str());
        if (!d) {
            // Gone (or not a folder) since it was listed: nothing to say. A
            // folder that exists but cannot be listed would hide its
            // migrations: an error, never "0 files checked".
            int error = errno;
            if (::stat(dir.c_str(), &st) == 0)
                out.errors.push_back(dir + ": cannot read folder: " + std::strerror(error));
            return;
        }
        // The open folder's own identity (no second walk of its path).
        if (::fstat(::dirfd(d), &st) != 0 || !visited.insert({st.st_dev, st.st_ino}).second) {
            ::closedir(d);  // a symlink loop
            return;
        }
        // readdir rather than fs::directory_iterator: a path object per entry
        // (its components split) cost more than the rest of the walk, and the
        // entry's type spares a stat() for most files and folders.
        struct Entry {
            std::string name;
            unsigned char type;
        };
        std::vector<Entry> entries;
        int error = 0;
        bool marked = false;
        for (;;) {
            errno = 0;
            const dirent* e = ::readdir(d);
            if (!e) {
                error = errno;
                break;
            }
            std::string_view name = e->d_name;
            if (name == "." || name == "..") continue;
            for (const std::string& m : rules.markers) marked = marked || name == m;
            entries.push_back({std::string(name), e->d_type});
        }
        ::closedir(d);
        if (error) out.errors.push_back(dir + ": cannot read folder: " + std::strerror(error));
        if (!error && !marked && !rules.markers.empty()) out.unmarked.push_back(dir);
        std::sort(entries.begin(), entries.end(),
                  [](const Entry& a, const Entry& b) { return a.name < b.name; });
        for (const auto& [name, type] : entries) {
            std::string path = join(dir, name);
            // A link, or a file system that does not say: stat() follows it.
            if (type == DT_DIR)
                st.st_mode = S_IFDIR;
            else if (type == DT_REG)
                st.st_mode = S_IFREG;
            else if (::stat(path.c_str(), &st) != 0)
                continue;  // dangling link
            if (S_ISDIR(st.st_mode)) {
                if (name[0] != '.' && !excluded(path) && depth < rules.max_depth)
                    walk(path, depth + 1);
            } else if (S_ISREG(st.st_mode) && included(name, rules.include) && !excluded(path)) {
                out.files.push_back(path);
            }
        }
    }
};

}  // namespace

bool included(const std::string& name, const std::vector<std::string>& include) {
    for (const auto& g : include)
        if (glob_match(g, name, true)) return true;
    return false;
}

Discovered discover(const std::vector<std::string>& inputs, const DiscoveryRules& rules) {
    Discovered out;
    Walker walker{rules, {}, out};
    for (const auto& input : inputs) {
        struct stat st {};
        if (::stat(input.c_str(), &st) != 0) {
            out.errors.push_back(input + ": " + std::strerror(errno));
            continue;
        }
        if (S_ISDIR(st.st_mode))
            walker.walk(input);
        else if (S_ISREG(st.st_mode))
            out.files.push_back(input);  // explicit files are always linted
        else                             // a FIFO would hang the read, /dev/zero never end
            out.errors.push_back(input + ": not a regular file (" +
                                 (S_ISFIFO(st.st_mode)   ? "a FIFO"
                                  : S_ISCHR(st.st_mode)  ? "a character device"
                                  : S_ISSOCK(st.st_mode) ? "a socket"
                                                         : "not a file") +
                                 ")");
    }
    std::sort(out.files.begin(), out.files.end());
    out.files.erase(std::unique(out.files.begin(), out.files.end()), out.files.end());
    return out;
}

}  // namespace pgw
