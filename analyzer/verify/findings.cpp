#include "verify/findings.h"

#include <algorithm>

#include "engine/rule.h"

namespace pgw {

namespace {

constexpr int kMaxQuotedLines = 6;

Severity default_of(const std::string& rule) {
    const Rule* r = find_rule(rule);
    return r ? r->info().default_severity : Severity::error;
}

}  // namespace

bool FindingSink::enabled(const std::string& rule) const {
    return config_.severity_of(rule, default_of(rule)) != Severity::off;
}

Finding FindingSink::make(const std::string& rule, std::string message, const std::string& path,
                          Severity severity) const {
    Finding f;
    f.rule = rule;
    f.severity = severity;
    f.message = std::move(message);
    f.path = path;
    if (const Rule* r = find_rule(rule)) {
        f.category = r->info().category;
        f.help = r->info().help;
        f.risk = r->info().risk;
    }
    return f;
}

FindingSink::FileState& FindingSink::state(const VerifyScript& script) {
    FileState& f = files_[script.path];
    if (f.report.path.empty()) {
        f.report.path = script.path;
        f.keep = script.source;
        f.source = script.source.get();
        if (f.source) {
            f.annotations = std::make_unique<FileAnnotations>(collect_annotations(*f.source));
            f.report.declared_risk = f.annotations->file.risk;
            f.report.statements = f.source->split.statements.size();
        }
    }
    return f;
}

// The engine's suppression rule (SPEC §3): file-wide comments, and those in
// the comment block directly above the statement holding `offset`.
bool FindingSink::suppressed(FileState& f, std::size_t offset, const std::string& rule) {
    if (!f.annotations) return false;
    FileAnnotations& a = *f.annotations;
    for (const Suppression& s : a.suppressions)
        if (s.file_wide && s.covers(rule)) return true;
    std::size_t top = a.top_level_of(*f.source, offset);
    if (top < a.statements.size())
        for (std::size_t i : a.statements[top].suppressions)
            if (a.suppressions[i].covers(rule)) return true;
    return false;
}

void FindingSink::touch(const VerifyScript& script) {
    std::lock_guard<std::mutex> lock(mutex_);
    state(script);
}

void FindingSink::add(const VerifyScript& script, const std::string& rule, std::string message,
                      const Span* span) {
    Severity severity = config_.severity_of(rule, default_of(rule));
    if (severity == Severity::off) return;
    std::lock_guard<std::mutex> lock(mutex_);
    FileState& f = state(script);
    Span at{0, 1};
    if (span)
        at = *span;
    else if (!script.statements.empty())
        at = script.statements.front().span;
    if (suppressed(f, at.begin, rule)) return;
    Finding finding = make(rule, std::move(message), script.path, severity);
    if (f.source) {
        at.end = std::max(at.end, at.begin + 1);
        finding.start = f.source->source.position_at(at.begin);
        finding.end = f.source->source.position_at(at.end - 1);
        int last = std::min(finding.end.line, finding.start.line + kMaxQuotedLines - 1);
        for (int l = finding.start.line; l <= last; ++l)
            if (!f.report.lines.count(l))
                f.report.lines[l] = std::string(f.source->source.line_text(l));
    }
    f.report.findings.push_back(std::move(finding));
}

void FindingSink::add_unplaced(const std::string& path, const std::string& rule,
                               std::string message) {
    Severity severity = config_.severity_of(rule, default_of(rule));
    if (severity == Severity::off) return;
    std::lock_guard<std::mutex> lock(mutex_);
    FileState& f = files_[path];
    f.report.path = path;
    f.report.findings.push_back(make(rule, std::move(message), path, severity));
}

std::vector<FileReport> FindingSink::reports() {
    std::lock_guard<std::mutex> lock(mutex_);
    std::vector<FileReport> out;
    for (auto& [path, f] : files_) {
        std::sort(f.report.findings.begin(), f.report.findings.end(), finding_less);
        out.push_back(std::move(f.report));
    }
    files_.clear();
    return out;
}

}  // namespace pgw
