#include "tools/text.h"

#include <cctype>

namespace pgw::tools {

std::vector<Line> lines_of(std::string_view bytes) {
    std::vector<Line> out;
    for (std::size_t at = 0; at < bytes.size();) {
        std::size_t nl = bytes.find('\n', at);
        std::size_t end = nl == std::string_view::npos ? bytes.size() : nl;
        std::size_t next = nl == std::string_view::npos ? bytes.size() : nl + 1;
        std::size_t text_end = end > at && bytes[end - 1] == '\r' ? end - 1 : end;
        out.push_back({at, next, bytes.substr(at, text_end - at)});
        at = next;
    }
    return out;
}

std::string lower(std::string_view s) {
    std::string out(s);
    for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

bool starts_with_ci(std::string_view s, std::string_view prefix) {
    return s.size() >= prefix.size() && lower(s.substr(0, prefix.size())) == lower(prefix);
}

std::string_view trim(std::string_view s) {
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
    return s;
}

std::string_view file_name(std::string_view path) {
    auto slash = path.rfind('/');
    return slash == std::string_view::npos ? path : path.substr(slash + 1);
}

std::string_view folder_of(std::string_view path) {
    auto slash = path.rfind('/');
    return slash == std::string_view::npos ? std::string_view{} : path.substr(0, slash);
}

bool all_digits(std::string_view s) {
    if (s.empty()) return false;
    for (char c : s)
        if (!std::isdigit(static_cast<unsigned char>(c))) return false;
    return true;
}

FileLayout whole_file(std::size_t size, TxMode tx, std::string note) {
    FileLayout layout;
    Unit u;
    u.span = {0, size};
    u.tx = tx;
    layout.units.push_back(u);
    layout.note = std::move(note);
    return layout;
}

}  // namespace pgw::tools
