// The JSON report: the keys of SPEC §7, the tool of each file (files[].tool), and
// the files a tool does not run (skipped, when there are any).
// A verify run adds "verify" (what the server showed: observations_json in tables.h).
#include <charconv>
#include <nlohmann/json.hpp>
#include <string_view>
#include <unordered_map>

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
    using namespace std::string_view_literals;  // literals appended without strlen()
    std::string buf;
    auto key = [&](std::string_view name) {
        buf += ",\n      \""sv;
        buf += name;
        buf += "\": "sv;
    };
    auto number = [&](auto n) {
        char digits[24];
        char* end = std::to_chars(digits, digits + sizeof digits, n).ptr;  // 24 always suffice
        buf.append(digits, static_cast<std::size_t>(end - digits));
    };
    auto risk = [&](std::optional<Risk> r) {
        if (!r || *r == Risk::none)
            buf += "null"sv;
        else
            append_json_string(buf, to_string(*r));
    };
    // A rule's help is one string shared by all its findings, a file's path
    // by the file's: each is escaped once (help was a third of the report's
    // bytes, checked again for every finding).
    std::unordered_map<const std::string*, std::string> escaped_help;
    auto help = [&](const SharedText& t) {
        const std::string& text = t.str();
        auto [it, fresh] = escaped_help.try_emplace(&text);
        if (fresh) append_json_string(it->second, text);
        buf += it->second;
    };
    const std::string* last_path = nullptr;
    std::string escaped_path;
    auto path = [&](const SharedText& t) {
        const std::string& text = t.str();
        if (&text != last_path) {
            escaped_path.clear();
            append_json_string(escaped_path, text);
            last_path = &text;
        }
        buf += escaped_path;
    };
    auto flush = [&] {
        out << buf;
        buf.clear();
    };
    out << "{\n  \"tool\": " << dump_at_level({{"name", "pgwarden"}, {"version", opts.version}}, 1)
        << ",\n  \"files\": [";
    bool any = false;
    for (const FileReport& file : run.files) {
        buf += any ? ",\n    {\n      \"path\": "sv : "\n    {\n      \"path\": "sv;
        append_json_string(buf, file.path);
        key("risk"sv);
        risk(file.risk);
        key("declared_risk"sv);
        risk(file.declared_risk);
        key("statements"sv);
        number(file.statements);
        key("tool"sv);
        append_json_string(buf, file.tool.empty() ? "plain" : file.tool);
        buf += "\n    }"sv;
        any = true;
        flush();
    }
    out << (any ? "\n  ],\n  \"findings\": [" : "],\n  \"findings\": [");
    any = false;
    for (const FileReport& file : run.files) {
        for (const Finding& f : file.findings) {
            buf += any ? ",\n    {\n      \"rule\": "sv : "\n    {\n      \"rule\": "sv;
            append_json_string(buf, f.rule);
            key("severity"sv);
            append_json_string(buf, to_string(f.severity));
            key("category"sv);
            append_json_string(buf, to_string(f.category));
            key("acknowledged"sv);
            buf += f.acknowledged ? "true"sv : "false"sv;
            key("message"sv);
            append_json_string(buf, f.message);
            key("help"sv);
            help(f.help);
            key("path"sv);
            path(f.path);
            key("line"sv);
            number(f.start.line);
            key("column"sv);
            number(f.start.column);
            key("end_line"sv);
            number(f.end.line);
            key("end_column"sv);
            number(f.end.column);
            buf += "\n    }"sv;
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
            buf += any ? ",\n    {\n      \"path\": "sv : "\n    {\n      \"path\": "sv;
            append_json_string(buf, s.path);
            key("tool"sv);
            append_json_string(buf, s.tool);
            key("reason"sv);
            append_json_string(buf, s.reason);
            buf += "\n    }"sv;
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
