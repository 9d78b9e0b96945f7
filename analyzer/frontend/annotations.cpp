#include "frontend/annotations.h"

#include <algorithm>
#include <cctype>

namespace pgw {

namespace {

std::string_view trim(std::string_view s) {
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
    return s;
}

std::string lower(std::string_view s) {
    std::string out(s);
    for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

std::size_t edit_distance(std::string_view a, std::string_view b) {
    std::vector<std::size_t> row(b.size() + 1);
    for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
    for (std::size_t i = 1; i <= a.size(); ++i) {
        std::size_t diag = row[0];
        row[0] = i;
        for (std::size_t j = 1; j <= b.size(); ++j) {
            std::size_t up = row[j];
            row[j] = std::min({row[j] + 1, row[j - 1] + 1, diag + (a[i - 1] != b[j - 1])});
            diag = up;
        }
    }
    return row[b.size()];
}

const char* const kOverrideNames[] = {"override-destructive", "migration-override",
                                      "allow-destructive"};

// One logical line of a comment, with its file offset.
struct CommentLine {
    std::string_view text;  // decorations (`*`, blanks) stripped
    std::size_t offset;
    bool indented;  // continuation of the previous line's annotation
};

std::vector<CommentLine> comment_lines(const Comment& c, const std::string& file) {
    std::vector<CommentLine> out;
    std::size_t text_begin = c.span.begin + 2;
    std::string_view body(file.data() + text_begin, c.text.size());
    std::size_t pos = 0;
    while (pos <= body.size()) {
        std::size_t nl = body.find('\n', pos);
        std::string_view line = body.substr(pos, nl == std::string_view::npos ? nl : nl - pos);
        std::size_t lead = 0;
        while (lead < line.size() && (line[lead] == ' ' || line[lead] == '\t')) ++lead;
        bool indented = lead >= 2;
        if (c.block && lead < line.size() && line[lead] == '*' && line.substr(lead, 2) != "*/") {
            ++lead;
            while (lead < line.size() && (line[lead] == ' ' || line[lead] == '\t')) ++lead;
        }
        std::string_view t = trim(line.substr(lead));
        out.push_back({t, text_begin + pos + lead, indented || c.block});
        if (nl == std::string_view::npos) break;
        pos = nl + 1;
    }
    return out;
}

class Collector {
  public:
    Collector(const Migration& m, FileAnnotations& out) : m_(m), out_(out) {}

    void run() {
        const auto& stmts = m_.split.statements;
        out_.statements.resize(stmts.size());
        find_leading_block();
        const std::string& file = m_.source.bytes;
        for (const Comment& c : m_.split.comments) {
            Annotations* target = scope_of(c);
            bool leading = target == &out_.file;
            Annotations* last_plan_owner = !c.block && pending_plan_ == target ? target : nullptr;
            for (const CommentLine& line : comment_lines(c, file)) {
                if (line.text.empty()) {
                    last_plan_owner = nullptr;
                    continue;
                }
                if (line.text.front() == '@') {
                    last_plan_owner = annotation(line, target);
                } else if (line.text.rfind("pgwarden-ignore", 0) == 0) {
                    suppression(line, c, target);
                    last_plan_owner = nullptr;
                } else if (last_plan_owner && line.indented) {
                    auto& plan = *last_plan_owner->rollback_plan;
                    plan += plan.empty() ? "" : " ";
                    plan += line.text;
                } else {
                    last_plan_owner = nullptr;
                    if (leading) header(line);
                }
            }
            // `--` comments continue a rollback plan on the next `--` line only
            // when it is indented; block comments continue to their end.
            pending_plan_ = c.block ? nullptr : last_plan_owner;
        }
    }

  private:
    const Migration& m_;
    FileAnnotations& out_;
    Annotations* pending_plan_ = nullptr;
    Annotations detached_;  // comments after the last statement apply to nothing

    std::size_t leading_end_ = 0;       // the file's leading comment block ends here
    bool leading_above_first_ = false;  // ... directly above the first statement

    // The leading block is the first run of comments with no blank line in it.
    // A block after a blank line, directly above the first statement, is that
    // statement's own (a header, then `-- @override-destructive` above a DROP).
    void find_leading_block() {
        const auto& comments = m_.split.comments;
        std::size_t first_stmt = m_.split.statements.empty() ? m_.source.bytes.size()
                                                             : m_.split.statements[0].span.begin;
        int last_line = 0;
        for (const Comment& c : comments) {
            if (c.span.begin >= first_stmt) break;
            int line = m_.source.position_at(c.span.begin).line;
            if (last_line && line > last_line + 1) break;
            last_line = m_.source.position_at(c.span.end > 0 ? c.span.end - 1 : 0).line;
            leading_end_ = c.span.end;
        }
        // Nothing but the line break between the block and the first statement.
        leading_above_first_ = last_line && !m_.split.statements.empty() &&
                               m_.source.position_at(first_stmt).line <= last_line + 1;
    }

    Annotations* scope_of(const Comment& c) {
        const auto& stmts = m_.split.statements;
        auto next = std::lower_bound(
            stmts.begin(), stmts.end(), c.span.begin,
            [](const RawStatement& s, std::size_t at) { return s.span.end <= at; });
        if (next == stmts.begin()) {
            if (next == stmts.end() || c.span.end <= leading_end_) return &out_.file;
            return &out_.statements[0];
        }
        std::size_t index = static_cast<std::size_t>(next - stmts.begin());
        // Inside a statement: it belongs to that statement.
        if (next != stmts.end() && next->span.begin < c.span.begin) return &out_.statements[index];
        // On the line where the previous statement ends: a trailing comment.
        const auto& prev = *(next - 1);
        if (m_.source.position_at(prev.span.end).line == m_.source.position_at(c.span.begin).line)
            return &out_.statements[index - 1];
        return next == stmts.end() ? &detached_ : &out_.statements[index];
    }

    Annotations* annotation(const CommentLine& line, Annotations* target) {
        std::string_view rest = line.text.substr(1);
        std::size_t n = 0;
        while (n < rest.size() && (std::isalnum(static_cast<unsigned char>(rest[n])) ||
                                   rest[n] == '-' || rest[n] == '_'))
            ++n;
        std::string name = lower(rest.substr(0, n));
        std::string_view arg = trim(rest.substr(n));
        if (std::find(std::begin(kOverrideNames), std::end(kOverrideNames), name) !=
            std::end(kOverrideNames)) {
            target->override_destructive = true;
            return nullptr;
        }
        if (name == "rollback-plan") {
            if (!arg.empty() && arg.front() == ':') arg = trim(arg.substr(1));
            target->rollback_plan = std::string(arg);
            return target;
        }
        if (name == "risk") {
            if (!arg.empty() && arg.front() == ':') arg = trim(arg.substr(1));
            target->risk = parse_risk(arg.substr(0, arg.find_first_of(" \t")));
            return nullptr;
        }
        std::string best;
        std::size_t best_distance = 99;
        for (const std::string& known : known_annotations()) {
            std::size_t d = edit_distance(name, known);
            if (d < best_distance) best_distance = d, best = known;
        }
        // Close enough to be a typo: at most a third of the letters differ.
        if (!name.empty() && best_distance * 3 <= best.size())
            out_.unknown.push_back({{line.offset, line.offset + 1 + n}, "@" + name, "@" + best});
        return nullptr;
    }

    void suppression(const CommentLine& line, const Comment& c, Annotations* target) {
        std::string_view rest = line.text.substr(std::string_view("pgwarden-ignore").size());
        Suppression s;
        s.comment = c.span;
        if (rest.rfind("-file", 0) == 0) {
            s.file_wide = true;
            rest.remove_prefix(5);
        } else if (!rest.empty() && !std::isspace(static_cast<unsigned char>(rest.front()))) {
            return;  // some other word that merely starts like ours
        }
        if (auto reason = rest.find("--"); reason != std::string_view::npos)
            rest = rest.substr(0, reason);
        std::string word;
        for (char ch : std::string(rest) + " ") {
            if (std::isspace(static_cast<unsigned char>(ch)) || ch == ',') {
                if (!word.empty()) s.rules.push_back(word);
                word.clear();
            } else {
                word += ch;
            }
        }
        out_.suppressions.push_back(std::move(s));
        // SPEC §3: a suppression in the leading block directly above the first
        // statement covers that statement, like any block above a statement.
        if (target == &out_.file && leading_above_first_) target = &out_.statements[0];
        if (!out_.suppressions.back().file_wide)
            target->suppressions.push_back(out_.suppressions.size() - 1);
    }

    void header(const CommentLine& line) {
        auto colon = line.text.find(':');
        if (colon == std::string_view::npos || colon == 0 || colon > 40) return;
        std::string key = lower(trim(line.text.substr(0, colon)));
        if (key == "risk level") key = "risk";
        for (char ch : key)
            if (!std::isalpha(static_cast<unsigned char>(ch)) && ch != ' ' && ch != '-') return;
        std::string_view value = line.text.substr(colon + 1);
        // `-- Risk: LOW -- reviewed by Ana`: a second `--` starts a remark.
        if (auto remark = value.find(" --"); remark != std::string_view::npos)
            value = value.substr(0, remark);
        value = trim(value);
        out_.header.push_back(
            {key, std::string(value), {line.offset, line.offset + line.text.size()}});
        if (key == "risk" && !out_.file.risk) out_.file.risk = parse_risk(value);
    }
};

}  // namespace

bool Suppression::covers(const std::string& rule) const {
    return rules.empty() || std::find(rules.begin(), rules.end(), rule) != rules.end() ||
           std::find(rules.begin(), rules.end(), "all") != rules.end();
}

const std::vector<std::string>& known_annotations() {
    static const std::vector<std::string> names = {"override-destructive", "migration-override",
                                                   "allow-destructive", "rollback-plan", "risk"};
    return names;
}

Annotations FileAnnotations::effective(std::size_t index) const {
    Annotations a = file;
    a.suppressions.clear();
    if (index >= statements.size()) return a;
    const Annotations& s = statements[index];
    a.override_destructive = a.override_destructive || s.override_destructive;
    if (s.rollback_plan) a.rollback_plan = s.rollback_plan;
    a.suppressions = s.suppressions;
    return a;
}

std::size_t FileAnnotations::top_level_of(const Migration& m, std::size_t at) const {
    const auto& stmts = m.split.statements;
    auto it =
        std::upper_bound(stmts.begin(), stmts.end(), at,
                         [](std::size_t a, const RawStatement& s) { return a < s.span.begin; });
    return it == stmts.begin() ? 0 : static_cast<std::size_t>(it - stmts.begin()) - 1;
}

FileAnnotations collect_annotations(const Migration& m) {
    FileAnnotations out;
    Collector(m, out).run();
    return out;
}

}  // namespace pgw
