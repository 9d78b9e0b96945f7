// GitHub Actions workflow commands (SPEC §7): one `::error|warning|notice`
// line per finding, which the runner turns into an annotation on the pull
// request's diff. Escaping follows @actions/core (toCommandValue/escapeData/
// escapeProperty) exactly, so a message can never end the command early or
// smuggle in properties.
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

}  // namespace

void write_github(const RunResult& run, const ReportOptions&, std::ostream& out) {
    for (const FileReport& file : run.files) {
        for (const Finding& f : file.findings) {
            int line = std::max(f.start.line, 1);
            int end_line = std::max(f.end.line, line);
            std::string props = "file=" + escape_property(strip_dot_prefix(f.path)) +
                                ",line=" + std::to_string(line) +
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
    }
    // A plain log line, not a command: it would otherwise be one more annotation.
    out << "pgwarden: " << plural(run.files.size(), "file")
        << " checked: " << plural(run.errors, "error") << ", " << plural(run.warnings, "warning")
        << ", " << plural(run.infos, "info");
    if (run.risk != Risk::none) out << "; highest risk " << to_string(run.risk);
    out << "\n";
}

}  // namespace pgw
