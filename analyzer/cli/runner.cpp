#include "cli/runner.h"

#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <mutex>
#include <set>
#include <system_error>
#include <thread>

#include "engine/replay_work.h"
#include "engine/set_replay.h"
#include "frontend/sha256.h"
#include "sets/migration_set.h"

namespace pgw {

namespace {

bool read_input(const Input& in, std::string& bytes, std::string& error) {
    if (in.has_content) {
        bytes = in.content;
        return true;
    }
    return read_file_bytes(in.disk_path, bytes, error);
}

bool exists_on_disk(const std::string& path) {
    return ::access(path.c_str(), F_OK) == 0;
}

// Marker and configuration files of the project (migration_lock.toml,
// flyway.conf, metadata.toml, sqitch.plan, meta/_journal.json), read from
// disk; only small regular files count.
std::optional<std::string> read_project_file(const std::string& path) {
    std::string bytes, error;
    if (!read_file_bytes(path.empty() ? "." : path, bytes, error)) return std::nullopt;
    return bytes;
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

// A migration that is gone (listed in pgwarden.sum, or deleted or renamed by
// the change): immutable-migration under its own path.
FileReport gone(const std::string& path, const std::string& message, const Config& config) {
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
    f.message = message;
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
    tools::Project project{read_project_file};
    std::vector<SetGroup> groups = group_sets(members, project);
    std::vector<FileFacts> facts(inputs.size());
    for (std::size_t i = 0; i < inputs.size(); ++i)
        if (!inputs[i].edited.empty()) facts[i].immutable = inputs[i].edited;
    static const Naming any_preset({});
    PlanOptions plan_options;
    plan_options.naming = config.compiled_naming ? config.compiled_naming.get() : &any_preset;
    plan_options.naming_configured = !config.naming.empty();
    plan_options.forced = config.tool == "auto" ? nullptr : tools::find_tool(config.tool);
    plan_options.project = &project;
    // What detection read of input i, kept for its replay, which takes it
    // instead of reading the file a second time (a sixth of a run's wall
    // time was in the kernel, most of it opening, reading and closing). A
    // file that could not be read keeps nothing: the replay reads it again
    // and reports why. Each input is in one set: slot i is written by the
    // thread planning its set, then taken by the one thread that parses it.
    std::vector<std::optional<std::string>> read_ahead(inputs.size());
    plan_options.bytes = [&](std::size_t i) {
        if (read_ahead[i]) return *read_ahead[i];
        std::string bytes, error;
        if (read_input(inputs[i], bytes, error)) read_ahead[i] = bytes;
        return bytes;
    };
    if (!options.change_set) plan_options.exists = exists_on_disk;
    plan_options.ordered = options.ordered;

    // Reports in input order of the linted files; slot[i] is input i's report.
    constexpr std::size_t kNotLinted = static_cast<std::size_t>(-1);
    std::vector<std::size_t> slot(inputs.size(), kNotLinted);
    std::size_t linted = 0;
    for (std::size_t i = 0; i < inputs.size(); ++i)
        if (inputs[i].lint) slot[i] = linted++;
    RunResult run;
    run.files.resize(linted);
    // Bytes, not vector<bool>: threads set flags of different files at once,
    // and bits sharing a word would race.
    std::vector<unsigned char> reported(linted, 0);

    // Longest sets first: the threads that take the short ones finish together.
    std::vector<std::size_t> order(groups.size());
    for (std::size_t g = 0; g < groups.size(); ++g) order[g] = g;
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
        return groups[a].members.size() > groups[b].members.size();
    });
    std::mutex skipped_lock;
    std::atomic<std::size_t> next{0};
    // With more than one thread, one that finds no set left parses files
    // ahead for the replays still running (the longest set no longer holds
    // one core while the others idle), so even one set can use them all.
    const std::size_t useful = order.empty() ? 1 : members.size();
    const auto jobs = static_cast<unsigned>(
        std::max<std::size_t>(1, std::min<std::size_t>(options.jobs, useful)));
    WorkBoard board(order.size());
    WorkBoard* help = jobs > 1 ? &board : nullptr;
    auto worker = [&] {
        for (std::size_t t = next++; t < order.size(); t = next++) {
            struct Done {
                WorkBoard* board;
                ~Done() {
                    if (board) board->set_done();
                }
            } done{help};
            const SetGroup& group = groups[order[t]];
            PlannedSet plan = plan_set(group, members, facts, plan_options);
            SetReplay replay;
            replay.plan = &plan;
            replay.members = &members;
            replay.facts = &facts;
            replay.project = &project;
            replay.change_set = options.change_set;
            replay.board = help;
            replay.read = [&](std::size_t i, std::string& bytes, std::string& error) {
                if (read_ahead[i]) {
                    bytes = std::move(*read_ahead[i]);
                    read_ahead[i].reset();
                } else if (!read_input(inputs[i], bytes, error)) {
                    return false;
                }
                check_sum(inputs[i], bytes, options, facts[i]);
                return true;
            };
            replay_set(engine, replay, [&](std::size_t i, FileReport report) {
                run.files[slot[i]] = std::move(report);
                reported[slot[i]] = 1;
            });
            for (std::size_t i : group.members) read_ahead[i].reset();  // not replayed
            std::lock_guard<std::mutex> hold(skipped_lock);
            for (std::size_t s = 0; s < plan.skipped.size(); ++s)
                if (inputs[plan.skipped[s]].lint)
                    run.skipped.push_back({inputs[plan.skipped[s]].path,
                                           std::string(plan.tool->name()), plan.skip_reasons[s]});
        }
        if (help) help->help();
    };
    std::vector<std::thread> threads;
    for (unsigned t = 1; t < jobs; ++t) {
        // No thread to be had (RLIMIT_NPROC, memory): fewer do the work, down
        // to this one alone; results are stored by input, so output is the same.
        try {
            threads.emplace_back(worker);
        } catch (const std::system_error&) {
            break;
        }
    }
    worker();
    for (auto& t : threads) t.join();
    // Skipped files have no report.
    std::vector<FileReport> files;
    for (std::size_t s = 0; s < run.files.size(); ++s)
        if (reported[s]) files.push_back(std::move(run.files[s]));
    run.files = std::move(files);
    std::set<std::string> removed;
    for (const auto& [path, message] : options.removed)
        if (removed.insert(path).second) run.files.push_back(gone(path, message, config));
    for (const std::string& path : options.sum_missing)
        if (!removed.count(path))
            run.files.push_back(gone(path,
                                     "migration listed in " + options.sum_path +
                                         " no longer exists: an applied migration must not be "
                                         "deleted",
                                     config));
    // Reports come in input order, which is most often path order already:
    // sorting moved every report around (8 M instructions on the corpus).
    auto by_path = [](const FileReport& a, const FileReport& b) { return a.path < b.path; };
    if (!std::is_sorted(run.files.begin(), run.files.end(), by_path))
        std::sort(run.files.begin(), run.files.end(), by_path);
    std::sort(run.skipped.begin(), run.skipped.end(),
              [](const SkippedFile& a, const SkippedFile& b) { return a.path < b.path; });
    run.summarize();
    return run;
}

FileReport lint_text(const std::string& path, const std::string& text, const Config& config,
                     bool filter_statements) {
    // Its tool is detected from the text alone (a goose file is read as goose),
    // but it is no member of a set: the set-level rules have nothing to say.
    Engine engine(config, filter_statements);
    std::vector<SetMember> members{{path, false, true, true}};
    std::vector<FileFacts> facts(1);
    tools::Project project{read_project_file};
    static const Naming any_preset({});
    PlanOptions options;
    options.naming = config.compiled_naming ? config.compiled_naming.get() : &any_preset;
    options.forced = config.tool == "auto" ? nullptr : tools::find_tool(config.tool);
    options.project = &project;
    options.bytes = [&](std::size_t) { return text; };
    PlannedSet plan = plan_set({tools::set_root(path, project), {0}}, members, facts, options);
    FileFacts alone;
    alone.tool = facts[0].tool;
    alone.down = facts[0].down || is_rollback_path(path);
    alone.reruns = facts[0].reruns;
    FileReport out{path};
    std::string bytes = text;
    auto m = parse_with_tool(engine, *plan.tool, path, std::move(bytes), project);
    schema::SchemaModel model;
    model.details = false;
    return engine.lint(*m, model, FileOptions{alone.down, &alone});
}

}  // namespace pgw
