#include "engine/engine.h"

#include <algorithm>

namespace pgw {

namespace {

constexpr int kMaxQuotedLines = 6;

// Collects one rule's findings for one file and applies the policy layer.
class FileEmitter : public Emitter {
  public:
    FileEmitter(const Migration& m, FileAnnotations& annotations, FileReport& report)
        : m_(m), annotations_(annotations), report_(report) {}

    void begin(const Rule& rule, const SharedText& help, Severity severity,
               const Annotations* scope, const Annotations* statement_block) {
        rule_ = &rule;
        help_ = &help;
        severity_ = severity;
        scope_ = scope;
        block_ = statement_block;
    }
    void set_rollback_plan_rule(Severity s) { rollback_plan_severity_ = s; }

    void emit(Emit e) override {
        const RuleInfo& info = rule_->info();
        if (suppressed(info.id)) return;
        Finding f;
        f.rule = info.id;
        f.severity = severity_;
        f.category = info.category;
        f.message = std::move(e.message);
        f.help = e.help.empty() ? *help_ : SharedText(std::move(e.help));
        f.path = report_.path;
        f.risk = e.risk == Risk::none ? info.risk : e.risk;
        place(f, e.span);
        bool gated = is_gated(info.category) || info.id == "protected-table";
        if (gated && scope_ && scope_->override_destructive) {
            bool plan = scope_->rollback_plan && !scope_->rollback_plan->empty();
            if (info.category == Category::dangerous && !plan &&
                rollback_plan_severity_ != Severity::off && !suppressed("missing-rollback-plan")) {
                Finding missing = f;
                missing.rule = "missing-rollback-plan";
                missing.severity = rollback_plan_severity_;
                missing.category = Category::policy;
                missing.message = "override of " + info.id + " has no @rollback-plan";
                missing.help =
                    "dangerous operations need a written rollback plan: add "
                    "`-- @rollback-plan: <how to undo this>` above the statement";
                report_.findings.push_back(std::move(missing));
            }
            f.acknowledged = true;
            f.severity = Severity::info;
            if (plan) f.rollback_plan = *scope_->rollback_plan;
        }
        report_.findings.push_back(std::move(f));
    }

    void place(Finding& f, Span span) {
        span.end = std::max(span.end, span.begin + 1);
        f.start = m_.source.position_at(span.begin);
        f.end = m_.source.position_at(span.end - 1);
        int last = std::min(f.end.line, f.start.line + kMaxQuotedLines - 1);
        for (int l = f.start.line; l <= last; ++l)
            if (!report_.lines.count(l)) report_.lines[l] = std::string(m_.source.line_text(l));
    }

  private:
    const Migration& m_;
    FileAnnotations& annotations_;
    FileReport& report_;
    const SharedText* help_ = nullptr;
    const Rule* rule_ = nullptr;
    Severity severity_ = Severity::error;
    Severity rollback_plan_severity_ = Severity::off;
    const Annotations* scope_ = nullptr;
    const Annotations* block_ = nullptr;

