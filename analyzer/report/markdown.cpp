// The Markdown report (SPEC §7): a pull request comment body. A table of the
// migrations with their risk and what that risk requires (risk_policy), the
// findings grouped by file, then the acknowledged destructive operations with
// their rollback plans — what a reviewer has to sign off.
//
// GitHub rejects comments over 65,536 characters, so the body stays below
// --markdown-limit bytes: rows are kept by importance (errors and gated
// operations, then warnings, then notices, then migrations without findings)
// until the next one would not fit, are written in the report's order, and a
// note counts what was left out (SPEC §7).
#include <cstdint>
#include <set>

#include "report/report.h"
#include "report/tables.h"
#include "report/util.h"

namespace pgw {

namespace {

// What a row is worth keeping when the report must be cut: lower is kept first.
enum Tier { kErrors, kMigrations, kWarnings, kNotices, kQuiet, kTiers };

struct Row {
    std::string text;  // without the help cell's content when `help_key` is set
    Tier tier = kQuiet;
    bool kept = false;
    // Findings end with a help cell: the (rule, help) whose paragraph is
    // written on the first kept row only (later ones say *see above*).
    bool help_cell = false;
    std::string help_key, help;
};

// A table (or list) whose header and footer appear only with at least one row.
struct Block {
    std::string header, footer;
    std::vector<Row> rows;

