// The JSON report, with exactly the keys of SPEC §7.
#include <nlohmann/json.hpp>

#include "report.h"
#include "report_util.h"

namespace pgw {

using nlohmann::ordered_json;

void RunResult::summarize() {
    errors = warnings = infos = 0;
    risk = Risk::none;
    for (const FileReport& file : files) {
        risk = std::max(risk, file.risk);
        for (const Finding& f : file.findings) {
            if (f.severity == Severity::error)
                ++errors;
            else if (f.severity == Severity::warning)
                ++warnings;
            else
                ++infos;
        }
    }
}

namespace {

ordered_json risk_value(Risk r) {
    return r == Risk::none ? ordered_json(nullptr) : ordered_json(std::string(to_string(r)));
}

}  // namespace

// The report is written as it is built, one file or finding at a time: a DOM
// of every finding would cost far more memory than the findings themselves.
// The layout is what `dump(2)` of the whole document prints.
void write_json(const RunResult& run, const ReportOptions& opts, std::ostream& out) {
    auto dump = dump_at_level;
    auto array = [&](const char* key, auto&& each_item, bool last) {
        out << "  \"" << key << "\": [";
        bool any = false;
        each_item([&](const ordered_json& item) {
            out << (any ? ",\n    " : "\n    ") << dump(item, 2);
            any = true;
        });
        out << (any ? "\n  ]" : "]") << (last ? "\n" : ",\n");
    };
    out << "{\n  \"tool\": " << dump({{"name", "pgwarden"}, {"version", opts.version}}, 1) << ",\n";
    array(
        "files",
        [&](auto&& emit) {
            for (const FileReport& file : run.files)
                emit({{"path", file.path},
                      {"risk", risk_value(file.risk)},
                      {"declared_risk", file.declared_risk ? risk_value(*file.declared_risk)
                                                           : ordered_json(nullptr)},
                      {"statements", file.statements}});
        },
        false);
    array(
        "findings",
        [&](auto&& emit) {
            for (const FileReport& file : run.files)
                for (const Finding& f : file.findings)
                    emit({{"rule", f.rule},
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
        },
        false);
    out << "  \"summary\": "
        << dump({{"files", run.files.size()},
                 {"errors", run.errors},
                 {"warnings", run.warnings},
                 {"infos", run.infos},
                 {"risk", risk_value(run.risk)}},
                1)
        << "\n}\n";
}

}  // namespace pgw
