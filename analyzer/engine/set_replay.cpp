#include "engine/set_replay.h"

#include <memory>
#include <optional>

#include "engine/replay_work.h"
#include "schema/compare.h"

namespace pgw {

namespace {

bool has_down_section(const Migration& m) {
    for (const Statement& st : m.statements)
        if (m.is_down(st)) return true;
    return false;
}

}  // namespace

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

std::unique_ptr<Migration> parse_with_tool(const Engine& engine, const tools::Tool& tool,
                                           const std::string& path, std::string bytes,
                                           const tools::Project& project) {
    FileLayout layout = tool.layout(path, bytes, project);
    return parse_migration(SourceFile::from_bytes(path, std::move(bytes)),
                           engine.placeholders(tool.name()), &layout);
}

void replay_set(const Engine& engine, const SetReplay& run,
                const std::function<void(std::size_t, FileReport)>& done) {
    const PlannedSet& plan = *run.plan;
    const std::vector<SetMember>& members = *run.members;
    std::vector<FileFacts>& facts = *run.facts;
    auto load = [&](std::size_t i, std::string& error) -> std::unique_ptr<Migration> {
        std::string bytes;
        if (!run.read(i, bytes, error)) return nullptr;
        return parse_with_tool(engine, *plan.tool, members[i].path, std::move(bytes), *run.project);
    };
    const bool check_rollbacks =
        engine.config().severity_of("rollback-mismatch", Severity::warning) != Severity::off;

    schema::SchemaModel model;
    model.details = check_rollbacks;  // view and routine definitions matter only to diffs
    bool known = true;  // false once an up file could not be read: the rest is uncertain
    const auto count = static_cast<std::int32_t>(plan.ups.size());
    // Nothing after the last linted member can change a report: a one-file
    // check (the pre-commit case) replays only what comes before its file.
    auto linted = [&](std::size_t i) { return i != kNoFile && members[i].lint; };
    std::int32_t end = 0;
    for (std::int32_t k = 0; k < count; ++k)
        if (linted(plan.ups[static_cast<std::size_t>(k)]) ||
            linted(plan.down_of_up[static_cast<std::size_t>(k)]))
            end = k + 1;
    // A down file matters only to its own report: rollback-mismatch reads
    // the facts of the file it lints. So the files read are the ups and the
    // linted downs, in this order, which threads with nothing else to do may
    // parse ahead.
    std::vector<std::size_t> order;
    for (std::int32_t k = 0; k < end; ++k) {
        order.push_back(plan.ups[static_cast<std::size_t>(k)]);
        std::size_t d = plan.down_of_up[static_cast<std::size_t>(k)];
        if (linted(d)) order.push_back(d);
    }
    ReplayWork work(run.board, std::move(order), load);
    for (std::int32_t k = 0; k < end; ++k) {
        std::size_t i = plan.ups[static_cast<std::size_t>(k)];
        std::size_t d = plan.down_of_up[static_cast<std::size_t>(k)];
        const SetMember& member = members[i];
        std::string error, down_error;
        std::unique_ptr<Migration> up = work.take(i, error);
        std::unique_ptr<Migration> down = linted(d) ? work.take(d, down_error) : nullptr;

        // A down file is checked against its up after the up's own replay,
        // recorded (the up replayed once, not twice); an up with down sections
        // of its own goes the old way, both in one trial, before its lint
        // (its lint reads its own facts, and its down sections are linted on
        // a copy taken from the model).
        const bool check_after = check_rollbacks && known && up && down && !has_down_section(*up);
        if (check_rollbacks && known && up) {
            if (down && !check_after) {
                schema::RollbackCheck r = schema::check_rollback(model, *up, *down);
                facts[d].rollback_checked = !r.uncertain;
                facts[d].rollback_differences = std::move(r.differences);
            }
            if (member.lint && facts[i].rollback_style == RollbackStyle::sections &&
                has_down_section(*up)) {
                schema::RollbackCheck r =
                    schema::check_rollback(model, *up, *up, Section::up, Section::down);
                facts[i].rollback_checked = !r.uncertain;
                facts[i].rollback_differences = std::move(r.differences);
            }
        }

        // While a file is linted, what it creates is the change's own; it stays
        // so afterwards only when the change set adds it (SPEC §4 "existing table").
        bool stays_change = run.change_set && member.is_new;
        model.begin_migration(k, member.lint || stays_change);
        std::optional<schema::SchemaModel::Recording> recording;
        if (check_after) recording.emplace(model);
        if (!up) {
            known = false;
            model.mark_unknown(member.path + " could not be read");
            if (member.lint) done(i, unreadable(member.path, error));
        } else if (member.lint) {
            done(i, engine.lint(*up, model, FileOptions{false, &facts[i]}));
            model.end_migration();
        } else {
            model.replay(*up);
        }
        if (recording) {
            recording->finish();
            schema::RollbackCheck r = schema::check_rollback_after(model, *recording, *down);
            facts[d].rollback_checked = !r.uncertain;
            facts[d].rollback_differences = std::move(r.differences);
            recording.reset();
        }

        if (d != kNoFile && members[d].lint) {
            if (!down) {
                done(d, unreadable(members[d].path, down_error));
            } else {
                // Linted on the model as the up file left it, in a trial, so
                // the set's model never holds what a down did. A down runs
                // once its up is deployed: what the up created is existing
                // data there, and the down is the change being linted.
                schema::SchemaModel::Trial trial(model);
                model.settle(k);
                model.begin_migration(count + k, true);
                done(d, engine.lint(*down, model, FileOptions{true, &facts[d]}));
            }
        }
        if (!stays_change) model.settle(k);
    }

    for (std::size_t i : plan.alone) {
        if (!members[i].lint) continue;
        std::string error, bytes;
        std::unique_ptr<Migration> m;
        if (facts[i].misnamed.empty()) {
            m = load(i, error);
        } else if (run.read(i, bytes, error)) {
            // The tool never runs it: read as plain SQL, what it would be once renamed.
            m = parse_with_tool(engine, *tools::find_tool("plain"), members[i].path,
                                std::move(bytes), *run.project);
        }
        if (!m) {
            done(i, unreadable(members[i].path, error));
            continue;
        }
        schema::SchemaModel own;
        own.details = false;
        done(i, engine.lint(*m, own, FileOptions{facts[i].down, &facts[i]}));
    }
}

}  // namespace pgw
