// GitLab Code Quality JSON (SPEC §7): the subset of the Code Climate issue
// format GitLab reads for its merge request widget. GitLab keeps only the first
// issue of each fingerprint and compares fingerprints between the source and
// target branch, so each one is unique in the report and stable across
// unrelated edits (see finding_fingerprints).
#include <algorithm>
#include <nlohmann/json.hpp>

#include "report/report.h"
#include "report/util.h"

namespace pgw {

using nlohmann::ordered_json;

namespace {

// GitLab's scale is info < minor < major < critical < blocker. Data-loss
// errors rank above the rest; "blocker" is left to the user's own judgement.
std::string_view gitlab_severity(const Finding& f) {
    switch (shown_severity(f)) {
        case Severity::error:
            return f.category == Category::dangerous ? "critical" : "major";
        case Severity::warning:
            return "minor";
        default:
            return "info";
    }
}

struct Issue {
    const Finding* finding;
    std::string fingerprint;
};

}  // namespace

void write_gitlab(const RunResult& run, const ReportOptions& opts, std::ostream& out) {
    std::vector<Issue> issues;
    for (const FileReport& file : run.files) {
        std::vector<std::string> fingerprints = finding_fingerprints(file, opts.source_root);
        for (std::size_t i = 0; i < file.findings.size(); ++i)
            issues.push_back({&file.findings[i], fingerprints[i]});
    }
    // Files arrive sorted and so do their findings; sorting again keeps the
    // output deterministic even if a caller passes files in another order.
    std::stable_sort(issues.begin(), issues.end(), [](const Issue& a, const Issue& b) {
        return finding_less(*a.finding, *b.finding);
    });

    ordered_json doc = ordered_json::array();
    for (const Issue& issue : issues) {
        const Finding& f = *issue.finding;
        std::string description = f.message;
        if (f.acknowledged) description += " (acknowledged)";
        int begin = std::max(f.start.line, 1);
        // content.body: the help GitLab shows when the issue is opened (Markdown).
        std::string body = f.help.empty() ? f.message : f.help.str();
        if (!f.rollback_plan.empty()) body += "\n\nRollback plan: " + f.rollback_plan;
        body += "\n\n[" + f.rule + "](" + rule_help_uri(f.rule, opts.version) + ")";
        doc.push_back({{"description", description},
                       {"check_name", f.rule},
                       {"content", {{"body", body}}},
                       {"fingerprint", issue.fingerprint},
                       {"severity", gitlab_severity(f)},
                       {"location",
                        {{"path", root_relative(f.path.str(), opts.source_root)},
                         {"lines", {{"begin", begin}, {"end", std::max(f.end.line, begin)}}}}}});
    }
    out << doc.dump(2, ' ', false, ordered_json::error_handler_t::replace) << "\n";
}

}  // namespace pgw
