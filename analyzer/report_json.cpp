// The JSON report, with exactly the keys of SPEC §7.
#include <nlohmann/json.hpp>

#include "report.h"

namespace pgw {

using nlohmann::ordered_json;

void RunResult::summarize() {
    errors = warnings = infos = 0;
    risk = Risk::none;
    for (const FileReport& file : files) {
        risk = std::max(risk, file.risk);
        for (const Finding& f : file.findings) {
            if (f.severity == Severity::error) ++errors;
            else if (f.severity == Severity::warning) ++warnings;
            else ++infos;
        }
    }
}

namespace {

ordered_json risk_value(Risk r) {
    return r == Risk::none ? ordered_json(nullptr) : ordered_json(std::string(to_string(r)));
}

}  // namespace

void write_json(const RunResult& run, const ReportOptions& opts, std::ostream& out) {
    ordered_json doc;
    doc["tool"] = {{"name", "pgwarden"}, {"version", opts.version}};
    ordered_json files = ordered_json::array();
    ordered_json findings = ordered_json::array();
    for (const FileReport& file : run.files) {
        files.push_back({{"path", file.path},
                         {"risk", risk_value(file.risk)},
                         {"declared_risk", file.declared_risk ? risk_value(*file.declared_risk)
                                                              : ordered_json(nullptr)},
                         {"statements", file.statements}});
        for (const Finding& f : file.findings) {
            findings.push_back({{"rule", f.rule},
                                {"severity", to_string(f.severity)},
                                {"category", to_string(f.category)},
                                {"acknowledged", f.acknowledged},
                                {"message", f.message},
                                {"help", f.help},
                                {"path", f.path},
                                {"line", f.start.line},
                                {"column", f.start.column},
                                {"end_line", f.end.line},
                                {"end_column", f.end.column}});
        }
    }
    doc["files"] = std::move(files);
    doc["findings"] = std::move(findings);
    doc["summary"] = {{"files", run.files.size()},
                      {"errors", run.errors},
                      {"warnings", run.warnings},
                      {"infos", run.infos},
                      {"risk", risk_value(run.risk)}};
    // Replace invalid UTF-8 (a file name, a quoted line) rather than throw.
    out << doc.dump(2, ' ', false, ordered_json::error_handler_t::replace) << "\n";
}

}  // namespace pgw
