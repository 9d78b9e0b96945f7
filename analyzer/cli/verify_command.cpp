#include "cli/verify_command.h"

#include <unistd.h>

#include <algorithm>
#include <iostream>
#include <sstream>
#include <thread>

#include "cli/inputs.h"
#include "frontend/atomic_file.h"
#include "frontend/source.h"
#include "report/report.h"
#include "verify/plan.h"
#include "verify/verify.h"

#ifndef PGWARDEN_VERSION
#define PGWARDEN_VERSION "0.1.0"
#endif

namespace pgw {

int run_verify_command(const VerifyCommand& a, const Config& config) {
    static const std::vector<std::string> formats = {"text",     "json",   "sarif", "github",
                                                     "markdown", "gitlab", "html"};
    if (std::find(formats.begin(), formats.end(), a.format) == formats.end())
        throw std::runtime_error("--format: unsupported format '" + a.format + "'");
    auto fail_on =
        a.fail_on == "never" ? std::optional<Severity>(Severity::off) : parse_severity(a.fail_on);
    if (!fail_on || *fail_on == Severity::info)
        throw std::runtime_error("--fail-on: expected error, warning or never");
    if (a.staged && !a.diff_base.empty())
        throw std::runtime_error("--staged and --diff-base cannot be combined");
    if (!a.against.empty() && !a.drift) throw std::runtime_error("--against needs --drift");
    if (a.drift && a.database_url.empty())
        throw std::runtime_error("--drift needs --database-url URL: the live database to compare");

    // --against compares two live databases: files only serve the history check.
    Gathered gathered = gather_inputs(Selection{a.paths, a.staged, a.diff_base}, config);
    std::vector<VerifyInput> inputs;
    for (const Input& in : gathered.inputs) {
        VerifyInput v;
        v.path = in.path;
        v.base = gathered.options.change_set && !in.is_new;
        if (in.has_content)
            v.bytes = in.content;
        else if (!read_file_bytes(in.disk_path, v.bytes, v.error))
            v.error = in.disk_path + ": " + v.error;
        inputs.push_back(std::move(v));
    }
    std::vector<VerifySet> sets = plan_verify(inputs, config);

    VerifyOptions options;
    options.database_url = a.database_url;
    options.pg_bindir = a.pg_bindir;
    options.seed_path = a.seed;
    options.keep = a.keep;
    options.drift = a.drift;
    options.against = a.against;
    options.jobs = a.jobs ? a.jobs : std::max(1u, std::thread::hardware_concurrency());
    options.note = [](const std::string& line) {
        std::cerr << "pgwarden verify: " << line << "\n";
    };
    RunResult run;
    try {
        run = run_verify(sets, config, options);
    } catch (const VerifyError& e) {
        throw std::runtime_error(std::string("verify: ") + e.what());
    }

    AtomicStream file;  // written whole or not at all (atomic_file.h)
    std::string error;
    if (!a.output.empty() && !file.open(a.output, error)) throw std::runtime_error(error);
    std::ostream& out = a.output.empty() ? std::cout : file.out();
    ReportOptions opts;
    opts.color = a.output.empty() && a.format == "text" && ::isatty(STDOUT_FILENO) &&
                 !std::getenv("NO_COLOR");
    opts.config = &config;
    opts.version = PGWARDEN_VERSION;
    write_report(a.format, run, opts, out);
    out.flush();
    if (!out) throw std::runtime_error((a.output.empty() ? "stdout" : a.output) + ": write failed");
    if (!a.output.empty() && !file.commit(error)) throw std::runtime_error(error);

    if (*fail_on == Severity::off) return 0;
    for (const auto& f : run.files)
        for (const auto& finding : f.findings)
            if (finding.severity >= *fail_on) return 1;
    return 0;
}

}  // namespace pgw
