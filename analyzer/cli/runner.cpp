#include "cli/runner.h"

#include <unistd.h>

#include <atomic>
#include <set>
#include <thread>

#include "engine/engine.h"
#include "engine/rule.h"
#include "frontend/parse.h"
#include "frontend/sha256.h"
#include "sets/migration_set.h"
#include "sets/rollback_pairs.h"

namespace pgw {

namespace {

// A file that cannot be read at all is still reported, as a parse-error,
// so the report is never silently partial.
FileReport unreadable(const std::string& path, const std::string& reason) {
    FileReport r;
    r.path = path;
    Finding f;
    f.rule = "parse-error";
    f.severity = Severity::error;
    f.category = Category::file;
    f.message = "cannot read file: " + reason;
    f.path = path;
    r.findings.push_back(f);
    return r;
}

bool read_input(const Input& in, std::string& bytes, std::string& error) {
    if (in.has_content) {
        bytes = in.content;
        return true;
    }
    return read_file_bytes(in.disk_path, bytes, error);
}

std::unique_ptr<Migration> parse_input(const Input& in, std::string bytes, const Config& config) {
    return parse_migration(SourceFile::from_bytes(in.path, std::move(bytes)),
                           config.compiled_placeholders);
}

bool exists_on_disk(const std::string& path) {
    return ::access(path.c_str(), F_OK) == 0;
}

// SPEC §4: tables created by another migration that is new in the change set
// are not "existing" tables. Only new files are read for this, and only when
// the run is a change set.
std::vector<Catalog> new_tables_from_other_files(const std::vector<Input>& inputs,
                                                 const Config& config) {
    std::vector<Catalog> created(inputs.size());
    for (std::size_t i = 0; i < inputs.size(); ++i) {
        if (!inputs[i].is_new) continue;
        std::string bytes, error;
        if (!read_input(inputs[i], bytes, error)) continue;
        auto m = parse_input(inputs[i], std::move(bytes), config);
        for (const Statement& st : m->statements) created[i].apply(st);
    }
    std::vector<std::set<std::string, std::less<>>> tables(inputs.size());
    for (std::size_t j = 0; j < inputs.size(); ++j)
        if (inputs[j].is_new) tables[j] = created[j].new_tables();
    std::vector<Catalog> known(inputs.size());
    for (std::size_t i = 0; i < inputs.size(); ++i) {
        if (!inputs[i].lint) continue;  // only linted files are asked
        for (std::size_t j = 0; j < inputs.size(); ++j)
            if (i != j)
                for (const std::string& t : tables[j]) known[i].add_new_table(t);
    }
    return known;
}

// immutable-migration from pgwarden.sum: a listed file whose bytes changed.
void check_sum(const Input& in, const std::string& bytes, const RunOptions& options,
               FileFacts& facts) {
    if (!options.sum || in.sum_key.empty() || !facts.immutable.empty()) return;
    auto it = options.sum->find(in.sum_key);
    if (it != options.sum->end() && it->second != sha256_hex(bytes))
        facts.immutable = "its checksum differs from the one recorded in " + options.sum_path +
                          " (recorded " + it->second.substr(0, 12) + "..., now " +
                          sha256_hex(bytes).substr(0, 12) + "...)";
}

// Reads and parses one input; null when it cannot be read.
std::unique_ptr<Migration> load_input(const Input& in, const Config& config,
                                      const RunOptions& options, FileFacts& facts,
                                      std::string& error) {
    std::string bytes;
    if (!read_input(in, bytes, error)) return nullptr;
    check_sum(in, bytes, options, facts);
    return parse_input(in, std::move(bytes), config);
}

FileReport lint_parsed(const Input& in, const Migration* m, const std::string& error,
                       const Engine& engine, const Catalog& known, FileFacts& facts) {
    if (!m) return unreadable(in.path, error);
    return engine.lint(*m, known, FileOptions{facts.down, &facts});
}

FileReport lint_one(const Input& in, const Engine& engine, const Catalog& known, FileFacts& facts,
                    const RunOptions& options) {
    std::string error;
    auto m = load_input(in, engine.config(), options, facts, error);
    return lint_parsed(in, m.get(), error, engine, known, facts);
}

// A migration listed in pgwarden.sum that is gone: reported under its own path.
FileReport missing_from_sum(const std::string& path, const RunOptions& options,
                            const Config& config) {
    FileReport r;
    r.path = path;
    const Rule* rule = find_rule("immutable-migration");
    if (!rule) return r;
    const RuleInfo& info = rule->info();
    Severity severity = config.severity_of(info.id, info.default_severity);
    if (severity == Severity::off) return r;
    Finding f;
    f.rule = info.id;
    f.severity = severity;
    f.category = info.category;
    f.message = "migration listed in " + options.sum_path +
                " no longer exists: an applied migration must not be deleted";
    f.help = info.help;
    f.path = path;
    f.risk = info.risk;
    r.findings.push_back(f);
    return r;
}

}  // namespace

RunResult run_check(const std::vector<Input>& inputs, const Config& config,
                    const RunOptions& options) {
    Engine engine(config);
    std::vector<SetMember> members;
    for (const Input& in : inputs) members.push_back({in.path, in.at_base, in.is_new, in.lint});
    static const Naming any_preset({});
    const Naming& naming = config.compiled_naming ? *config.compiled_naming : any_preset;
    std::vector<FileFacts> facts = compute_facts(
        members, naming, options.change_set ? nullptr : exists_on_disk, options.ordered);
    for (std::size_t i = 0; i < inputs.size(); ++i)
        if (!inputs[i].edited.empty()) facts[i].immutable = inputs[i].edited;
    std::vector<RollbackChain> chains;
    if (config.severity_of("rollback-mismatch", Severity::warning) != Severity::off)
        chains = rollback_chains(members, facts);

    std::vector<Catalog> known = options.change_set ? new_tables_from_other_files(inputs, config)
                                                    : std::vector<Catalog>(inputs.size());
    // Reports in input order of the linted files; slot[i] is input i's report.
    constexpr std::size_t kNotLinted = static_cast<std::size_t>(-1);
    std::vector<std::size_t> slot(inputs.size(), kNotLinted);
    std::size_t linted = 0;
    for (std::size_t i = 0; i < inputs.size(); ++i)
        if (inputs[i].lint) slot[i] = linted++;

    // Tasks: each chain (a set replayed in order), then every file outside chains.
    std::vector<bool> in_chain(inputs.size(), false);
    for (const RollbackChain& c : chains)
        for (std::size_t k = 0; k < c.ups.size(); ++k) {
            in_chain[c.ups[k]] = true;
            if (c.downs_of_up[k] != static_cast<std::size_t>(-1)) in_chain[c.downs_of_up[k]] = true;
        }
    std::vector<std::size_t> singles;
    for (std::size_t i = 0; i < inputs.size(); ++i)
        if (inputs[i].lint && !in_chain[i]) singles.push_back(i);

    RunResult run;
    run.files.resize(linted);
    auto load = [&](std::size_t i, std::string& error) {
        return load_input(inputs[i], config, options, facts[i], error);
    };
    auto visit = [&](std::size_t i, const Migration* m, const std::string& error) {
        if (slot[i] != kNotLinted)
            run.files[slot[i]] = lint_parsed(inputs[i], m, error, engine, known[i], facts[i]);
    };
    std::atomic<std::size_t> next{0};
    std::size_t tasks = chains.size() + singles.size();
    auto worker = [&] {
        for (std::size_t t = next++; t < tasks; t = next++) {
            if (t < chains.size()) {
                run_chain(chains[t], facts, load, visit);
            } else {
                std::size_t i = singles[t - chains.size()];
                run.files[slot[i]] = lint_one(inputs[i], engine, known[i], facts[i], options);
            }
        }
    };
    unsigned jobs = std::max(1u, std::min<unsigned>(options.jobs, static_cast<unsigned>(tasks)));
    std::vector<std::thread> threads;
    for (unsigned t = 1; t < jobs; ++t) threads.emplace_back(worker);
    worker();
    for (auto& t : threads) t.join();
    for (const std::string& path : options.sum_missing)
        run.files.push_back(missing_from_sum(path, options, config));
    std::sort(run.files.begin(), run.files.end(),
              [](const FileReport& a, const FileReport& b) { return a.path < b.path; });
    run.summarize();
    return run;
}

FileReport lint_text(const std::string& path, const std::string& text, const Config& config) {
    Engine engine(config);
    Input in{path, {}, text, true};
    FileFacts facts;
    facts.down = is_rollback_path(path);
    return lint_one(in, engine, Catalog{}, facts, RunOptions{});
}

}  // namespace pgw
