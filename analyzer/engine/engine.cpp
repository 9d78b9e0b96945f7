#include "engine/engine.h"

#include <algorithm>

#include "engine/emitter.h"
#include "engine/session.h"
#include "schema/compare.h"
#include "tools/tool.h"

namespace pgw {

namespace {

// Top-level statements per unit: a unit of two or more sent as one query is a batch.
std::vector<std::size_t> statements_per_unit(const Migration& m) {
    std::vector<std::size_t> n(m.units.size(), 0);
    for (const Statement& st : m.statements)
        if (st.do_depth == 0) ++n[st.unit];
    return n;
}

// A file's risk: LOW for any change, raised by what its findings imply and by
// data changes (SPEC §5: an UPDATE or DELETE with a WHERE is MEDIUM). Down
// sections and down files do not count.
Risk statement_risk(const Statement& st) {
    if (st.kind == "UpdateStmt" || st.kind == "DeleteStmt") return Risk::medium;
    return Risk::low;
}

}  // namespace

Engine::Engine(const Config& config, bool filter_statements) : config_(config) {
    for (const CustomRule& spec : config.custom_rules) custom_.push_back(make_custom_rule(spec));
    auto add = [&](const Rule* rule) {
        const std::string& id = rule->info().id;
        Severity s = config.severity_of(id, rule->info().default_severity);
        rules_.push_back({rule, s, config.rule_severity.count(id) > 0,
                          SharedText(rule->info().help), rule->late(), rule->info().only_rerun,
                          rule->info().risk});
    };
    for (const Rule* rule : all_rules())
        if (!rule->late()) add(rule);
    for (const auto& rule : custom_) add(rule.get());
    for (const Rule* rule : all_rules())
        if (rule->late()) add(rule);
    // Late rules judge the others once the file is done: no statements.
    std::vector<StatementFilter> filters;
    for (const Active& a : rules_)
        filters.push_back(a.late              ? StatementFilter::none()
                          : filter_statements ? a.rule->statements()
                                              : StatementFilter::all());
    for (const StatementFilter& f : filters)
        for (std::string_view kind : f.kinds) by_kind_.emplace(kind, std::vector<std::uint32_t>{});
    for (std::uint32_t i = 0; i < rules_.size(); ++i) {
        const StatementFilter& f = filters[i];
        if (f.every) every_kind_.push_back(i);
        for (auto& [kind, list] : by_kind_)
            if (f.every || std::find(f.kinds.begin(), f.kinds.end(), kind) != f.kinds.end())
                list.push_back(i);
    }
    const Rule* plan_rule = find_rule("missing-rollback-plan");
    plan_severity_ = config.severity_of(
        "missing-rollback-plan", plan_rule ? plan_rule->info().default_severity : Severity::off);
    for (const tools::Tool* tool : tools::all_tools()) {
        std::vector<std::string> extra = tool->placeholders();
        if (extra.empty()) continue;
        std::string error;
        PlaceholderSet set = config.compiled_placeholders;
        if (set.add_values(extra, error))
            tool_placeholders_.emplace(std::string(tool->name()), set);
    }
}

const std::vector<std::uint32_t>& Engine::checks_for(std::string_view kind) const {
    auto it = by_kind_.find(kind);
    return it == by_kind_.end() ? every_kind_ : it->second;
}

const PlaceholderSet& Engine::placeholders(std::string_view tool) const {
    auto it = tool_placeholders_.find(tool);
    return it == tool_placeholders_.end() ? config_.compiled_placeholders : it->second;
}

FileReport Engine::lint(const Migration& m, schema::SchemaModel& model,
                        const FileOptions& options) const {
    FileReport report;
    report.path = m.source.path;
    report.note = m.layout_note;
    FileAnnotations annotations = collect_annotations(m);
    report.declared_risk = annotations.file.risk;
    static const FileFacts alone;
    const FileFacts& facts = options.facts ? *options.facts : alone;
    report.tool = facts.tool;

    Catalog catalog(model);
    FileNotes notes;
    Context ctx{m, config_, catalog, report.path};
    ctx.notes = &notes;
    ctx.facts = &facts;
    ctx.file_annotations = &annotations;
    FileEmitter emitter(m, annotations, report, plan_severity_);
    // A rule for migrations that run twice is off where they never do (SPEC §4).
    auto severity_here = [&](const Active& a, const Unit& unit) {
        if (a.only_rerun && !a.configured && !facts.reruns && !unit.reruns) return Severity::off;
        return a.severity;
    };

    Session session(config_);
    std::vector<std::size_t> per_unit = statements_per_unit(m);
    std::optional<schema::SchemaModel> scratch;  // a down section's model
    schema::SchemaModel* target = &model;
    std::uint32_t unit = static_cast<std::uint32_t>(-1);
    Risk risk = Risk::none;
    std::size_t parsed = 0;
    bool open_before = false;  // a transaction is open when the statement starts
    for (std::size_t i = 0; i < m.statements.size(); ++i) {
        const Statement& st = m.statements[i];
        if (st.unit != unit) {
            if (unit != static_cast<std::uint32_t>(-1) && session.leave())
                target->end_transaction();
            unit = st.unit;
            session.enter(m.units[unit], per_unit[unit]);
            open_before = false;  // the unit's first statement starts what it opened
            bool down = m.units[unit].section == Section::down;
            if (down && !scratch) {
                // What the down sections touch, as the up part left it; a down
                // runs once the up is deployed, so what the up created is
                // existing data there.
                schema::Names names;
                schema::add_mentioned_names(m, Section::down, names);
                scratch = schema::relevant_part(model, names);
                scratch->settle(model.current());
                scratch->begin_migration(model.current() + 1, true);
            }
            target = down ? &*scratch : &model;
            catalog.look_at(*target);
        }
        const Unit& u = m.units[unit];
        bool down = options.rollback_file || u.section == Section::down;
        if (st.parsed()) {
            ++parsed;
            if (!down) risk = std::max(risk, statement_risk(st));
            std::size_t top = annotations.top_level_of(m, st.span.begin);
            Annotations scope = annotations.effective(top);
            const Annotations* block =
                top < annotations.statements.size() ? &annotations.statements[top] : nullptr;
            ctx.annotations = &scope;
            ctx.statement_index = i;
            if (!open_before) ctx.transaction_begin = i;
            ctx.rollback_file = down;
            session.fill(ctx);
            for (std::uint32_t k : checks_for(st.kind)) {
                const Active& a = rules_[k];
                Severity severity = severity_here(a, u);
                // Off and implying no risk: nothing it could find matters.
                if (severity == Severity::off && a.risk == Risk::none) continue;
                emitter.begin(*a.rule, a.help, severity, &scope, block, !down);
                a.rule->check(st, ctx, emitter);
            }
        }
        // The statement's effect first, then the end of its transaction.
        bool ended = st.parsed() && session.after(st);
        if (st.parsed()) open_before = session.in_transaction();
        target->step(m, i);
        if (ended) target->end_transaction();
        ctx.memo = {};  // answers about the model as it was before the step
    }
    if (unit != static_cast<std::uint32_t>(-1) && session.leave()) target->end_transaction();
    report.statements = m.split.statements.size();

    ctx.annotations = &annotations.file;
    ctx.rollback_file = options.rollback_file;
    static const Unit whole;
    auto run_file_rules = [&](bool late) {
        for (const Active& a : rules_) {
            if (a.late != late) continue;
            Severity severity = severity_here(a, whole);
            if (severity == Severity::off && a.risk == Risk::none) continue;
            emitter.begin(*a.rule, a.help, severity, &annotations.file, nullptr,
                          !options.rollback_file);
            a.rule->check_file(ctx, emitter);
        }
    };
    run_file_rules(false);
    auto computed = [&] {
        return options.rollback_file ? Risk::none : std::max(risk, emitter.risk());
    };
    ctx.computed_risk = parsed > 0 ? computed() : Risk::none;
    run_file_rules(true);
    report.risk = parsed > 0 ? computed() : Risk::none;
    std::sort(report.findings.begin(), report.findings.end(), finding_less);
    // Reports of every file are kept until the end of the run: no spare capacity.
    report.findings.shrink_to_fit();
    for (Finding& f : report.findings) f.message.shrink_to_fit();
    return report;
}

void RunResult::summarize() {
    errors = warnings = infos = 0;
    risk = Risk::none;
    for (const FileReport& file : files) {
        risk = std::max(risk, file.risk);
        for (const Finding& f : file.findings) {
            if (f.severity == Severity::error)
                ++errors;
            else if (f.severity == Severity::warning)
                ++warnings;
            else
                ++infos;
        }
    }
}

}  // namespace pgw
