#include "frontend/paths.h"

#include <filesystem>
#include <system_error>

namespace pgw {

namespace {

// No component of `path` is "." or "..", and no two slashes touch: then
// lexically_normal() leaves it as it is (the working directory, from
// getcwd, is already normal).
bool already_normal(std::string_view path) {
    if (path.empty()) return false;
    std::size_t begin = 0;
    for (std::size_t i = 0; i <= path.size(); ++i) {
        if (i < path.size() && path[i] != '/') continue;
        std::string_view part = path.substr(begin, i - begin);
        if (part == "." || part == "..") return false;
        if (part.empty() && i > 0 && i < path.size()) return false;  // "//", not the leading "/"
        begin = i + 1;
    }
    return true;
}

}  // namespace

std::string absolute_normal_path(std::string_view path) {
    namespace fs = std::filesystem;
    std::error_code ec;
    if (already_normal(path)) {
        if (path.front() == '/') return std::string(path);
        std::string cwd = fs::current_path(ec).string();
        if (!ec && already_normal(cwd) && cwd.front() == '/')
            return cwd.back() == '/' ? cwd + std::string(path) : cwd + '/' + std::string(path);
    }
    return fs::absolute(fs::path(path), ec).lexically_normal().string();
}

std::string parent_folder_path(std::string_view path) {
    // Doubled or trailing slashes: std::filesystem's rules for them.
    if (path.find("//") != std::string_view::npos || path.ends_with('/'))
        return std::filesystem::path(path).parent_path().string();
    std::size_t slash = path.rfind('/');
    if (slash == std::string_view::npos) return {};
    return std::string(path.substr(0, slash == 0 ? 1 : slash));
}

}  // namespace pgw
