// Reporters turn a finished run into text. They read findings and never judge SQL.
#pragma once

#include <ostream>
#include <string>
#include <vector>

#include "config.h"
#include "engine.h"

namespace pgw {

struct RunResult {
    std::vector<FileReport> files;  // sorted by path
    std::size_t errors = 0, warnings = 0, infos = 0;
    Risk risk = Risk::none;  // the highest file risk

    void summarize();
};

struct ReportOptions {
    bool color = false;
    const Config* config = nullptr;
    std::string version;
};

void write_text(const RunResult& run, const ReportOptions& opts, std::ostream& out);
void write_json(const RunResult& run, const ReportOptions& opts, std::ostream& out);

}  // namespace pgw
