#include "report/util.h"

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <map>

#include "report/report.h"

namespace pgw {

namespace {

bool is_space(char c) {
    return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' || c == '\v';
}

bool is_word(char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' ||
           c == '-';
}

std::size_t backtick_run(std::string_view s, std::size_t at) {
    std::size_t k = 0;
    while (at + k < s.size() && s[at + k] == '`') ++k;
    return k;
}

std::size_t longest_backtick_run(std::string_view s) {
    std::size_t best = 0;
    for (std::size_t i = 0; i < s.size();) {
        std::size_t k = backtick_run(s, i);
        best = std::max(best, k);
        i += k ? k : 1;
    }
    return best;
}

// Code span content: one line, and '|' escaped in tables (GFM splits cells
// before it parses code spans).
void append_code_text(std::string& out, std::string_view code, bool in_table) {
    for (char c : code) {
        if (c == '\n' || c == '\r')
            out += ' ';
        else if (c == '|' && in_table)
            out += "\\|";
        else
            out += c;
    }
}

}  // namespace

std::string_view strip_dot_prefix(std::string_view path) {
    while (path.size() >= 2 && path[0] == '.' && path[1] == '/') {
        path.remove_prefix(2);
        while (!path.empty() && path.front() == '/') path.remove_prefix(1);
    }
    return path;
}

std::string dump_at_level(const nlohmann::ordered_json& j, int level) {
    std::string text = j.dump(2, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
    std::string out;
    out.reserve(text.size() + 64);
    for (char c : text) {
        out += c;
        if (c == '\n') out.append(static_cast<std::size_t>(2 * level), ' ');
    }
    return out;
}

namespace {

// Eight bytes that are all printable ASCII other than quote and backslash,
// tested at once (the byte tests of graphics.stanford.edu/~seander/bithacks.html:
// "haszero" and "hasless"). Report text is mostly such bytes; this is what
// keeps writing a large JSON report from costing a byte loop per character.
bool plain_ascii_word(const char* p) {
    std::uint64_t x;
    std::memcpy(&x, p, sizeof x);
    constexpr std::uint64_t ones = 0x0101010101010101ULL, highs = 0x8080808080808080ULL;
    auto has_zero = [&](std::uint64_t v) { return (v - ones) & ~v & highs; };
    std::uint64_t bad = (x & highs) | ((x - ones * 0x20) & ~x & highs) |
                        has_zero(x ^ (ones * '"')) | has_zero(x ^ (ones * '\\')) |
                        has_zero(x ^ (ones * 0x7f));
    return bad == 0;
}

// True when nlohmann would copy `s` unchanged between the quotes: valid UTF-8,
// no control characters, no quote or backslash.
bool plain_json_text(std::string_view s) {
    for (std::size_t i = 0; i < s.size();) {
        if (i + 8 <= s.size() && plain_ascii_word(s.data() + i)) {
            i += 8;
            continue;
        }
        auto c = static_cast<unsigned char>(s[i]);
        if (c < 0x80) {
            if (c < 0x20 || c == '"' || c == '\\' || c == 0x7f) return false;
            ++i;
            continue;
        }
        std::size_t len = (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 0;
        if (len == 0 || c == 0xc0 || c == 0xc1 || c > 0xf4 || i + len > s.size()) return false;
        for (std::size_t k = 1; k < len; ++k)
            if ((static_cast<unsigned char>(s[i + k]) & 0xC0) != 0x80) return false;
        // Overlong 3/4-byte forms and surrogates: let nlohmann decide.
        auto c1 = static_cast<unsigned char>(s[i + 1]);
        if ((c == 0xe0 && c1 < 0xa0) || (c == 0xed && c1 >= 0xa0) || (c == 0xf0 && c1 < 0x90) ||
            (c == 0xf4 && c1 >= 0x90))
            return false;
        i += len;
    }
    return true;
}

}  // namespace

void append_json_string(std::string& out, std::string_view s) {
    if (plain_json_text(s)) {
        out += '"';
        out += s;
        out += '"';
        return;
    }
    out += nlohmann::ordered_json(std::string(s))
               .dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
}

std::string stable_hash_hex(std::string_view data) {
    // FNV-1a, 128-bit parameters (offset basis and prime from the FNV reference).
    using u128 = unsigned __int128;
    const u128 prime = (static_cast<u128>(0x0000000001000000ULL) << 64) | 0x000000000000013BULL;
    u128 hash = (static_cast<u128>(0x6c62272e07bb0142ULL) << 64) | 0x62b821756295c58dULL;
    for (unsigned char c : data) {
        hash ^= c;
        hash *= prime;
    }
    static const char* digits = "0123456789abcdef";
    std::string out(32, '0');
    for (int i = 31; i >= 0; --i) {
        out[static_cast<std::size_t>(i)] = digits[static_cast<unsigned>(hash & 0xF)];
        hash >>= 4;
    }
    return out;
}

std::string normalize_source_line(std::string_view line) {
    if (line.substr(0, 3) == "\xEF\xBB\xBF") line.remove_prefix(3);
    std::string out;
    bool pending_space = false;
    for (char c : line) {
        if (is_space(c)) {
            pending_space = !out.empty();
            continue;
        }
        if (pending_space) out += ' ';
        pending_space = false;
        out += c;
    }
    return out;
}

std::string root_relative(std::string_view path, std::string_view root) {
    if (root.empty() || path.empty()) return std::string(strip_dot_prefix(path));
    namespace fs = std::filesystem;
    std::error_code ec;
    fs::path abs = fs::absolute(fs::path(path), ec).lexically_normal();
    if (ec) return std::string(strip_dot_prefix(path));
    fs::path rel = abs.lexically_relative(fs::path(root).lexically_normal());
    if (rel.empty() || *rel.begin() == "..") return std::string(strip_dot_prefix(path));
    return rel.generic_string();
}

std::vector<std::string> finding_fingerprints(const FileReport& file, std::string_view root) {
    std::vector<std::string> out;
    out.reserve(file.findings.size());
    std::map<std::string, int> seen;  // key -> findings with that key so far
    std::string path = root_relative(file.path, root);
    for (const Finding& f : file.findings) {
        auto it = file.lines.find(f.start.line);
        std::string text = it == file.lines.end() ? "" : normalize_source_line(it->second);
        // NUL separators: no rule, path or line text can run into the next part.
        std::string key = f.rule;
        key += '\0';
        key += f.path.str() == file.path ? path : root_relative(f.path.str(), root);
        key += '\0';
        key += text;
        key += '\0';
        key += std::to_string(f.statement_hash);
        int index = seen[key]++;
        key += '\0';
        key += std::to_string(index);
        out.push_back(stable_hash_hex(key));
    }
    return out;
}

std::string path_to_uri(std::string_view path, bool& relative) {
    relative = path.empty() || path.front() != '/';
    if (relative) path = strip_dot_prefix(path);
    static const char* hex = "0123456789ABCDEF";
    std::string out = relative ? "" : "file://";
    for (unsigned char c : path) {
        bool keep = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                    c == '-' || c == '.' || c == '_' || c == '~' || c == '/';
        if (keep) {
            out += static_cast<char>(c);
        } else {
            // ':' is encoded too: in a relative reference it would read as a scheme.
            out += '%';
            out += hex[c >> 4];
            out += hex[c & 0xF];
        }
    }
    return out;
}

std::string markdown_inline(std::string_view s, bool in_table) {
    // Characters CommonMark/GFM could read as markup or HTML; the backslash
    // escape renders each as itself.
    static constexpr std::string_view kEscaped = "\\*[]<>|~&#!";
    std::string out;
    std::size_t i = 0;
    while (i < s.size()) {
        char c = s[i];
        if (c == '`') {
            // A code span needs a closing run of exactly the same length.
            std::size_t k = backtick_run(s, i), close = std::string_view::npos;
            for (std::size_t j = i + k; j < s.size();) {
                std::size_t m = backtick_run(s, j);
                if (m == k) {
                    close = j;
                    break;
                }
                j += m ? m : 1;
            }
            if (close == std::string_view::npos) {
                for (std::size_t n = 0; n < k; ++n) out += "\\`";
            } else {
                out.append(k, '`');
                append_code_text(out, s.substr(i + k, close - i - k), in_table);
                out.append(k, '`');
                k = close + k - i;
            }
            i += k;
        } else if (c == '@' && (i == 0 || !is_word(s[i - 1])) && i + 1 < s.size() &&
                   is_word(s[i + 1])) {
            // GitHub turns "@word" into a mention (and notifies whoever owns the
            // name); inside a code span it stays text. Annotations read well so.
            std::size_t end = i + 1;
            while (end < s.size() && is_word(s[end])) ++end;
            out += '`';
            out += s.substr(i, end - i);
            out += '`';
            i = end;
        } else if (c == '\r' || c == '\n') {
            if (c == '\r' && i + 1 < s.size() && s[i + 1] == '\n') ++i;  // CRLF: one break
            out += in_table ? "<br>" : " ";
            ++i;
        } else {
            // '_' inside a word never starts emphasis in GFM: snake_case stays readable.
            bool intraword_underscore =
                c == '_' && i > 0 && i + 1 < s.size() && is_word(s[i - 1]) && is_word(s[i + 1]);
            if ((c == '_' && !intraword_underscore) || kEscaped.find(c) != std::string_view::npos)
                out += '\\';
            out += c;
            ++i;
        }
    }
    return out;
}

std::string markdown_code(std::string_view text, bool in_table) {
    if (text.empty()) return "";
    std::string fence(longest_backtick_run(text) + 1, '`');
    // A span starting or ending with a backtick (or with spaces on both ends)
    // needs one padding space on each side, which GFM strips again.
    bool pad =
        text.front() == '`' || text.back() == '`' || (text.front() == ' ' && text.back() == ' ');
    std::string out = fence + (pad ? " " : "");
    append_code_text(out, text, in_table);
    return out + (pad ? " " : "") + fence;
}

std::string markdown_code_block(std::string_view text, std::string_view lang) {
    std::string fence(std::max<std::size_t>(3, longest_backtick_run(text) + 1), '`');
    std::string out = fence + std::string(lang) + "\n" + std::string(text);
    if (!text.empty() && text.back() != '\n') out += '\n';
    return out + fence + "\n";
}

std::string rule_help_uri(std::string_view rule_id, std::string_view version) {
    // Custom rules are defined (and documented) by the user's configuration:
    // they share one anchor about `custom_rules`.
    if (rule_id.rfind("custom:", 0) == 0) rule_id = "custom-rules";
    // The rules as this version has them: the tag, not a moving branch.
    std::string ref = version.empty() ? std::string("main") : "v" + std::string(version);
    return std::string(kInformationUri) + "/blob/" + ref + "/docs/rules.md#" + std::string(rule_id);
}

const RuleInfo* rule_info(std::string_view rule_id) {
    const Rule* r = find_rule(rule_id);
    return r ? &r->info() : nullptr;
}

std::string baseline_note(const RunResult& run) {
    // Nothing left out (a change set with new findings only): no line to read.
    if (run.baseline_path.empty() || run.baselined == 0) return "";
    return std::to_string(run.baselined) + (run.baselined == 1 ? " finding" : " findings") +
           " left out by the baseline " + std::string(strip_dot_prefix(run.baseline_path)) +
           " (they still count towards risk; --no-baseline shows them)\n";
}

void write_report(std::string_view format, const RunResult& run, const ReportOptions& opts,
                  std::ostream& out) {
    if (format == "json")
        write_json(run, opts, out);
    else if (format == "sarif")
        write_sarif(run, opts, out);
    else if (format == "github")
        write_github(run, opts, out);
    else if (format == "markdown")
        write_markdown(run, opts, out);
    else if (format == "gitlab")
        write_gitlab(run, opts, out);
    else if (format == "html")
        write_html(run, opts, out);
    else
        write_text(run, opts, out);
}

}  // namespace pgw
