// The JSON report: the keys of SPEC §7, the tool of each file (files[].tool), and
// the files a tool does not run (skipped, when there are any).
// A verify run adds "verify" (what the server showed: observations_json in tables.h).
#include <nlohmann/json.hpp>

#include "report/report.h"
#include "report/tables.h"
#include "report/util.h"

namespace pgw {

using nlohmann::ordered_json;

namespace {

ordered_json risk_value(Risk r) {
    return r == Risk::none ? ordered_json(nullptr) : ordered_json(std::string(to_string(r)));
}

}  // namespace

// The report is written as it is built, one file or finding at a time, by
// hand: a DOM of every finding would cost far more memory than the findings,
// and building one per finding was a quarter of a corpus run. The layout is
// what nlohmann's `dump(2)` of the whole document prints (golden tests).
void write_json(const RunResult& run, const ReportOptions& opts, std::ostream& out) {
    std::string buf;
    auto key = [&](const char* name) {
        buf += ",\n      \"";
        buf += name;
        buf += "\": ";
    };
    auto risk = [&](std::optional<Risk> r) {
        if (!r || *r == Risk::none)
            buf += "null";
        else
            append_json_string(buf, to_string(*r));
    };
    auto flush = [&] {
        out << buf;
        buf.clear();
    };
    out << "{\n  \"tool\": " << dump_at_level({{"name", "pgwarden"}, {"version", opts.version}}, 1)
        << ",\n  \"files\": [";
    bool any = false;
    for (const FileReport& file : run.files) {
        buf += any ? ",\n    {\n      \"path\": " : "\n    {\n      \"path\": ";
        append_json_string(buf, file.path);
        key("risk");
        risk(file.risk);
        key("declared_risk");
        risk(file.declared_risk);
        key("statements");
        buf += std::to_string(file.statements);
        key("tool");
        append_json_string(buf, file.tool.empty() ? "plain" : file.tool);
        buf += "\n    }";
        any = true;
        flush();
    }
    out << (any ? "\n  ],\n  \"findings\": [" : "],\n  \"findings\": [");
    any = false;
    for (const FileReport& file : run.files) {
        for (const Finding& f : file.findings) {
            buf += any ? ",\n    {\n      \"rule\": " : "\n    {\n      \"rule\": ";
            append_json_string(buf, f.rule);
            key("severity");
            append_json_string(buf, to_string(f.severity));
            key("category");
            append_json_string(buf, to_string(f.category));
            key("acknowledged");
            buf += f.acknowledged ? "true" : "false";
            key("message");
            append_json_string(buf, f.message);
            key("help");
            append_json_string(buf, f.help.str());
            key("path");
            append_json_string(buf, f.path.str());
            key("line");
            buf += std::to_string(f.start.line);
            key("column");
            buf += std::to_string(f.start.column);
            key("end_line");
            buf += std::to_string(f.end.line);
            key("end_column");
            buf += std::to_string(f.end.column);
            buf += "\n    }";
            any = true;
        }
        flush();
    }
    out << (any ? "\n  ],\n" : "],\n");
    // Files of migration folders their tool does not run on PostgreSQL.
    if (!run.skipped.empty()) {
        out << "  \"skipped\": [";
        any = false;
        for (const SkippedFile& s : run.skipped) {
            buf += any ? ",\n    {\n      \"path\": " : "\n    {\n      \"path\": ";
            append_json_string(buf, s.path);
            key("tool");
            append_json_string(buf, s.tool);
            key("reason");
            append_json_string(buf, s.reason);
            buf += "\n    }";
            any = true;
            flush();
        }
        out << "\n  ],\n";
    }
    nlohmann::ordered_json summary = {{"files", run.files.size()},
                                      {"errors", run.errors},
                                      {"warnings", run.warnings},
                                      {"infos", run.infos},
                                      {"risk", risk_value(run.risk)}};
    // Only when a baseline was applied: findings it left out (SPEC §10).
    if (!run.baseline_path.empty()) summary["baselined"] = run.baselined;
    out << "  \"summary\": " << dump_at_level(summary, 1);
    if (run.observations)
        out << ",\n  \"verify\": " << dump_at_level(observations_json(*run.observations), 1);
    out << "\n}\n";
}

}  // namespace pgw
