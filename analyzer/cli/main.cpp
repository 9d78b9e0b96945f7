// The command line (SPEC §1). Thin: it turns arguments into a Config and
// inputs, runs the checker and picks a reporter.
#include <sys/stat.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <sstream>
#include <thread>

#include "cli/command_tree.h"
#include "cli/completion.h"
#include "cli/init.h"
#include "cli/inputs.h"
#include "cli/manpage.h"
#include "cli/runner.h"
#include "cli/verify_command.h"
#include "cli/version.h"
#include "engine/config.h"
#include "engine/docs.h"
#include "engine/rule.h"
#include "frontend/atomic_file.h"
#include "frontend/source.h"
#include "git/hook.h"
#include "report/report.h"
#include "sets/discovery.h"
#include "tools/tool.h"

namespace {

using namespace pgw;

// A usage, config or I/O problem: one line on stderr, exit 2.
struct UsageError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

struct CheckArgs {
    std::vector<std::string> paths;
    std::string format = "text";
    std::string output;
    std::string config;
    int pg_version = 0;
    bool assume_in_transaction = false;
    std::vector<std::string> enable, disable, severity;
    std::string fail_on = "error";
    unsigned jobs = 0;
    std::string stdin_filename;
    std::string tool;
    bool staged = false;
    std::string diff_base;
    bool diff_base_given = false;  // `--diff-base ''` is an error, not a full scan
};

Config build_config(const CheckArgs& a) {
    std::string path = a.config.empty() ? find_config(".") : a.config;
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
            throw UsageError(flag + ": unknown rule '" + id + "' (see `pgwarden rules`)");
    };
    for (const auto& id : a.enable) {
        known(id, "--enable");
        const Rule* r = find_rule(id);
        Severity def = r ? r->info().default_severity : Severity::error;
        config.rule_severity[id] = def == Severity::off ? Severity::warning : def;
    }
    for (const auto& id : a.disable)
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

// Standard input, at most kMaxInputBytes; a read error is exit 2, never an
// empty migration.
std::string read_stdin() {
    std::string bytes, error;
    if (!read_capped(STDIN_FILENO, bytes, error)) throw UsageError("standard input: " + error);
    return bytes;
}

// One line, whatever the message holds (a file name with a newline, say).
std::string one_line(std::string_view text) {
    std::string out;
    for (char c : text) {
        if (c == '\n')
            out += "\\n";
        else if (c == '\r')
            out += "\\r";
        else
            out += c;
    }
    while (!out.empty() && (out.back() == ' ' || out.back() == '\t')) out.pop_back();
    return out;
}

int run_check_command(const CheckArgs& a) {
    static const std::vector<std::string> formats = {"text",   "json",     "sarif",
                                                     "github", "markdown", "gitlab"};
    if (std::find(formats.begin(), formats.end(), a.format) == formats.end())
        throw UsageError("--format: unsupported format '" + a.format + "'");
    auto fail_on =
        a.fail_on == "never" ? std::optional<Severity>(Severity::off) : parse_severity(a.fail_on);
    if (!fail_on || *fail_on == Severity::info)
        throw UsageError("--fail-on: expected error, warning or never");

    if (a.diff_base_given && a.diff_base.empty())
        throw UsageError("--diff-base: expected a revision (a branch, tag or commit), got ''");
    if (a.staged && !a.diff_base.empty())
        throw UsageError("--staged and --diff-base cannot be combined");
    if (!a.stdin_filename.empty() && (a.staged || !a.diff_base.empty() || !a.paths.empty()))
        throw UsageError("--stdin-filename reads one migration: no paths, --staged or --diff-base");
    Config config = build_config(a);
    Gathered gathered;
    if (!a.stdin_filename.empty()) {
        Input in;
        in.path = a.stdin_filename;
        in.content = read_stdin();
        in.has_content = true;
        gathered.inputs.push_back(std::move(in));
    } else {
        gathered = gather_inputs(Selection{a.paths, a.staged, a.diff_base}, config);
    }
    gathered.options.jobs = a.jobs ? a.jobs : std::max(1u, std::thread::hardware_concurrency());
    RunResult run = run_check(gathered.inputs, config, gathered.options);

    // A report file is written whole or not at all (atomic_file.h).
    std::ostringstream file;
    std::ostream& out = a.output.empty() ? std::cout : file;
    ReportOptions opts;
    opts.color = a.output.empty() && a.format == "text" && ::isatty(STDOUT_FILENO) &&
                 !std::getenv("NO_COLOR");
    opts.config = &config;
    opts.version = release_version();
    if (a.format == "json")
        write_json(run, opts, out);
    else if (a.format == "sarif")
        write_sarif(run, opts, out);
    else if (a.format == "github")
        write_github(run, opts, out);
    else if (a.format == "markdown")
        write_markdown(run, opts, out);
    else if (a.format == "gitlab")
        write_gitlab(run, opts, out);
    else
        write_text(run, opts, out);
    out.flush();
    if (!out) throw UsageError((a.output.empty() ? "stdout" : a.output) + ": write failed");
    std::string error;
    if (!a.output.empty() && !write_file_atomic(a.output, file.view(), error))
        throw UsageError(error);

    if (*fail_on == Severity::off) return 0;
    for (const auto& f : run.files)
        for (const auto& finding : f.findings)
            if (finding.severity >= *fail_on) return 1;
    return 0;
}

int init_command() {
    // lstat: a dangling symbolic link is there too, and is not written through.
    struct stat st {};
    if (::lstat(".pgwarden.json", &st) == 0)
        throw UsageError(S_ISLNK(st.st_mode)
                             ? ".pgwarden.json: already exists (a symbolic link), not overwritten"
                             : ".pgwarden.json: already exists, not overwritten");
    Config defaults;
    finalize_config(defaults);
    std::string text = starter_config(find_layout(defaults)), error;
    if (!write_file_atomic(".pgwarden.json", text, error, WriteMode{0666, true, false}))
        throw UsageError(error);
    std::cout << "wrote .pgwarden.json\n";
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    CLI::App app{"pgwarden: a static analyzer for PostgreSQL schema migrations"};
    app.set_version_flag("--version", version_text());
    app.require_subcommand(1);

    CheckArgs check;
    auto* c = app.add_subcommand("check", "lint migration files and folders");
    c->add_option("paths", check.paths,
                  "files and folders (default: configured migrations, else .)");
    c->add_option("--format", check.format, "text|json|sarif|github|markdown|gitlab");
    c->add_option("--output", check.output, "write the report to FILE");
    c->add_option("--config", check.config,
                  "config file (default: .pgwarden.json, searched upward)");
    c->add_option("--pg-version", check.pg_version, "target PostgreSQL major version (default 15)");
    c->add_flag("--assume-in-transaction", check.assume_in_transaction,
                "the runner wraps each file in a transaction");
    c->add_option("--enable", check.enable, "turn a rule on (repeatable)")->allow_extra_args(false);
    c->add_option("--disable", check.disable, "turn a rule off (repeatable)")
        ->allow_extra_args(false);
    c->add_option("--severity", check.severity, "RULE=error|warning|info (repeatable)")
        ->allow_extra_args(false);
    c->add_option("--fail-on", check.fail_on, "error|warning|never (default error)");
    c->add_option("--jobs", check.jobs, "worker threads (default: number of cores)");
    c->add_option("--stdin-filename", check.stdin_filename, "read one migration from stdin");
    c->add_option("--tool", check.tool,
                  "the migration tool instead of detecting it (auto, goose, ...)");
    c->add_flag("--staged", check.staged, "lint the staged (index) content of staged migrations");
    auto* diff_base =
        c->add_option("--diff-base", check.diff_base,
                      "lint migrations added or changed since the merge base with REV");

    std::vector<std::string> sum_paths;
    auto* sum = app.add_subcommand("sum", "write pgwarden.sum: a checksum per migration");
    sum->add_option("paths", sum_paths,
                    "files and folders (default: configured migrations, else .)");
    std::string sum_config;
    sum->add_option("--config", sum_config,
                    "config file (default: .pgwarden.json, searched upward)");

    auto* hook = app.add_subcommand("hook", "install or remove the git pre-commit hook");
    hook->require_subcommand(1);
    bool hook_chain = false, hook_force = false;
    auto* hook_install = hook->add_subcommand("install", "install hooks/pre-commit");
    hook_install->add_flag("--chain", hook_chain, "keep an existing hook and run it first");
    hook_install->add_flag("--force", hook_force, "replace an existing hook (a backup is kept)");
    auto* hook_uninstall = hook->add_subcommand("uninstall", "remove pgwarden's hook");

    std::string rules_format = "text";
    auto* r = app.add_subcommand("rules", "list every rule");
    r->add_option("--format", rules_format, "text|json|markdown");

    std::string explain_id;
    auto* e = app.add_subcommand("explain", "full documentation of one rule");
    e->add_option("rule", explain_id, "rule id")->required();

    auto* init = app.add_subcommand("init", "write a starter .pgwarden.json");

    // verify (SPEC §9): check's options where they apply, and its own.
    VerifyCommand verify;
    CheckArgs verify_config;
    auto* v =
        app.add_subcommand("verify", "apply the migrations to a real PostgreSQL and check them");
    v->add_option("paths", verify.paths,
                  "files and folders (default: configured migrations, else .)");
    v->add_option("--format", verify.format, "text|json|sarif|github|markdown|gitlab|html");
    v->add_option("--output", verify.output, "write the report to FILE");
    v->add_option("--config", verify_config.config,
                  "config file (default: .pgwarden.json, searched upward)");
    v->add_option("--tool", verify_config.tool,
                  "the migration tool instead of detecting it (auto, goose, ...)");
    v->add_option("--enable", verify_config.enable, "turn a rule on (repeatable)")
        ->allow_extra_args(false);
    v->add_option("--disable", verify_config.disable, "turn a rule off (repeatable)")
        ->allow_extra_args(false);
    v->add_option("--severity", verify_config.severity, "RULE=error|warning|info (repeatable)")
        ->allow_extra_args(false);
    v->add_option("--fail-on", verify.fail_on, "error|warning|never (default error)");
    v->add_option("--jobs", verify.jobs, "sets verified at once (default: number of cores)");
    v->add_flag("--staged", verify.staged, "trace the staged migrations, the others are the base");
    v->add_option("--diff-base", verify.diff_base,
                  "trace migrations added since REV, the others are the base");
    v->add_flag("--assume-in-transaction", verify_config.assume_in_transaction,
                "the runner wraps each file in a transaction");
    v->add_option(
        "--database-url", verify.database_url,
        "a scratch database to use instead of a private cluster (it is changed); with --drift, "
        "the live database");
    v->add_option("--pg-bindir", verify.pg_bindir, "PostgreSQL server binaries (initdb, pg_ctl)");
    v->add_option("--seed", verify.seed,
                  "SQL run after the base migrations (rows, so scans are real)");
    v->add_flag("--keep", verify.keep, "leave the cluster's folder (stopped) and say where");
    v->add_flag("--drift", verify.drift,
                "compare the migrations' schema with --database-url (read-only)");
    v->add_option("--against", verify.against,
                  "with --drift: compare --database-url with this database");

    // Generated from the definitions above (command_tree.h); `manpage` is
    // hidden: the build runs it to write pgwarden.1.
    std::string shell;
    auto* completion = app.add_subcommand("completion", "print a shell completion script");
    completion->add_option("shell", shell, "bash|zsh|fish")->required();
    auto* man = app.add_subcommand("manpage", "print the man page (troff)")->group("");

    try {
        app.parse(argc, argv);
    } catch (const CLI::CallForHelp& ex) {
        return app.exit(ex);
    } catch (const CLI::CallForAllHelp& ex) {
        return app.exit(ex);
    } catch (const CLI::CallForVersion& ex) {
        return app.exit(ex);
    } catch (const CLI::ParseError& ex) {
        std::cerr << "pgwarden: " << one_line(ex.what()) << "\n";
        return 2;
    }
    try {
        check.diff_base_given = diff_base->count() > 0;
        if (c->parsed()) return run_check_command(check);
        if (r->parsed()) {
            if (rules_format != "text" && rules_format != "json" && rules_format != "markdown")
                throw UsageError("--format: expected text, json or markdown");
            std::cout << (rules_format == "json"       ? rules_json()
                          : rules_format == "markdown" ? rules_markdown()
                                                       : rules_text());
            return 0;
        }
        if (e->parsed()) {
            std::string doc;
            if (!explain_rule(explain_id, doc))
                throw UsageError("unknown rule '" + explain_id + "' (see `pgwarden rules`)");
            std::cout << doc;
            return 0;
        }
        if (init->parsed()) return init_command();
        if (completion->parsed() || man->parsed()) {
            CommandSpec spec = describe_command_line(app);
            auto text =
                man->parsed() ? manpage(spec, version_text()) : completion_script(spec, shell);
            if (!text)
                throw UsageError("completion: expected bash, zsh or fish, got '" + shell + "'");
            std::cout << *text;
            return 0;
        }
        if (v->parsed()) return run_verify_command(verify, build_config(verify_config));
        if (sum->parsed()) {
            CheckArgs args;
            args.config = sum_config;
            SumUpdate u = update_sum(sum_paths, build_config(args));
            std::cout << "wrote " << u.path << ": " << u.added.size() << " added, "
                      << u.changed.size() << " changed, " << u.removed.size() << " removed\n";
            for (const auto& p : u.changed) std::cout << "  changed: " << p << "\n";
            for (const auto& p : u.removed) std::cout << "  removed: " << p << "\n";
            return 0;
        }
        if (hook_install->parsed()) {
            if (hook_chain && hook_force)
                throw UsageError("hook install: --chain or --force, not both");
            std::cout << install_hook(hook_force   ? ExistingHook::replace
                                      : hook_chain ? ExistingHook::chain
                                                   : ExistingHook::refuse)
                      << "\n";
            return 0;
        }
        if (hook_uninstall->parsed()) {
            std::cout << uninstall_hook() << "\n";
            return 0;
        }
    } catch (const std::bad_alloc&) {
        std::cerr << "pgwarden: out of memory\n";
        return 2;
    } catch (const std::exception& ex) {
        std::cerr << "pgwarden: " << one_line(ex.what()) << "\n";
        return 2;
    }
    return 2;
}
