// The HTML report (SPEC §9): one self-contained page, no external assets.
// Findings first, then for a verify run one table per migration of its
// statements with their locks, rewrites and scans, then each schema
// comparison with the two schemas side by side: every difference
// highlighted, breaking ones (a drop, a narrowing, a lost constraint) in
// red, and a copy button beside each object's definition.
#include <map>
#include <set>

#include "report/html_parts.h"
#include "report/report.h"

namespace pgw {

namespace {

using html::esc;

std::string badge(Severity s) {
    std::string name(to_string(s));
    return "<span class=\"sev sev-" + name + "\">" + name + "</span>";
}

void findings_section(const RunResult& run, std::ostream& out) {
    std::size_t n = 0;
    for (const auto& f : run.files) n += f.findings.size();
    out << "<section><h2>Findings <small>" << n << "</small></h2>";
    if (n == 0) {
        out << "<p class=\"ok\">No findings.</p></section>";
        return;
    }
    out << "<table class=\"findings\"><thead><tr><th>Severity</th><th>Rule</th><th>Where</th>"
           "<th>Message</th></tr></thead><tbody>";
    for (const auto& file : run.files)
        for (const auto& f : file.findings)
            out << "<tr class=\"finding\" data-rule=\"" << esc(f.rule) << "\"><td>"
                << badge(f.acknowledged ? Severity::info : f.severity) << "</td><td><code>"
                << esc(f.rule) << "</code></td><td class=\"where\">" << esc(f.path.str())
                << (f.start.line > 0
                        ? ":" + std::to_string(f.start.line) + ":" + std::to_string(f.start.column)
                        : std::string())
                << "</td><td>" << esc(f.message) << "</td></tr>";
    out << "</tbody></table></section>";
}

std::string lock_cell(const RelationTrace& r) {
    std::string out;
    for (const auto& m : r.locks) {
        int strength = html::lock_strength(m);
        out += "<span class=\"lock lock-" + std::to_string(strength) + "\">" +
               esc(lock_mode_sql(m)) + "</span> ";
    }
    return out;
}

void migrations_section(const Observations& obs, std::ostream& out) {
    if (obs.migrations.empty()) return;
    out << "<section><h2>Migrations <small>" << obs.migrations.size() << "</small></h2>";
    for (const MigrationTrace& m : obs.migrations) {
        bool failed = m.outcome.rfind("failed", 0) == 0;
        out << "<details class=\"migration" << (failed ? " failed" : "") << "\""
            << (m.traced || failed ? " open" : "") << "><summary><code>" << esc(m.path)
            << "</code> <span class=\"outcome\">" << esc(m.outcome)
            << (m.traced ? "" : ", untraced") << (m.in_transaction ? ", in one transaction" : "")
            << "</span> <span class=\"time\">" << html::seconds(m.seconds) << "</span></summary>";
        if (m.statements.empty()) {
            out << "<p class=\"quiet\">No traced statements.</p></details>";
            continue;
        }
        out << "<table class=\"trace\"><thead><tr><th>Line</th><th>Statement</th><th>Relation</th>"
               "<th>Locks taken</th><th>Rewrite</th><th>Seq "
               "scans</th><th>Time</th></tr></thead><tbody>";
        for (const StatementTrace& s : m.statements) {
            std::size_t rows = std::max<std::size_t>(1, s.relations.size());
            std::string head =
                "<td rowspan=\"" + std::to_string(rows) + "\">" + std::to_string(s.start.line) +
                "</td><td rowspan=\"" + std::to_string(rows) + "\"><code class=\"sql\">" +
                esc(s.sql) + "</code>" +
                (s.concurrent ? " <span class=\"tag\">watched</span>" : "") +
                (s.error.empty() ? "" : "<div class=\"error\">" + esc(s.error) + "</div>") +
                "</td>";
            std::string time = "<td rowspan=\"" + std::to_string(rows) + "\" class=\"time\">" +
                               html::seconds(s.seconds) + "</td>";
            if (s.relations.empty()) {
                out << "<tr>" << head
                    << "<td class=\"quiet\">no existing relation</td><td></td><td></td><td></td>"
                    << time << "</tr>";
                continue;
            }
            for (std::size_t i = 0; i < s.relations.size(); ++i) {
                const RelationTrace& r = s.relations[i];
                out << "<tr>" << (i == 0 ? head : "") << "<td><code>" << esc(r.name)
                    << "</code> <span class=\"quiet\">" << esc(r.kind) << "</span></td><td>"
                    << lock_cell(r) << "</td><td>"
                    << (r.rewritten ? "<span class=\"bad\">rewritten</span>" : "") << "</td><td>"
                    << (r.seq_scans > 0 ? std::to_string(r.seq_scans) : "") << "</td>"
                    << (i == 0 ? time : "") << "</tr>";
            }
        }
        out << "</tbody></table></details>";
    }
    out << "</section>";
}

std::string change_text(const SchemaComparison& c, const SchemaDifference& d) {
    switch (d.change) {
        case SchemaDifference::Change::missing:
            return "only in " + c.left_label;
        case SchemaDifference::Change::extra:
            return "only in " + c.right_label;
        default:
            return "differs";
    }
}

void comparison_section(const SchemaComparison& c, std::ostream& out) {
    std::size_t breaking = 0;
    for (const auto& d : c.differences) breaking += d.breaking;
    out << "<section class=\"comparison\"><h2>" << esc(c.title) << " <small>"
        << c.differences.size() << " difference" << (c.differences.size() == 1 ? "" : "s") << ", "
        << breaking << " breaking</small></h2>";
    for (const auto& n : c.notes) out << "<p class=\"note\">" << esc(n) << "</p>";
    // The differences first, each linking to its row below.
    if (!c.differences.empty()) {
        out << "<ul class=\"difflist\">";
        for (const auto& d : c.differences) {
            std::string what;
            for (const auto& x : d.details) what += (what.empty() ? "" : "; ") + x;
            out << "<li class=\"" << (d.breaking ? "breaking" : "soft") << "\"><a href=\"#"
                << html::anchor(d.kind, d.name) << "\"><span class=\"kind\">" << esc(d.kind)
                << "</span> <code>" << esc(d.name) << "</code></a> " << esc(change_text(c, d))
                << (what.empty() ? "" : ": " + esc(what)) << (d.breaking ? " <b>breaking</b>" : "")
                << "</li>";
        }
        out << "</ul>";
    } else {
        out << "<p class=\"ok\">The two schemas are the same.</p>";
    }
    out << "<label class=\"filter\"><input type=\"checkbox\" onchange=\"onlyDiffs(this)\"> only "
           "differences</label>";
    out << "<table class=\"sides\"><thead><tr><th>Object</th><th>" << esc(c.left_label)
        << "</th><th>" << esc(c.right_label) << "</th></tr></thead><tbody>";
    using Key = std::pair<std::string, std::string>;
    std::map<Key, const SchemaObject*> left, right;
    std::map<Key, std::string> parents;
    for (const auto& o : c.left) left[{o.kind, o.name}] = &o, parents[{o.kind, o.name}] = o.parent;
    for (const auto& o : c.right)
        right[{o.kind, o.name}] = &o, parents[{o.kind, o.name}] = o.parent;
    std::map<Key, const SchemaDifference*> diffs;
    for (const auto& d : c.differences)
        diffs[{d.kind, d.name}] = &d, parents[{d.kind, d.name}] = d.parent;
    std::set<Key> keys;
    for (const auto& [k, v] : left) keys.insert(k);
    for (const auto& [k, v] : right) keys.insert(k);
    for (const auto& [k, d] : diffs) keys.insert(k);
    for (const auto& key : html::display_order(keys, parents)) {
        auto d = diffs.find(key);
        const SchemaDifference* diff = d == diffs.end() ? nullptr : d->second;
        // An unchanged column is already in its table's CREATE TABLE.
        if (!diff && key.first == "column") continue;
        auto l = left.find(key), r = right.find(key);
        std::string cls = !diff ? "same" : diff->breaking ? "diff breaking" : "diff";
        if (diff)
            cls += diff->change == SchemaDifference::Change::missing ? " missing"
                   : diff->change == SchemaDifference::Change::extra ? " extra"
                                                                     : " changed";
        out << "<tr class=\"" << cls << "\" id=\"" << html::anchor(key.first, key.second)
            << "\"><th class=\"obj\"><span class=\"kind\">" << esc(key.first) << "</span> <code>"
            << esc(key.second) << "</code>";
        if (diff) {
            out << "<div class=\"what\">" << esc(change_text(c, *diff))
                << (diff->breaking ? " &middot; <b>breaking</b>" : "") << "</div>";
            for (const auto& detail : diff->details)
                out << "<div class=\"detail\">" << esc(detail) << "</div>";
        }
        out << "</th>";
        auto side = [&](const auto& map, const auto& it) {
            if (it == map.end() || !it->second) {
                out << "<td class=\"absent\">absent</td>";
                return;
            }
            out << "<td>" << html::definition(it->second->definition) << "</td>";
        };
        side(left, l);
        side(right, r);
        out << "</tr>";
    }
    out << "</tbody></table></section>";
}

void history_section(const Observations& obs, std::ostream& out) {
    for (const HistoryReport& h : obs.histories) {
        out << "<section><h2>History table <code>" << esc(h.table) << "</code> (" << esc(h.tool)
            << ") in " << esc(h.database)
            << "</h2><table class=\"history\"><thead><tr><th>Version</th><th>File</th>"
            << "<th>State</th><th>Detail</th></tr></thead><tbody>";
        for (const HistoryEntry& e : h.entries)
            out << "<tr class=\"" << (e.state == "applied" ? "same" : "diff breaking")
                << "\"><td><code>" << esc(e.version) << "</code></td><td>" << esc(e.path)
                << "</td><td>" << esc(e.state) << "</td><td>" << esc(e.detail) << "</td></tr>";
        out << "</tbody></table></section>";
    }
}

}  // namespace

void write_html(const RunResult& run, const ReportOptions& opts, std::ostream& out) {
    out << "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" "
           "content=\"width=device-width, initial-scale=1\"><title>pgwarden report</title><style>"
        << html::kStyle << "</style></head><body><header><h1>pgwarden <span>"
        << (run.observations ? "verify" : "check") << "</span></h1><div class=\"summary\">"
        << run.files.size() << " file" << (run.files.size() == 1 ? "" : "s")
        << " &middot; <b class=\"e\">" << run.errors << " error" << (run.errors == 1 ? "" : "s")
        << "</b> &middot; <b class=\"w\">" << run.warnings << " warning"
        << (run.warnings == 1 ? "" : "s") << "</b> &middot; " << run.infos << " info"
        << (run.infos == 1 ? "" : "s");
    if (run.observations && !run.observations->server.empty())
        out << "<div class=\"server\">" << esc(run.observations->server) << "</div>";
    out << "</div><div class=\"version\">pgwarden " << esc(opts.version) << "</div></header><main>";
    findings_section(run, out);
    if (run.observations) {
        for (const auto& c : run.observations->comparisons) comparison_section(c, out);
        history_section(*run.observations, out);
        migrations_section(*run.observations, out);
    }
    out << "</main><script>" << html::kScript << "</script></body></html>\n";
}

}  // namespace pgw
