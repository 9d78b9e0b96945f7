// Layer "report": one file per output format and their shared helpers. May
// include frontend/, schema/, sets/ and engine/ (findings), never rules/ or cli/.
//
// Reporters turn a finished run into text. They read findings and never judge SQL.
#pragma once

#include <ostream>
#include <string>
#include <vector>

#include "engine/config.h"
#include "engine/engine.h"

namespace pgw {

struct ReportOptions {
    bool color = false;
    const Config* config = nullptr;
    std::string version;
    // SARIF's %SRCROOT%, the folder relative paths start from: empty means the
    // current folder.
    std::string source_root;
};

void write_text(const RunResult& run, const ReportOptions& opts, std::ostream& out);
void write_json(const RunResult& run, const ReportOptions& opts, std::ostream& out);
void write_sarif(const RunResult& run, const ReportOptions& opts, std::ostream& out);
void write_github(const RunResult& run, const ReportOptions& opts, std::ostream& out);
void write_markdown(const RunResult& run, const ReportOptions& opts, std::ostream& out);
void write_gitlab(const RunResult& run, const ReportOptions& opts, std::ostream& out);
// One self-contained page (SPEC §9): findings, the traced statements per
// migration, and the schema comparisons side by side.
void write_html(const RunResult& run, const ReportOptions& opts, std::ostream& out);

// The Markdown report stays below this many bytes (GitHub's PR comment limit is
// 65,536 characters): past it, whole findings are left out and counted.
constexpr std::size_t kMarkdownLimit = 65000;

}  // namespace pgw