    bool suppressed(const std::string& id) {
        for (auto& s : annotations_.suppressions) {
            bool applies = s.file_wide;
            if (!applies && block_)
                for (std::size_t i : block_->suppressions)
                    applies = applies || &annotations_.suppressions[i] == &s;
            if (applies && s.covers(id)) {
                s.used.insert(id);
                return true;
            }
        }
        return false;
    }
};

// `SET lock_timeout = 0` disables the timeout: it protects nothing.
bool sets_zero(node::Element set) {
    for (node::Element arg : node::List(set, "args")) {
        node::Element c, v;
        if (!node::as(arg, "A_Const", c)) return false;
        if (node::get(c, "ival", v)) return node::integer(v, "ival", 0) == 0;
        if (node::get(c, "sval", v)) {
            std::string_view s = node::str(v, "sval");
            return !s.empty() && s.find_first_not_of("0") == std::string_view::npos;
        }
    }
    return false;
}

void track_state(const Statement& st, Context& ctx, bool assumed_transaction) {
    // Transaction control inside a DO block is not the file's own transaction.
    if (st.kind == "TransactionStmt" && st.do_depth == 0) {
        std::string_view kind = node::str(st.node, "kind");
        if (kind == "TRANS_STMT_BEGIN" || kind == "TRANS_STMT_START") {
            ctx.explicit_transaction = true;
        } else if (kind == "TRANS_STMT_COMMIT" || kind == "TRANS_STMT_ROLLBACK" ||
                   kind == "TRANS_STMT_PREPARE") {
            ctx.explicit_transaction = false;
        }
        if (!ctx.explicit_transaction && ctx.lock_timeout_local) ctx.lock_timeout_set = false;
        ctx.in_transaction = ctx.explicit_transaction || assumed_transaction;
    } else if (st.kind == "VariableSetStmt" && node::str(st.node, "name") == "lock_timeout") {
        ctx.lock_timeout_set = node::str(st.node, "kind") == "VAR_SET_VALUE" && !sets_zero(st.node);
        ctx.lock_timeout_local = ctx.lock_timeout_set && node::flag(st.node, "is_local");
    }
}

}  // namespace

Engine::Engine(const Config& config) : config_(config) {
    for (const CustomRule& spec : config.custom_rules) custom_.push_back(make_custom_rule(spec));
    auto add = [&](const Rule* rule) {
        Severity s = config.severity_of(rule->info().id, rule->info().default_severity);
        if (s != Severity::off) active_.push_back({rule, s, SharedText(rule->info().help)});
    };
    for (const Rule* rule : all_rules())
        if (!rule->late()) add(rule);
    for (const auto& rule : custom_) add(rule.get());
    for (const Rule* rule : all_rules())
        if (rule->late()) add(rule);
}

FileReport Engine::lint(const Migration& m, const Catalog& known, FileOptions options) const {
    FileReport report;
    report.path = m.source.path;
    FileAnnotations annotations = collect_annotations(m);
    report.declared_risk = annotations.file.risk;
    Catalog catalog = known;
    Context ctx{m, config_, catalog, report.path};
    ctx.rollback_file = options.rollback_file;
    static const FileFacts alone;
    ctx.facts = options.facts ? options.facts : &alone;
    ctx.in_transaction = config_.assume_in_transaction;
    ctx.file_annotations = &annotations;

    FileEmitter emitter(m, annotations, report);
    emitter.set_rollback_plan_rule(config_.severity_of(
        "missing-rollback-plan", find_rule("missing-rollback-plan")
                                     ? find_rule("missing-rollback-plan")->info().default_severity
                                     : Severity::off));

    std::size_t parsed = 0;
    for (std::size_t i = 0; i < m.statements.size(); ++i) {
        const Statement& st = m.statements[i];
        if (!st.parsed()) continue;
        ++parsed;
        std::size_t top = annotations.top_level_of(m, st.span.begin);
        Annotations scope = annotations.effective(top);
        const Annotations* block =
            top < annotations.statements.size() ? &annotations.statements[top] : nullptr;
        ctx.annotations = &scope;
        ctx.statement_index = i;
        for (const Active& a : active_) {
            emitter.begin(*a.rule, a.help, a.severity, &scope, block);
            a.rule->check(st, ctx, emitter);
        }
        track_state(st, ctx, config_.assume_in_transaction);
        catalog.apply(st);
    }
    report.statements = m.split.statements.size();

    ctx.annotations = &annotations.file;
    auto run_file_rules = [&](bool late) {
        for (const Active& a : active_) {
            if (a.rule->late() != late) continue;
            emitter.begin(*a.rule, a.help, a.severity, &annotations.file, nullptr);
            a.rule->check_file(ctx, emitter);
        }
    };
    run_file_rules(false);
    // A file's risk: LOW for any change, raised by what its findings imply and by
    // data changes (SPEC §5: an UPDATE or DELETE with a WHERE is MEDIUM).
    auto compute_risk = [&] {
        Risk risk = parsed > 0 ? Risk::low : Risk::none;
        for (const Statement& st : m.statements)
            if (st.kind == "UpdateStmt" || st.kind == "DeleteStmt")
                risk = std::max(risk, Risk::medium);
        for (const Finding& f : report.findings) risk = std::max(risk, f.risk);
        return risk;
    };
    ctx.computed_risk = compute_risk();
    run_file_rules(true);
    report.risk = compute_risk();
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
