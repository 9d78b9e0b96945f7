// The human report: `path:line:col: severity[rule] message`, the source with a
// caret under the span, the help text, then a risk line per file and a summary.
#include <algorithm>
#include <array>
#include <map>
#include <set>

#include "report/report.h"
#include "report/tables.h"
#include "report/terminal.h"
#include "report/util.h"

namespace pgw {

namespace {

struct Style {
    bool on;
    std::string wrap(std::string_view code, std::string_view text) const {
        if (!on) return std::string(text);
        return "\x1b[" + std::string(code) + "m" + std::string(text) + "\x1b[0m";
    }
};

std::string_view severity_color(Severity s) {
    return s == Severity::error ? "1;31" : s == Severity::warning ? "1;33" : "1;36";
}

// Characters of `line`, so a caret lines up under multi-byte text and tabs.
std::vector<std::string_view> characters(std::string_view line) {
    std::vector<std::string_view> out;
    for (std::size_t i = 0; i < line.size();) {
        std::size_t n = 1;
        while (i + n < line.size() && (static_cast<unsigned char>(line[i + n]) & 0xC0) == 0x80) ++n;
        out.push_back(line.substr(i, n));
        i += n;
    }
    return out;
}

// At most this many characters of a source line are quoted per finding: a
// 33 KB one-line file quoted whole under each of its findings made a 198 MB report.
constexpr std::size_t kQuoteChars = 160;
constexpr std::size_t kQuoteBefore = 40;  // characters kept before the span when cut

void quote_source(const FileReport& file, const Finding& f, const Style& style, std::ostream& out) {
    auto it = file.lines.find(f.start.line);
    if (it == file.lines.end()) return;
    std::string number = std::to_string(f.start.line);
    std::string gutter(number.size(), ' ');
    auto chars = characters(it->second);
    std::size_t from = static_cast<std::size_t>(std::max(f.start.column, 1) - 1);
    std::size_t to =
        f.end.line == f.start.line ? static_cast<std::size_t>(f.end.column) : chars.size();
    to = std::max(std::min(to, chars.size()), from + 1);
    // The window shown: the whole line, or kQuoteChars around the span's start.
    std::size_t begin = 0, end = chars.size();
    if (chars.size() > kQuoteChars) {
        begin = from > kQuoteBefore ? std::min(from - kQuoteBefore, chars.size() - kQuoteChars) : 0;
        end = begin + kQuoteChars;
    }
    std::string line = begin > 0 ? "..." : "", pad(begin > 0 ? 3 : 0, ' '), carets;
    for (std::size_t i = begin; i < end; ++i) {
        // Escaped characters (terminal.h) take their escape's width in the pad.
        std::string shown = terminal_char(chars[i]);
        bool escaped = shown.size() > 1 && shown[0] == '\\';
        std::size_t width = escaped ? shown.size() : 1;
        line += shown;
        if (i < from)
            pad += chars[i] == "\t" ? std::string("\t") : std::string(width, ' ');
        else if (i < to)
            carets.append(width, '^');
    }
    if (end < chars.size()) line += "...";
    if (carets.empty()) carets = "^";
    out << style.wrap("34", number + " | ") << line << "\n";
    out << style.wrap("34", gutter + " | ") << pad << style.wrap(severity_color(f.severity), carets)
        << "\n";
}

}  // namespace

void write_text(const RunResult& run, const ReportOptions& opts, std::ostream& out) {
    Style style{opts.color};
    for (const FileReport& file : run.files) {
        // A rule's help paragraph once per file: the first finding carries it.
        std::set<std::pair<std::string, std::string>> helped;
        for (const Finding& f : file.findings) {
            out << style.wrap("1", terminal_safe(f.path.str()) + ":" +
                                       std::to_string(f.start.line) + ":" +
                                       std::to_string(f.start.column) + ":")
                << " "
                << style.wrap(severity_color(f.severity),
                              std::string(to_string(f.severity)) + "[" + f.rule + "]")
                << " " << terminal_safe(f.message) << (f.acknowledged ? " (acknowledged)" : "")
                << "\n";
            if (opts.concise) continue;
            quote_source(file, f, style, out);
            if (!f.help.empty() && helped.insert({f.rule, f.help.str()}).second)
                out << "  " << style.wrap("32", "help:") << " " << terminal_safe(f.help.str())
                    << "\n";
            if (!f.rollback_plan.empty())
                out << "  rollback plan: " << terminal_safe(f.rollback_plan) << "\n";
            out << "\n";
        }
    }
    if (!opts.concise) write_observation_tables_text(run, out);
    for (const FileReport& file : run.files) {
        if (opts.concise) break;
        if (file.risk == Risk::none && !file.declared_risk) continue;
        out << terminal_safe(file.path);
        if (!file.tool.empty() && file.tool != "plain") out << " (" << file.tool << ")";
        out << ": risk " << (file.risk == Risk::none ? "NONE" : to_string(file.risk));
        if (file.declared_risk) out << " (declared " << to_string(*file.declared_risk) << ")";
        if (opts.config && file.risk != Risk::none) {
            auto p = opts.config->risk_policy.find(file.risk);
            if (p != opts.config->risk_policy.end())
                out << ", " << p->second.approvals << " approval"
                    << (p->second.approvals == 1 ? "" : "s") << ", " << p->second.window;
        }
        out << "\n";
    }
    out << run.files.size() << (run.files.size() == 1 ? " file" : " files")
        << " checked: " << run.errors << (run.errors == 1 ? " error, " : " errors, ")
        << run.warnings << (run.warnings == 1 ? " warning, " : " warnings, ") << run.infos
        << (run.infos == 1 ? " info" : " infos");
    if (run.risk != Risk::none) out << "; highest risk " << to_string(run.risk);
    if (!run.skipped.empty())
        out << "; " << run.skipped.size() << (run.skipped.size() == 1 ? " file" : " files")
            << " skipped (not run by " << (run.skipped.size() == 1 ? "its" : "their")
            << " tool on PostgreSQL)";
    out << "\n";
    if (std::string note = baseline_note(run); !note.empty())
        out << terminal_safe(note.substr(0, note.size() - 1)) << "\n";
}

void write_statistics(const RunResult& run, std::ostream& out) {
    std::map<std::string, std::array<std::size_t, 3>> counts;  // error, warning, info
    for (const FileReport& file : run.files)
        for (const Finding& f : file.findings) {
            Severity s = shown_severity(f);
            ++counts[f.rule][s == Severity::error ? 0 : s == Severity::warning ? 1 : 2];
        }
    std::vector<std::pair<std::size_t, std::string>> order;
    for (const auto& [rule, c] : counts) order.emplace_back(c[0] + c[1] + c[2], rule);
    std::stable_sort(order.begin(), order.end(),
                     [](const auto& a, const auto& b) { return a.first > b.first; });
    static const char* names[3] = {"error", "warning", "info"};
    for (const auto& [total, rule] : order) {
        std::string line = std::to_string(total) + "\t" + rule + "\t";
        bool first = true;
        for (int i = 0; i < 3; ++i) {
            std::size_t n = counts[rule][i];
            if (!n) continue;
            line += (first ? "" : ", ") + std::to_string(n) + " " + names[i] + (n == 1 ? "" : "s");
            first = false;
        }
        out << line << "\n";
    }
}

}  // namespace pgw
