// The Markdown report (SPEC §7): a pull request comment body. A table of the
// migrations with their risk and what that risk requires (risk_policy), the
// findings grouped by file, then the acknowledged destructive operations with
// their rollback plans — what a reviewer has to sign off.
//
// GitHub rejects comments over 65,536 characters, so the body stays below
// kMarkdownLimit bytes: rows are kept in priority order (migrations, then
// acknowledged operations, then findings in file order) until the next one
// would not fit, and a note counts what was left out.
#include <cstdint>
#include <set>

#include "report/report.h"
#include "report/tables.h"
#include "report/util.h"

namespace pgw {

namespace {

// A table (or list) whose header and footer appear only with at least one row.
struct Block {
    std::string header, footer;
    std::vector<std::string> rows;
    std::size_t kept = 0;

    std::string render() const {
        if (kept == 0) return "";
        std::string out = header;
        for (std::size_t i = 0; i < kept; ++i) out += rows[i];
        return out + footer;
    }
    std::size_t omitted() const { return rows.size() - kept; }
};

// Characters of one table cell: one huge rollback plan or message must not
// spend the comment's whole budget and push every later finding out.
constexpr std::size_t kCellChars = 1000;

std::string cell(std::string_view text) {
    if (text.size() <= kCellChars) return markdown_inline(text, true);
    std::size_t cut = kCellChars;
    while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;  // UTF-8
    return markdown_inline(text.substr(0, cut), true) + " *(cut: " + std::to_string(text.size()) +
           " bytes in all)*";
}

std::string risk_name(Risk r) {
    return r == Risk::none ? "none" : std::string(to_string(r));
}

std::string plural(std::size_t n, const char* word) {
    return std::to_string(n) + " " + word + (n == 1 ? "" : "s");
}

const RiskPolicy* policy_for(const ReportOptions& opts, Risk risk) {
    static const Config defaults;  // risk_policy's documented defaults
    const Config& config = opts.config ? *opts.config : defaults;
    auto it = config.risk_policy.find(risk);
    return it == config.risk_policy.end() ? nullptr : &it->second;
}

std::string summary(const RunResult& run, const ReportOptions& opts) {
    std::string out = "**" + plural(run.files.size(), "migration") +
                      " checked**: " + plural(run.errors, "error") + ", " +
                      plural(run.warnings, "warning") + ", " + plural(run.infos, "info") + ". ";
    if (run.risk == Risk::none) return out + "No risky changes.\n\n";
    out += "Highest risk: **" + risk_name(run.risk) + "**";
    if (const RiskPolicy* p = policy_for(opts, run.risk))
        out += ", which needs " +
               plural(static_cast<std::size_t>(std::max(p->approvals, 0)), "approval") +
               " and deploys in: " + markdown_inline(p->window, false);
    return out + ".\n\n";
}

Block migrations_block(const RunResult& run, const ReportOptions& opts) {
    Block b;
    b.header =
        "### Migrations\n\n"
        "| Migration | Risk | Declared risk | Approvals | Deployment window | Errors | Warnings "
        "| Infos |\n|---|---|---|---:|---|---:|---:|---:|\n";
    b.footer = "\n";
    for (const FileReport& file : run.files) {
        std::size_t counts[3] = {0, 0, 0};  // error, warning, info
        for (const Finding& f : file.findings) {
            Severity s = shown_severity(f);
            ++counts[s == Severity::error ? 0 : s == Severity::warning ? 1 : 2];
        }
        std::string declared = "—";
        if (file.declared_risk) {
            declared = risk_name(*file.declared_risk);
            if (*file.declared_risk < file.risk) declared += " (understated)";
        }
        std::string approvals = "—", window = "—";
        if (const RiskPolicy* p = file.risk == Risk::none ? nullptr : policy_for(opts, file.risk)) {
            approvals = std::to_string(p->approvals);
            window = cell(p->window);
        }
        b.rows.push_back("| " + markdown_code(file.path, true) + " | " + risk_name(file.risk) +
                         " | " + declared + " | " + approvals + " | " + window + " | " +
                         std::to_string(counts[0]) + " | " + std::to_string(counts[1]) + " | " +
                         std::to_string(counts[2]) + " |\n");
    }
    return b;
}

std::string severity_cell(const Finding& f) {
    std::string s(to_string(shown_severity(f)));
    return f.acknowledged ? s + " (acknowledged)" : s;
}

std::string line_cell(const Finding& f) {
    return std::to_string(f.start.line) + ":" + std::to_string(f.start.column);
}

std::vector<Block> findings_blocks(const RunResult& run) {
    std::vector<Block> blocks;
    // A rule's help is written once: repeating a paragraph on every row would
    // spend the size budget on copies. Kept rows are always a prefix of the
    // findings, so the row a later one points back to is never cut.
    std::set<std::pair<std::string, std::string>> shown;
    for (const FileReport& file : run.files) {
        if (file.findings.empty()) continue;
        Block b;
        b.header = "#### " + markdown_code(file.path, false) +
                   "\n\n| Severity | Rule | Line | Message | Help |\n|---|---|---:|---|---|\n";
        b.footer = "\n";
        for (const Finding& f : file.findings) {
            bool repeated = !f.help.empty() && !shown.insert({f.rule, f.help.str()}).second;
            b.rows.push_back("| " + severity_cell(f) + " | " + markdown_code(f.rule, true) + " | " +
                             line_cell(f) + " | " + cell(f.message) + " | " +
                             (repeated ? "*see above*" : cell(f.help.str())) + " |\n");
        }
        blocks.push_back(std::move(b));
    }
    return blocks;
}

Block acknowledged_block(const RunResult& run) {
    Block b;
    b.header =
        "### Acknowledged destructive operations\n\n"
        "| Migration | Line | Rule | Operation | Rollback plan |\n|---|---:|---|---|---|\n";
    b.footer = "\n";
    for (const FileReport& file : run.files)
        for (const Finding& f : file.findings) {
            if (!f.acknowledged) continue;
            std::string plan = f.rollback_plan.empty() ? "*none given*" : cell(f.rollback_plan);
            b.rows.push_back("| " + markdown_code(f.path, true) + " | " + line_cell(f) + " | " +
                             markdown_code(f.rule, true) + " | " + cell(f.message) + " | " + plan +
                             " |\n");
        }
    return b;
}

std::string omitted_note(std::size_t findings, std::size_t acknowledged, std::size_t migrations) {
    std::vector<std::string> parts;
    if (findings) parts.push_back(plural(findings, "finding"));
    if (acknowledged) parts.push_back(plural(acknowledged, "acknowledged operation"));
    if (migrations) parts.push_back(plural(migrations, "migration row"));
    if (parts.empty()) return "";
    std::string list = parts[0];
    for (std::size_t i = 1; i < parts.size(); ++i)
        list += (i + 1 == parts.size() ? " and " : ", ") + parts[i];
    return "> [!NOTE]\n> " + list + (findings + acknowledged + migrations == 1 ? " was" : " were") +
           " omitted to keep this comment under GitHub's size limit. Run `pgwarden check "
           "--format text` (or `--format json`, `--format sarif`) for the full list.\n\n";
}

}  // namespace

void write_markdown(const RunResult& run, const ReportOptions& opts, std::ostream& out) {
    // The hidden marker lets a CI job find and update its previous comment.
    std::string head =
        "<!-- pgwarden-report -->\n## pgwarden migration report\n\n" + summary(run, opts);
    std::string findings_title = "### Findings\n\n";
    bool any_finding = false;
    for (const FileReport& file : run.files) any_finding = any_finding || !file.findings.empty();
    if (!any_finding) findings_title += "No findings.\n\n";
    std::string footer =
        "<sub>pgwarden" + (opts.version.empty() ? "" : " " + opts.version) + "</sub>\n";

    Block migrations = migrations_block(run, opts);
    Block acknowledged = acknowledged_block(run);
    std::vector<Block> findings = findings_blocks(run);

    // What is always written, plus room for the longest note the counts can give.
    const std::size_t reserve = omitted_note(SIZE_MAX, SIZE_MAX, SIZE_MAX).size();
    std::size_t used = head.size() + findings_title.size() + footer.size() + reserve;
    bool full = used >= kMarkdownLimit;
    auto fill = [&](Block& b) {
        for (const std::string& row : b.rows) {
            std::size_t cost = row.size() + (b.kept == 0 ? b.header.size() + b.footer.size() : 0);
            // Strictly below the limit; once a row is cut, every later one is too,
            // so what is left out is always the tail of the report.
            if (full || used + cost >= kMarkdownLimit) {
                full = true;
                return;
            }
            used += cost;
            ++b.kept;
        }
    };
    fill(migrations);
    fill(acknowledged);
    for (Block& b : findings) fill(b);

    std::size_t findings_omitted = 0;
    for (const Block& b : findings) findings_omitted += b.omitted();

    out << head << migrations.render() << findings_title;
    for (const Block& b : findings) out << b.render();
    out << acknowledged.render()
        << observation_tables_markdown(run, used < kMarkdownLimit ? kMarkdownLimit - used : 0)
        << omitted_note(findings_omitted, acknowledged.omitted(), migrations.omitted()) << footer;
}

}  // namespace pgw