    bool any_kept() const {
        for (const Row& r : rows)
            if (r.kept) return true;
        return false;
    }
    std::size_t omitted() const {
        std::size_t n = 0;
        for (const Row& r : rows) n += !r.kept;
        return n;
    }
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
    if (!run.baseline_path.empty() && run.baselined > 0)
        out += plural(run.baselined, "finding") + " left out by the baseline. ";
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
        Row row;
        // A migration's row says what approving it takes: kept with its errors;
        // one without findings that needs no more than the least goes first.
        row.tier = counts[0]                                            ? kErrors
                   : counts[1] + counts[2] || file.risk >= Risk::medium ? kMigrations
                                                                        : kQuiet;
        row.text = "| " + markdown_code(file.path, true) + " | " + risk_name(file.risk) + " | " +
                   declared + " | " + approvals + " | " + window + " | " +
                   std::to_string(counts[0]) + " | " + std::to_string(counts[1]) + " | " +
                   std::to_string(counts[2]) + " |\n";
        b.rows.push_back(std::move(row));
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

Tier tier_of(const Finding& f) {
    Severity s = shown_severity(f);
    if (s == Severity::error || f.acknowledged) return kErrors;
    return s == Severity::warning ? kWarnings : kNotices;
}

// "[12:5](https://github.com/o/r/blob/SHA/db/001.sql#L12)" with GitHub's
// environment, else a link relative to the current folder.
std::string link(const ReportOptions& opts, const Finding& f, const std::string& label) {
    bool relative = false;
    std::string uri =
        opts.blob_base.empty()
            ? path_to_uri(f.path.str(), relative)
            : opts.blob_base + path_to_uri(root_relative(f.path.str(), opts.source_root), relative);
    return "[" + label + "](" + uri + "#L" + std::to_string(std::max(f.start.line, 1)) + ")";
}

std::vector<Block> findings_blocks(const RunResult& run, const ReportOptions& opts) {
    std::vector<Block> blocks;
    // A rule's help is written once: repeating a paragraph on every row would
    // spend the size budget on copies. The first kept row of a rule carries it.
    for (const FileReport& file : run.files) {
        if (file.findings.empty()) continue;
        Block b;
        b.header = "#### " + markdown_code(file.path, false) +
                   "\n\n| Severity | Rule | Line | Message | Help |\n|---|---|---:|---|---|\n";
        b.footer = "\n";
        for (const Finding& f : file.findings) {
            Row row;
            row.tier = tier_of(f);
            row.text = "| " + severity_cell(f) + " | " + markdown_code(f.rule, true) + " | " +
                       link(opts, f, line_cell(f)) + " | " + cell(f.message) + " | ";
            row.help_cell = true;
            if (!f.help.empty()) {
                row.help_key = f.rule + '\0' + f.help.str();
                row.help = cell(f.help.str());
            }
            b.rows.push_back(std::move(row));
        }
        blocks.push_back(std::move(b));
    }
    return blocks;
}

Block acknowledged_block(const RunResult& run, const ReportOptions& opts) {
    Block b;
    b.header =
        "### Acknowledged destructive operations\n\n"
        "| Migration | Line | Rule | Operation | Rollback plan |\n|---|---:|---|---|---|\n";
    b.footer = "\n";
    for (const FileReport& file : run.files)
        for (const Finding& f : file.findings) {
            if (!f.acknowledged) continue;
            std::string plan = f.rollback_plan.empty() ? "*none given*" : cell(f.rollback_plan);
            Row row;
            row.tier = kErrors;
            row.text = "| " + markdown_code(f.path.str(), true) + " | " +
                       link(opts, f, line_cell(f)) + " | " + markdown_code(f.rule, true) + " | " +
                       cell(f.message) + " | " + plan + " |\n";
            b.rows.push_back(std::move(row));
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
           " omitted to keep this report within its size budget (--markdown-limit), the least "
           "important first. Run `pgwarden check --format text` (or `--format json`, "
           "`--format sarif`) for the full list.\n\n";
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
    Block acknowledged = acknowledged_block(run, opts);
    std::vector<Block> findings = findings_blocks(run, opts);
    std::vector<Block*> blocks = {&migrations, &acknowledged};
    for (Block& b : findings) blocks.push_back(&b);

    // What is always written, plus room for the longest note the counts can give.
    const std::size_t limit = opts.markdown_limit;
    const std::size_t reserve = omitted_note(SIZE_MAX, SIZE_MAX, SIZE_MAX).size();
    std::size_t used = head.size() + findings_title.size() + footer.size() + reserve;
    bool full = used >= limit;
    std::set<std::string> helped;  // help paragraphs already paid for
    const std::string see_above = "*see above* |\n";
    // Tier by tier, rows in the report's order; strictly below the limit. Once
    // a row does not fit nothing else is taken, so what is left out is always
    // the least important part: never an error for a warning.
    for (int tier = 0; tier < kTiers && !full; ++tier)
        for (Block* b : blocks)
            for (Row& row : b->rows) {
                if (full || row.tier != tier) continue;
                std::size_t cost =
                    row.text.size() + (b->any_kept() ? 0 : b->header.size() + b->footer.size());
                bool help_here = !row.help_key.empty() && !helped.count(row.help_key);
                if (!row.help_key.empty())
                    cost += help_here ? row.help.size() + 3 : see_above.size();
                else if (row.help_cell)
                    cost += 3;
                if (used + cost >= limit) {
                    full = true;
                    break;
                }
                used += cost;
                row.kept = true;
                if (help_here) helped.insert(row.help_key);
            }

    auto render = [&](const Block& b, std::set<std::string>& written) {
        if (!b.any_kept()) return std::string();
        std::string text = b.header;
        for (const Row& row : b.rows) {
            if (!row.kept) continue;
            text += row.text;
            if (!row.help_key.empty())
                text += written.insert(row.help_key).second ? row.help + " |\n" : see_above;
            else if (row.help_cell)
                text += " |\n";
        }
        return text + b.footer;
    };
    std::size_t findings_omitted = 0;
    for (const Block& b : findings) findings_omitted += b.omitted();

    std::set<std::string> written;
    out << head << render(migrations, written) << findings_title;
    for (const Block& b : findings) out << render(b, written);
    out << render(acknowledged, written)
        << observation_tables_markdown(run, used < limit ? limit - used : 0)
        << omitted_note(findings_omitted, acknowledged.omitted(), migrations.omitted()) << footer;
}

}  // namespace pgw
