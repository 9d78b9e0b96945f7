#include "report/tables.h"

#include <algorithm>
#include <cstdio>
#include <vector>

#include "report/terminal.h"
#include "report/util.h"

namespace pgw {

namespace {

using Row = std::vector<std::string>;

std::string time_text(double s) {
    char buf[32];
    std::snprintf(buf, sizeof buf, s < 1 ? "%.1f ms" : "%.2f s", s < 1 ? s * 1000 : s);
    return buf;
}

std::string clip(const std::string& s, std::size_t n) {
    return s.size() <= n ? s : s.substr(0, n - 3) + "...";
}

std::string modes(const std::vector<std::string>& m) {
    std::string out;
    for (const auto& x : m) out += (out.empty() ? "" : ", ") + lock_mode_sql(x);
    return out;
}

// One row per relation a statement touched (or one for the statement alone).
std::vector<Row> statement_rows(const MigrationTrace& m, std::size_t sql_width) {
    std::vector<Row> rows;
    for (const StatementTrace& s : m.statements) {
        std::string sql = clip(s.sql, sql_width) + (s.concurrent ? " [watched]" : "");
        if (!s.error.empty()) sql += " [failed: " + clip(s.error, 60) + "]";
        if (s.relations.empty()) {
            rows.push_back(
                {std::to_string(s.start.line), sql, "-", "", "", "", time_text(s.seconds)});
            continue;
        }
        for (std::size_t i = 0; i < s.relations.size(); ++i) {
            const RelationTrace& r = s.relations[i];
            rows.push_back({i ? "" : std::to_string(s.start.line), i ? "" : sql, r.name,
                            modes(r.locks), r.rewritten ? "yes" : "",
                            r.seq_scans > 0 ? std::to_string(r.seq_scans) : "",
                            i ? "" : time_text(s.seconds)});
        }
    }
    return rows;
}

std::string change_word(const SchemaDifference& d) {
    switch (d.change) {
        case SchemaDifference::Change::missing:
            return "missing";
        case SchemaDifference::Change::extra:
            return "extra";
        default:
            return "changed";
    }
}

// Cells come from the migrations (statements, names, server messages): their
// control characters are escaped before they reach a terminal.
void table_text(const Row& head, const std::vector<Row>& raw, std::ostream& out) {
    std::vector<Row> rows = raw;
    for (Row& r : rows)
        for (std::string& cell : r) cell = terminal_safe(cell);
    std::vector<std::size_t> width(head.size());
    for (std::size_t c = 0; c < head.size(); ++c) width[c] = head[c].size();
    for (const auto& r : rows)
        for (std::size_t c = 0; c < r.size(); ++c) width[c] = std::max(width[c], r[c].size());
    auto line = [&](const Row& r) {
        std::string s = "  ";
        for (std::size_t c = 0; c < r.size(); ++c)
            s += r[c] + (c + 1 < r.size() ? std::string(width[c] - r[c].size() + 2, ' ') : "");
        while (!s.empty() && s.back() == ' ') s.pop_back();
        out << s << "\n";
    };
    line(head);
    for (const auto& r : rows) line(r);
}

const Row kTraceHead = {"line",    "statement", "relation", "locks taken",
                        "rewrite", "seq scans", "time"};

}  // namespace

void write_observation_tables_text(const RunResult& run, std::ostream& out) {
    if (!run.observations) return;
    const Observations& o = *run.observations;
    if (!o.server.empty()) out << terminal_safe(o.server) << "\n\n";
    for (const MigrationTrace& m : o.migrations) {
        out << terminal_safe(m.path) << ": " << terminal_safe(m.outcome)
            << (m.traced ? "" : ", untraced") << (m.in_transaction ? ", in one transaction" : "")
            << ", " << time_text(m.seconds) << "\n";
        if (!m.statements.empty()) table_text(kTraceHead, statement_rows(m, 48), out);
        out << "\n";
    }
    for (const SchemaComparison& c : o.comparisons) {
        std::size_t breaking = 0;
        for (const auto& d : c.differences) breaking += d.breaking;
        out << terminal_safe(c.title) << ": " << c.differences.size() << " difference"
            << (c.differences.size() == 1 ? "" : "s") << " (" << breaking << " breaking)\n";
        std::vector<Row> rows;
        for (const auto& d : c.differences) {
            std::string what;
            for (const auto& x : d.details) what += (what.empty() ? "" : "; ") + x;
            rows.push_back(
                {change_word(d), d.kind, d.name, d.breaking ? "BREAKING" : "", clip(what, 90)});
        }
        if (!rows.empty()) table_text({"change", "kind", "object", "", "details"}, rows, out);
        for (const auto& n : c.notes) out << "  note: " << terminal_safe(n) << "\n";
        out << "\n";
    }
    for (const HistoryReport& h : o.histories) {
        out << "history " << terminal_safe(h.table) << " (" << h.tool << ") in "
            << terminal_safe(h.database) << "\n";
        std::vector<Row> rows;
        for (const auto& e : h.entries) rows.push_back({e.version, e.path, e.state, e.detail});
        table_text({"version", "file", "state", "detail"}, rows, out);
        out << "\n";
    }
}

std::string observation_tables_markdown(const RunResult& run, std::size_t budget) {
    if (!run.observations) return "";
    const Observations& o = *run.observations;
    std::string out;
    std::size_t left_out = 0;
    auto add = [&](const std::string& text) {
        if (left_out || out.size() + text.size() + 120 > budget) {
            ++left_out;
            return false;
        }
        out += text;
        return true;
    };
    auto row = [](const Row& r) {
        std::string s = "|";
        for (const auto& c : r)
            s += " " + (c.empty() ? std::string() : markdown_inline(c, true)) + " |";
        return s + "\n";
    };
    if (!o.server.empty())
        add("### Verified on a real server\n\n" + markdown_inline(o.server, false) + "\n\n");
    for (const MigrationTrace& m : o.migrations) {
        if (m.statements.empty()) continue;
        std::string block =
            "#### " + markdown_code(m.path, false) + ": " + markdown_inline(m.outcome, false) +
            "\n\n| Line | Statement | Relation | Locks taken | Rewrite | Seq scans | Time |\n"
            "|---:|---|---|---|---|---:|---:|\n";
        for (const Row& r : statement_rows(m, 80)) {
            std::string line = "|";
            for (std::size_t c = 0; c < r.size(); ++c)
                line += " " +
                        (r[c].empty()       ? std::string()
                         : c == 1 || c == 2 ? markdown_code(r[c], true)
                                            : markdown_inline(r[c], true)) +
                        " |";
            block += line + "\n";
        }
        add(block + "\n");
    }
    for (const SchemaComparison& c : o.comparisons) {
        std::string block = "### " + markdown_inline(c.title, false) + "\n\n";
        if (c.differences.empty())
            block += "No differences.\n\n";
        else {
            block += "| Change | Object | Breaking | Details |\n|---|---|---|---|\n";
            for (const auto& d : c.differences) {
                std::string what;
                for (const auto& x : d.details) what += (what.empty() ? "" : "; ") + x;
                block += "| " + change_word(d) + " | " + markdown_inline(d.kind, true) + " " +
                         markdown_code(d.name, true) + " | " + (d.breaking ? "**yes**" : "") +
                         " | " + markdown_inline(what, true) + " |\n";
            }
            block += "\n";
        }
        add(block);
    }
    for (const HistoryReport& h : o.histories) {
        std::string block = "### History " + markdown_code(h.table, false) + " in " +
                            markdown_inline(h.database, false) +
                            "\n\n| Version | File | State | Detail |\n|---|---|---|---|\n";
        for (const auto& e : h.entries) block += row({e.version, e.path, e.state, e.detail});
        add(block + "\n");
    }
    if (left_out)
        out +=
            "> [!NOTE]\n> " + std::to_string(left_out) +
            " table(s) of the verify run were left out to keep this comment under its size limit: "
            "`pgwarden verify --format html` has them all.\n\n";
    return out;
}

nlohmann::ordered_json observations_json(const Observations& o) {
    using J = nlohmann::ordered_json;
    J migrations = J::array();
    for (const MigrationTrace& m : o.migrations) {
        J statements = J::array();
        for (const StatementTrace& s : m.statements) {
            J relations = J::array();
            for (const RelationTrace& r : s.relations)
                relations.push_back({{"name", r.name},
                                     {"kind", r.kind},
                                     {"locks", r.locks},
                                     {"held", r.held},
                                     {"rewritten", r.rewritten},
                                     {"seq_scans", r.seq_scans}});
            statements.push_back({{"line", s.start.line},
                                  {"column", s.start.column},
                                  {"end_line", s.end.line},
                                  {"end_column", s.end.column},
                                  {"kind", s.kind},
                                  {"sql", s.sql},
                                  {"seconds", s.seconds},
                                  {"concurrent", s.concurrent},
                                  {"in_transaction", s.in_transaction},
                                  {"error", s.error},
                                  {"sqlstate", s.sqlstate},
                                  {"relations", relations}});
        }
        migrations.push_back({{"path", m.path},
                              {"set", m.set},
                              {"traced", m.traced},
                              {"in_transaction", m.in_transaction},
                              {"outcome", m.outcome},
                              {"seconds", m.seconds},
                              {"statements", statements}});
    }
    J comparisons = J::array();
    for (const SchemaComparison& c : o.comparisons) {
        J diffs = J::array();
        for (const SchemaDifference& d : c.differences)
            diffs.push_back({{"change", change_word(d)},
                             {"kind", d.kind},
                             {"name", d.name},
                             {"breaking", d.breaking},
                             {"details", d.details}});
        comparisons.push_back({{"title", c.title},
                               {"left", c.left_label},
                               {"right", c.right_label},
                               {"differences", diffs},
                               {"notes", c.notes}});
    }
    J histories = J::array();
    for (const HistoryReport& h : o.histories) {
        J entries = J::array();
        for (const HistoryEntry& e : h.entries)
            entries.push_back({{"version", e.version},
                               {"path", e.path},
                               {"state", e.state},
                               {"detail", e.detail}});
        histories.push_back(
            {{"database", h.database}, {"table", h.table}, {"tool", h.tool}, {"entries", entries}});
    }
    J model_checks = J::array();
    for (const ModelCheck& m : o.model_checks) {
        J items = J::array();
        for (const auto& [kind, message] : m.disagreements)
            items.push_back({{"kind", kind}, {"message", message}});
        model_checks.push_back(
            {{"set", m.set}, {"compared", m.compared}, {"disagreements", items}});
    }
    return {{"server", o.server},
            {"migrations", migrations},
            {"comparisons", comparisons},
            {"histories", histories},
            {"model_checks", model_checks}};
}

}  // namespace pgw
