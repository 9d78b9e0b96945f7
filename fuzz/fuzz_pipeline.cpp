// libFuzzer target: the whole file pipeline, bytes in, every report format out.
// The file is linted with every rule on (the opt-in ones too), a protected
// table, a required header and a custom rule, under one of several file names
// (up, down and Diesel-style migrations are linted differently).
#include <cstddef>
#include <cstdint>
#include <sstream>
#include <string>

#include "cli/runner.h"
#include "engine/config.h"
#include "engine/rule.h"
#include "report/report.h"

namespace {

const pgw::Config& fuzz_config() {
    static const pgw::Config config = [] {
        pgw::Config c;
        for (const pgw::Rule* rule : pgw::all_rules())
            if (rule->info().default_severity == pgw::Severity::off)
                c.rule_severity[rule->info().id] = pgw::Severity::warning;
        c.protected_tables = {"users", "public.accounts"};
        c.header_required = {"migration", "risk"};
        c.object_naming = {{"table", "[a-z_][a-z0-9_]*"},
                           {"index", "idx_{table}_{columns}"},
                           {"foreign_key", "fk_{table}_{ref_table}"},
                           {"check", "ck_{table}_{columns}"}};
        c.custom_rules.push_back({"no-cascade",
                                  "(?i)\\bcascade\\b",
                                  {"DropStmt"},
                                  pgw::Severity::warning,
                                  "CASCADE drops dependents"});
        pgw::finalize_config(c);
        return c;
    }();
    return config;
}

const char* const kNames[] = {"V1__fuzz.sql", "001_fuzz.down.sql", "2024-01-01-000000_fuzz/up.sql",
                              "2024-01-01-000000_fuzz/down.sql", "20240101_fuzz_rollback.sql"};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    const pgw::Config& config = fuzz_config();
    std::string text(reinterpret_cast<const char*>(data), size);
    const char* name = kNames[size == 0 ? 0 : data[size - 1] % std::size(kNames)];

    pgw::RunResult run;
    run.files.push_back(pgw::lint_text(name, text, config));
    run.summarize();

    pgw::ReportOptions opts;
    opts.config = &config;
    opts.version = "fuzz";
    std::ostringstream out;
    pgw::write_text(run, opts, out);
    opts.color = true;
    pgw::write_text(run, opts, out);
    opts.color = false;
    pgw::write_json(run, opts, out);
    pgw::write_sarif(run, opts, out);
    pgw::write_github(run, opts, out);
    pgw::write_markdown(run, opts, out);
    pgw::write_gitlab(run, opts, out);
    return 0;
}
