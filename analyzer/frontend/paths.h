// Path text, worked out without std::filesystem's component lists where the
// answer is plain: a run asks for every migration's absolute path, and
// building and normalizing a fs::path for each cost more than reading it.
#pragma once

#include <string>
#include <string_view>

namespace pgw {

// The same text as std::filesystem::absolute(path).lexically_normal(): a
// path without "." or ".." components or doubled slashes is only joined to
// the working directory; any other goes through std::filesystem.
std::string absolute_normal_path(std::string_view path);

// The same text as std::filesystem::path(path).parent_path(): "db/m" for
// "db/m/001.sql", "" for "001.sql", "/" for "/001.sql".
std::string parent_folder_path(std::string_view path);

}  // namespace pgw
