// GitHub Actions workflow commands (SPEC §7): one `::error|warning|notice`
// line per finding, which the runner turns into an annotation on the pull
// request's diff. Escaping follows @actions/core (toCommandValue/escapeData/
// escapeProperty) exactly, so a message can never end the command early or
// smuggle in properties.
#include <algorithm>

#include "report/report.h"
#include "report/util.h"

namespace pgw {

namespace {

// Command data: '%' first, so the escapes added after it stay intact.
std::string escape_data(std::string_view s) {
    std::string out;
    for (char c : s) {
        if (c == '%')
            out += "%25";
        else if (c == '\r')
            out += "%0D";
        else if (c == '\n')
            out += "%0A";
        else
            out += c;
    }
    return out;
}

// Property values also lose ':' and ',', which separate the command's parts.
std::string escape_property(std::string_view s) {
    std::string out;
    for (char c : escape_data(s)) {
        if (c == ':')
            out += "%3A";
        else if (c == ',')
            out += "%2C";
        else
            out += c;
    }
    return out;
}

std::string_view command_of(const Finding& f) {
    Severity s = shown_severity(f);
    return s == Severity::error ? "error" : s == Severity::warning ? "warning" : "notice";
}

std::string plural(std::size_t n, const char* word) {
    return std::to_string(n) + " " + word + (n == 1 ? "" : "s");
}

// GitHub shows only some annotations of a step (SPEC §7): the most important
// come first. 0: unacknowledged gated errors, 1: other errors, 2: warnings,
// 3: notices; then the higher risk; then the report's order.
int importance_class(const Finding& f) {
    Severity s = shown_severity(f);
    if (s == Severity::error) return is_gated(f.category) ? 0 : 1;
    return s == Severity::warning ? 2 : 3;
}

void write_annotation(const Finding& f, const std::string& path, std::ostream& out) {
    int line = std::max(f.start.line, 1);
    int end_line = std::max(f.end.line, line);
    std::string props = "file=" + escape_property(path) + ",line=" + std::to_string(line) +
                        ",endLine=" + std::to_string(end_line);
    // The runner drops columns (with a warning in the log) unless the
    // annotation starts and ends on one line. endColumn is inclusive,
    // like the annotation API's end_column.
    if (end_line == line) {
        int col = std::max(f.start.column, 1);
        props += ",col=" + std::to_string(col) +
                 ",endColumn=" + std::to_string(std::max(f.end.column, col));
    }
    props += ",title=" + escape_property("pgwarden " + f.rule);
    std::string message = f.message;
    if (f.acknowledged) message += " (acknowledged)";
    if (!f.help.empty()) message += "\n" + f.help.str();
    if (!f.rollback_plan.empty()) message += "\nrollback plan: " + f.rollback_plan;
    out << "::" << command_of(f) << " " << props << "::" << escape_data(message) << "\n";
}

}  // namespace

void write_github(const RunResult& run, const ReportOptions& opts, std::ostream& out) {
    std::vector<const Finding*> all;
    for (const FileReport& file : run.files)
        for (const Finding& f : file.findings) all.push_back(&f);
    std::stable_sort(all.begin(), all.end(), [](const Finding* a, const Finding* b) {
        int ca = importance_class(*a), cb = importance_class(*b);
        if (ca != cb) return ca < cb;
        return a->risk > b->risk;
    });
    std::size_t shown = std::min(all.size(), opts.annotations);
    // Paths relative to the repository root: what GitHub matches against the diff.
    for (std::size_t i = 0; i < shown; ++i)
        write_annotation(*all[i], root_relative(all[i]->path.str(), opts.source_root), out);
    if (shown < all.size()) {
        std::size_t counts[4] = {0, 0, 0, 0};
        for (std::size_t i = shown; i < all.size(); ++i) ++counts[importance_class(*all[i])];
        std::string left = plural(all.size() - shown, "more finding") + " (" +
                           plural(counts[0] + counts[1], "error") + ", " +
                           plural(counts[2], "warning") + ", " + plural(counts[3], "notice") +
                           ") not shown as annotations (--annotations " +
                           std::to_string(opts.annotations) +
                           "): the job summary and `pgwarden check --format text` list them all";
        out << "::notice title=" << escape_property("pgwarden: more findings")
            << "::" << escape_data(left) << "\n";
    }
    // A plain log line, not a command: it would otherwise be one more annotation.
    out << "pgwarden: " << plural(run.files.size(), "file")
        << " checked: " << plural(run.errors, "error") << ", " << plural(run.warnings, "warning")
        << ", " << plural(run.infos, "info");
    if (run.risk != Risk::none) out << "; highest risk " << to_string(run.risk);
    out << "\n" << baseline_note(run);
}

}  // namespace pgw
