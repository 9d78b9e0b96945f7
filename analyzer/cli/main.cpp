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

#include "cli/check_command.h"
#include "cli/command_tree.h"
#include "cli/completion.h"
#include "cli/init.h"
#include "cli/inputs.h"
#include "cli/manpage.h"
#include "cli/runner.h"
#include "cli/suggest.h"
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
    add_run_options(*c, check);
    add_report_options(*c, check);

    CheckArgs baseline_args;
    auto* baseline = app.add_subcommand(
        "baseline", "write .pgwarden-baseline.json: today's findings, which check leaves out");
    add_run_options(*baseline, baseline_args);

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
        std::cerr << "pgwarden: " << one_line(unknown_command_hint(app, argc, argv, ex.what()))
                  << "\n";
        return 2;
    }
    try {
        if (c->parsed()) return run_check_command(check, release_version());
        if (baseline->parsed()) return run_baseline_command(baseline_args);
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
                                                   : ExistingHook::refuse,
                                      running_binary())
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
