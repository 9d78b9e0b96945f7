#include "cli/check_command.h"

#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <functional>
#include <iostream>
#include <map>
#include <memory>
#include <sstream>
#include <thread>

#include "cli/baseline.h"
#include "cli/governed.h"
#include "cli/inputs.h"
#include "cli/suggest.h"
#include "engine/rule.h"
#include "frontend/atomic_file.h"
#include "frontend/source.h"
#include "git/repo.h"
#include "report/report.h"
#include "tools/tool.h"

namespace pgw {

namespace {

// Standard input, at most kMaxInputBytes; a read error is exit 2, never an
// empty migration.
std::string read_stdin() {
    std::string bytes, error;
    if (!read_capped(STDIN_FILENO, bytes, error)) throw UsageError("standard input: " + error);
    return bytes;
}

struct Prepared {
    Config config;
    Gathered gathered;
    std::string root;  // the repository root (absolute), "" outside one
    // Without --config: the other configs files are governed by (SPEC §6),
    // loaded once each with the command line's overrides.
    bool nearest = false;
    bool narrow = false;  // no paths given: files come from configured folders
    std::function<const Config&(const std::string&)> load;
};

RunResult run_prepared(const Prepared& p) {
    if (!p.nearest) return run_check(p.gathered.inputs, p.config, p.gathered.options);
    return run_governed(p.gathered.inputs, p.config, p.load, p.gathered.options, p.narrow,
                        p.gathered.finder);
}

Prepared prepare(CheckArgs& a) {
    a.diff_base_given = a.diff_base_option && a.diff_base_option->count() > 0;
    if (a.diff_base_given && a.diff_base.empty())
        throw UsageError("--diff-base: expected a revision (a branch, tag or commit), got ''");
    if (a.staged && !a.diff_base.empty())
        throw UsageError("--staged and --diff-base cannot be combined");
    if (!a.stdin_filename.empty() &&
        (a.staged || !a.diff_base.empty() ||
         (!a.paths.empty() && a.paths != std::vector<std::string>{"-"})))
        throw UsageError("--stdin-filename reads one migration: no paths, --staged or --diff-base");
    // `check -` reads standard input (SPEC §1), reported as --stdin-filename
    // when given, else as "-".
    bool dash = std::find(a.paths.begin(), a.paths.end(), "-") != a.paths.end();
    if (dash) {
        if (a.paths.size() > 1 || a.staged || !a.diff_base.empty())
            throw UsageError(
                "-: standard input is one migration: no other paths, --staged or "
                "--diff-base");
        a.paths.clear();
        if (a.stdin_filename.empty()) a.stdin_filename = "-";
    }
    // --staged / --diff-base from outside the repository that holds the
    // paths: git is asked there (SPEC §1), so the run moves into it.
    if ((a.staged || !a.diff_base.empty()) && !a.paths.empty()) {
        std::string root = repository_root(a.paths.front());
        std::error_code ec;
        if (!root.empty() && repository_root(".").empty()) {
            for (std::string& path : a.paths)
                path = std::filesystem::absolute(path, ec).lexically_normal().string();
            if (!a.config.empty())
                a.config = std::filesystem::absolute(a.config, ec).lexically_normal().string();
            std::filesystem::current_path(root, ec);
            if (ec) throw UsageError(root + ": cannot enter: " + ec.message());
        }
    }
    Prepared p{build_config(a), {}, {}};
    // Standard input without a name: no file name for file-naming to judge.
    if (a.stdin_filename == "-" && !p.config.rule_severity.count("file-naming"))
        p.config.rule_severity["file-naming"] = Severity::off;
    if (!a.stdin_filename.empty()) {
        Input in;
        in.path = a.stdin_filename;
        in.content = read_stdin();
        in.has_content = true;
        p.gathered.inputs.push_back(std::move(in));
    } else {
        p.nearest = a.config.empty();
        p.narrow = a.paths.empty();
        if (p.nearest)
            p.load = [configs = std::make_shared<std::map<std::string, std::unique_ptr<Config>>>(),
                      a](const std::string& path) -> const Config& {
                auto& slot = (*configs)[path];
                if (!slot) {
                    CheckArgs with = a;
                    with.config = path;
                    slot = std::make_unique<Config>(build_config(with));
                }
                return *slot;
            };
        p.gathered = gather_inputs(Selection{a.paths, a.staged, a.diff_base, p.load}, p.config);
    }
    p.gathered.options.jobs = a.jobs ? a.jobs : std::max(1u, std::thread::hardware_concurrency());
    // The repository that holds the paths: its root is where SARIF, GitHub and
    // GitLab paths and the fingerprints start (SPEC §1).
    std::string first = !a.paths.empty()         ? a.paths.front()
                        : !p.config.path.empty() ? p.config.path
                                                 : ".";
    p.root = repository_root(first);
    return p;
}

// "https://github.com/OWNER/REPO/blob/SHA/" inside a GitHub Actions job (the
// variables every job has), else "": Markdown links then stay relative.
// https://docs.github.com/en/actions/learn-github-actions/variables#default-environment-variables
std::string github_blob_base() {
    const char* server = std::getenv("GITHUB_SERVER_URL");
    const char* repo = std::getenv("GITHUB_REPOSITORY");
    const char* sha = std::getenv("GITHUB_SHA");
    if (!server || !repo || !sha || !*server || !*repo || !*sha) return "";
    std::string base = server;
    while (!base.empty() && base.back() == '/') base.pop_back();
    return base + "/" + repo + "/blob/" + sha + "/";
}

}  // namespace

std::string suggest_rule(const std::string& id) {
    std::vector<std::string> ids;
    for (const Rule* r : all_rules()) ids.push_back(r->info().id);
    std::string hint = did_you_mean(id, ids);
    return hint.empty() ? " (see `pgwarden rules`)" : hint;
}

void add_run_options(CLI::App& c, CheckArgs& a) {
    c.add_option("paths", a.paths, "files and folders (default: configured migrations, else .)");
    c.add_option("--config", a.config, "config file (default: .pgwarden.json, searched upward)");
    c.add_option("--pg-version", a.pg_version, "target PostgreSQL major version (default 15)");
    c.add_flag("--assume-in-transaction", a.assume_in_transaction,
               "the runner wraps each file in a transaction");
    c.add_option("--enable", a.enable, "turn a rule on (repeatable)")->allow_extra_args(false);
    c.add_option("--disable", a.disable, "turn a rule off (repeatable)")->allow_extra_args(false);
    c.add_option("--severity", a.severity, "RULE=error|warning|info (repeatable)")
        ->allow_extra_args(false);
    c.add_option("--jobs", a.jobs, "worker threads (default: number of cores)");
    c.add_option("--stdin-filename", a.stdin_filename, "read one migration from stdin");
    c.add_option("--tool", a.tool, "the migration tool instead of detecting it (auto, goose, ...)");
    c.add_flag("--staged", a.staged, "lint the staged (index) content of staged migrations");
    a.diff_base_option =
        c.add_option("--diff-base", a.diff_base,
                     "lint migrations added or changed since the merge base with REV");
}

void add_report_options(CLI::App& c, CheckArgs& a) {
    c.add_option("--format", a.format, "text|concise|json|sarif|github|markdown|gitlab");
    c.add_option("--color", a.color,
                 "auto|always|never (default auto: a terminal, NO_COLOR unset)");
    c.add_flag("--statistics", a.statistics, "after the report, one line per rule: its findings");
    c.add_option("--output", a.output, "write the report to FILE");
    c.add_option("--fail-on", a.fail_on, "error|warning|never (default error)");
    c.add_option("--baseline", a.baseline,
                 "the baseline to apply (default: .pgwarden-baseline.json beside the config)");
    c.add_flag("--no-baseline", a.no_baseline, "apply no baseline");
    c.add_option("--annotations", a.annotations,
                 "with --format github: at most N annotations, most important first (default 50)");
    c.add_option("--markdown-limit", a.markdown_limit,
                 "with --format markdown: the size budget in bytes (default 65536)");
}

Config build_config(const CheckArgs& a) {
    // The config of the first path (SPEC §6: files under another config are
    // linted with theirs, cli/governed.h), else the nearest above
    // the current folder: the same config wherever pgwarden is started.
    std::string start = !a.paths.empty() && a.paths.front() != "-" ? a.paths.front() : ".";
    std::string path = a.config.empty() ? find_config(start) : a.config;
    if (path.empty() && start != ".") path = find_config(".");
    Config config = path.empty() ? Config{} : load_config(path);
    if (path.empty()) finalize_config(config);
    if (a.pg_version) {
        if (a.pg_version < 9 || a.pg_version > 18)
            throw UsageError("--pg-version: expected a major version between 9 and 18");
        config.pg_version = a.pg_version;
    }
    if (a.assume_in_transaction) config.assume_in_transaction = true;
    if (!a.tool.empty()) {
        if (a.tool != "auto" && !tools::find_tool(a.tool))
            throw UsageError("--tool: unknown migration tool '" + a.tool + "' (auto, " +
                             tools::tool_names() + ")");
        config.tool = a.tool;
    }
    auto known = [](const std::string& id, const std::string& flag) {
        if (!find_rule(id) && id.rfind("custom:", 0) != 0)
            throw UsageError(flag + ": unknown rule '" + id + "'" + suggest_rule(id));
    };
    // A comma list is accepted too (SPEC §1): --disable a,b.
    auto split = [](const std::vector<std::string>& given) {
        std::vector<std::string> out;
        for (const std::string& item : given) {
            std::size_t from = 0;
            while (from <= item.size()) {
                std::size_t comma = std::min(item.find(',', from), item.size());
                std::string id = item.substr(from, comma - from);
                while (!id.empty() && id.front() == ' ') id.erase(0, 1);
                while (!id.empty() && id.back() == ' ') id.pop_back();
                if (!id.empty()) out.push_back(id);
                from = comma + 1;
            }
        }
        return out;
    };
    for (const auto& id : split(a.enable)) {
        known(id, "--enable");
        const Rule* r = find_rule(id);
        Severity def = r ? r->info().default_severity : Severity::error;
        config.rule_severity[id] = def == Severity::off ? Severity::warning : def;
    }
    for (const auto& id : split(a.disable))
        known(id, "--disable"), config.rule_severity[id] = Severity::off;
    for (const auto& spec : a.severity) {
        auto eq = spec.find('=');
        auto sev = eq == std::string::npos ? std::nullopt : parse_severity(spec.substr(eq + 1));
        if (!sev)
            throw UsageError("--severity: expected RULE=error|warning|info, got '" + spec + "'");
        known(spec.substr(0, eq), "--severity");
        config.rule_severity[spec.substr(0, eq)] = *sev;
    }
    return config;
}

int run_check_command(CheckArgs& a, const std::string& version) {
    static const std::vector<std::string> formats = {"text",   "concise",  "json",  "sarif",
                                                     "github", "markdown", "gitlab"};
    if (std::find(formats.begin(), formats.end(), a.format) == formats.end())
        throw UsageError("--format: unsupported format '" + a.format + "'" +
                         did_you_mean(a.format, formats));
    if (a.color != "auto" && a.color != "always" && a.color != "never")
        throw UsageError("--color: expected auto, always or never, got '" + a.color + "'");
    auto fail_on =
        a.fail_on == "never" ? std::optional<Severity>(Severity::off) : parse_severity(a.fail_on);
    if (!fail_on || *fail_on == Severity::info)
        throw UsageError("--fail-on: expected error, warning or never");
    if (a.annotations < 0) throw UsageError("--annotations: expected 0 or more");
    if (a.markdown_limit < 1024) throw UsageError("--markdown-limit: expected at least 1024 bytes");
    if (!a.baseline.empty() && a.no_baseline)
        throw UsageError("--baseline and --no-baseline cannot be combined");

    Prepared p = prepare(a);
    RunResult run = run_prepared(p);
    if (!a.no_baseline) {
        std::string bp = a.baseline.empty() ? baseline_path(p.config, p.root) : a.baseline;
        std::optional<Baseline> baseline = read_baseline(bp);
        if (!baseline && !a.baseline.empty())
            throw UsageError("--baseline: " + a.baseline + ": no such file");
        if (baseline) {
            apply_baseline(run, *baseline, p.root);
            run.baseline_path = bp;
        }
    }

    // A report file is written whole or not at all (atomic_file.h).
    AtomicStream file;
    std::string error;
    if (!a.output.empty() && !file.open(a.output, error)) throw UsageError(error);
    std::ostream& out = a.output.empty() ? std::cout : file.out();
    ReportOptions opts;
    bool terminal_format = a.format == "text" || a.format == "concise";
    // auto: a terminal and no NO_COLOR (https://no-color.org); always and never win.
    opts.color = terminal_format &&
                 (a.color == "always" || (a.color == "auto" && a.output.empty() &&
                                          ::isatty(STDOUT_FILENO) && !std::getenv("NO_COLOR")));
    opts.concise = a.format == "concise";
    opts.config = &p.config;
    opts.version = version;
    opts.source_root = p.root;
    opts.annotations = static_cast<std::size_t>(a.annotations);
    opts.markdown_limit = static_cast<std::size_t>(a.markdown_limit);
    opts.blob_base = github_blob_base();
    write_report(a.format, run, opts, out);
    // After the report; on stderr where it would break a machine-read document.
    if (a.statistics) {
        bool document = a.format == "json" || a.format == "sarif" || a.format == "gitlab";
        write_statistics(run, document ? std::cerr : out);
    }
    out.flush();
    if (!out) throw UsageError((a.output.empty() ? "stdout" : a.output) + ": write failed");
    if (!a.output.empty() && !file.commit(error)) throw UsageError(error);

    if (*fail_on == Severity::off) return 0;
    for (const auto& f : run.files)
        for (const auto& finding : f.findings)
            if (finding.severity >= *fail_on) return 1;
    return 0;
}

int run_baseline_command(CheckArgs& a) {
    Prepared p = prepare(a);
    RunResult run = run_prepared(p);
    std::string path = baseline_path(p.config, p.root);
    std::size_t n = write_baseline(path, run, p.root);
    std::cout << "wrote " << path << ": " << n << (n == 1 ? " finding" : " findings") << " in "
              << run.files.size() << (run.files.size() == 1 ? " file" : " files")
              << "; `pgwarden check` leaves them out until their statement changes\n";
    return 0;
}

}  // namespace pgw
