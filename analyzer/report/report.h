// Layer "report": one file per output format and their shared helpers. May
// include frontend/, schema/, sets/ and engine/ (findings), never rules/ or cli/.
//
// Reporters turn a finished run into text. They read findings and never judge SQL.
#pragma once

#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "engine/config.h"
#include "engine/engine.h"

namespace pgw {

struct ReportOptions {
    bool color = false;
    // --format concise: write_text without source lines, help and risk lines.
    bool concise = false;
    const Config* config = nullptr;
    std::string version;
    // The repository root (absolute): SARIF's %SRCROOT%, the folder SARIF,
    // GitHub and GitLab paths and every fingerprint are relative to (SPEC §1).
    // Empty means the current folder.
    std::string source_root;
    // --format github: at most this many annotations, most important first.
    std::size_t annotations = 50;
    // --format markdown: the size budget in bytes (SPEC §7: 64 KiB for a
    // comment; the action passes 1 MiB for the job summary).
    std::size_t markdown_limit = 65536;
    // Where findings link to: "https://github.com/OWNER/REPO/blob/SHA/" (from
    // GITHUB_SERVER_URL, GITHUB_REPOSITORY, GITHUB_SHA), then the path from the
    // repository root; empty: links relative to the current folder.
    std::string blob_base;
};

void write_text(const RunResult& run, const ReportOptions& opts, std::ostream& out);
// --statistics: one line per rule, its findings by severity, most first.
void write_statistics(const RunResult& run, std::ostream& out);
void write_json(const RunResult& run, const ReportOptions& opts, std::ostream& out);
void write_sarif(const RunResult& run, const ReportOptions& opts, std::ostream& out);
void write_github(const RunResult& run, const ReportOptions& opts, std::ostream& out);
void write_markdown(const RunResult& run, const ReportOptions& opts, std::ostream& out);
void write_gitlab(const RunResult& run, const ReportOptions& opts, std::ostream& out);
// One self-contained page (SPEC §9): findings, the traced statements per
// migration, and the schema comparisons side by side.
void write_html(const RunResult& run, const ReportOptions& opts, std::ostream& out);
// The report in `format` ("json", "sarif", "github", "markdown", "gitlab",
// "html"; anything else is text, concise when opts.concise says so).
void write_report(std::string_view format, const RunResult& run, const ReportOptions& opts,
                  std::ostream& out);

}  // namespace pgw
