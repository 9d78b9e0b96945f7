#include "engine/emitter.h"

#include <algorithm>

namespace pgw {

namespace {
constexpr int kMaxQuotedLines = 6;

// FNV-1a (64 bits) of `text` with whitespace runs read as one space and the
// ends trimmed: re-indenting a statement or moving it keeps its hash.
std::uint64_t statement_text_hash(std::string_view text) {
    std::uint64_t h = 14695981039346656037ull;
    auto mix = [&](unsigned char c) { h = (h ^ c) * 1099511628211ull; };
    bool space = false, any = false;
    for (unsigned char c : text) {
        if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v') {
            space = any;
            continue;
        }
        if (space) mix(' ');
        space = false;
        any = true;
        mix(c);
    }
    return h | 1;  // never 0, which means "outside any statement"
}
}  // namespace

void FileEmitter::emit(Emit e) {
    const RuleInfo& info = rule_->info();
    // A rule whose metadata says it implies no risk implies none: the engine
    // skips such rules when they are off.
    Risk risk = info.risk == Risk::none ? Risk::none : e.risk == Risk::none ? info.risk : e.risk;
    if (counts_) risk_ = std::max(risk_, risk);
    if (severity_ == Severity::off || suppressed(info.id)) return;
    Finding f;
    f.rule = info.id;
    f.severity = severity_;
    f.category = info.category;
    f.message = std::move(e.message);
    f.help = e.help.empty() ? *help_ : SharedText(std::move(e.help));
    // One path string for all of a file's findings: a run keeps every finding
    // until the report is written (issue 17: RSS).
    if (path_.empty()) path_ = SharedText(report_.path);
    f.path = path_;
    f.risk = risk;
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

void FileEmitter::place(Finding& f, Span span) {
    span.end = std::max(span.end, span.begin + 1);
    f.start = m_.source.position_at(span.begin);
    f.end = m_.source.position_at(span.end - 1);
    // The top-level statement holding the span (a DO block's inner statements
    // belong to the DO): statements are in file order.
    const auto& all = m_.split.statements;
    auto it =
        std::upper_bound(all.begin(), all.end(), span.begin,
                         [](std::size_t at, const RawStatement& st) { return at < st.span.begin; });
    if (it != all.begin() && span.begin < std::prev(it)->span.end) {
        Span s = std::prev(it)->span;
        std::string_view bytes = m_.source.bytes;
        if (s.begin < bytes.size()) {
            if (hashed_begin_ != s.begin) {
                hashed_ = statement_text_hash(bytes.substr(s.begin, s.end - s.begin));
                hashed_begin_ = s.begin;
            }
            f.statement_hash = hashed_;
        }
    }
    int last = std::min(f.end.line, f.start.line + kMaxQuotedLines - 1);
    for (int l = f.start.line; l <= last; ++l)
        if (!report_.lines.count(l)) report_.lines[l] = std::string(m_.source.line_text(l));
}

bool FileEmitter::suppressed(const std::string& id) {
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

}  // namespace pgw
