// Liquibase formatted SQL (docs.liquibase.com, "Example Changelogs: SQL
// Format"). Facts from liquibase/liquibase liquibase-standard parser/
// AbstractFormattedChangeLogParser.java:
// - the first non-blank line matches `^\s*--\s*liquibase\s*formatted.*`
//   (case-insensitive);
// - `--changeset author:id attr:value...` starts a changeset (the pattern
//   `\s*--[\s]*changeset\s+("[^"]+"|[^:]+):\s*("[^"]+"|\S+).*`, case-
//   insensitive); runInTransaction (default true), runOnChange and runAlways
//   (default false) are read from that line;
// - `--rollback <sql>` lines accumulate the changeset's rollback, and so does a
//   block from a line `/* liquibase rollback` to a line ending in `*/`;
//   `--rollback changesetId:...` points at another changeset instead.
// Each changeset runs in its own transaction unless runInTransaction:false;
// liquibase splits its statements itself and runs them one by one.
#include <re2/re2.h>

#include "tools/text.h"
#include "tools/tool.h"

namespace pgw::tools {

namespace {

bool header_line(std::string_view line) {
    static const re2::RE2 re(R"((?i)^\s*--\s*liquibase\s*formatted)");
    return re2::RE2::PartialMatch(re2::StringPiece(line.data(), line.size()), re);
}

bool changeset_line(std::string_view line) {
    static const re2::RE2 re(R"((?i)^\s*--[\s]*changeset\s+("[^"]+"|[^:]+):\s*("[^"]+"|\S+))");
    return re2::RE2::PartialMatch(re2::StringPiece(line.data(), line.size()), re);
}

// The value of `name:value` on a changeset line, lower-case; "" when absent.
std::string attribute(std::string_view line, std::string_view name) {
    std::string low = lower(line);
    std::string key = lower(name) + ":";
    auto at = low.find(key);
    if (at == std::string::npos) return {};
    std::size_t b = at + key.size(), e = b;
    while (e < low.size() && low[e] != ' ' && low[e] != '\t') ++e;
    return low.substr(b, e - b);
}

// Only the first line that is not blank is read.
bool formatted(const std::string& bytes) {
    Line l;
    for (std::size_t at = 0; next_line(bytes, at, l);) {
        if (trim(l.text).empty()) continue;
        return header_line(l.text);
    }
    return false;
}

class Liquibase final : public Tool {
  public:
    std::string_view name() const override { return "liquibase"; }
    Rollbacks rollbacks() const override { return Rollbacks::sections; }
    std::string_view outside_transaction() const override {
        return "give the changeset `runInTransaction:false`";
    }
    std::string_view summary() const override {
        return "formatted SQL changelogs: `--changeset author:id` units, `--rollback` lines, "
               "one transaction per changeset";
    }

    int detect(const SetView& set) const override {
        for (std::size_t i = 0; i < set.paths.size(); ++i)
            if (formatted(set.bytes(i))) return 100;
        return 0;
    }

    // A changelog folder is applied in file-name order (includeAll); the key
    // of a changeset is id, author and file: files do not clash.
    MemberInfo member(std::string_view relative, const SetView&) const override {
        MemberInfo m;
        m.order = {text_part(relative)};
        m.key = std::string(relative);
        return m;
    }

    bool records_applied() const override { return true; }

    FileLayout layout(std::string_view, const std::string& bytes, const Project&) const override {
        FileLayout out;
        Unit before;
        before.span = {0, bytes.size()};
        before.runs = false;
        out.units.push_back(before);
        std::size_t up = 0, down = 0;  // units of the current changeset
        bool in_block = false;
        for (const Line& l : lines_of(bytes)) {
            std::string_view t = trim(l.text);
            if (in_block) {
                std::size_t end = l.text.rfind("*/");
                bool last = t.ends_with("*/");
                std::size_t payload_end = last ? l.begin + end : l.begin + l.text.size();
                if (payload_end > l.begin) out.embedded.push_back({{l.begin, payload_end}, down});
                in_block = !last;
                continue;
            }
            if (changeset_line(l.text)) {
                close(out, up, down, l.begin);
                Unit u;
                u.span = {l.begin, bytes.size()};
                u.tx = attribute(l.text, "runInTransaction") == "false" ? TxMode::none
                                                                        : TxMode::wrapped;
                u.reruns = attribute(l.text, "runOnChange") == "true" ||
                           attribute(l.text, "runAlways") == "true";
                u.label = "changeset " + std::string(trim(t.substr(t.find("changeset") + 9)));
                u.label = u.label.substr(0, u.label.find(' ', 10));
                out.units.push_back(u);
                up = out.units.size() - 1;
                Unit d = u;
                d.section = Section::down;
                d.embedded = true;
                d.reruns = false;
                out.units.push_back(d);
                down = out.units.size() - 1;
                out.cuts.push_back(l.begin);
                continue;
            }
            if (up == 0) continue;
            std::string low = lower(t);
            if (low.starts_with("--rollback") && low.find("changesetid:") == std::string::npos) {
                std::size_t at = l.text.find_first_not_of(" \t") + 2;
                while (at < l.text.size() && (l.text[at] == ' ' || l.text[at] == '\t')) ++at;
                at += std::string_view("rollback").size();
                if (at < l.text.size())
                    out.embedded.push_back({{l.begin + at, l.begin + l.text.size()}, down});
            } else if (low.starts_with("/* liquibase rollback") || low == "/*liquibase rollback") {
                in_block = true;
            }
        }
        close(out, up, down, bytes.size());
        return out;
    }

  private:
    static void close(FileLayout& out, std::size_t up, std::size_t down, std::size_t end) {
        out.units[up].span.end = end;
        if (up == 0) return;
        out.units[down].span.end = end;
    }
};

}  // namespace

const Tool& liquibase() {
    static const Liquibase tool;
    return tool;
}

}  // namespace pgw::tools
