// goose (github.com/pressly/goose). Facts from pressly/goose:
// - internal/sqlparser/parser.go (ParseSQLMigration, extractAnnotation): an
//   annotation is a line starting with `--` (column 0) that contains `+goose`;
//   compared case-insensitively with Up, Down, StatementBegin, StatementEnd,
//   NO TRANSACTION, ENVSUB ON/OFF. Only comments may precede `-- +goose Up`.
//   Outside StatementBegin/End goose ends a statement at a line whose last word
//   before a `--` ends in `;`, without looking at quotes or `$$` bodies.
// - migration_sql.go (runSQLMigration): each statement is its own Exec, in one
//   transaction per file unless NO TRANSACTION (collect_migration.go parseSQL:
//   it applies to the whole file, both sections).
// - collect_migration.go (NumericComponent): the version is the int64 before
//   the first `_`; a duplicate version is an error.
#include "tools/text.h"
#include "tools/tool.h"

namespace pgw::tools {

namespace {

// The annotation of a goose line, lower-case ("up", "statementend"), or "".
std::string annotation(std::string_view line) {
    if (line.substr(0, 2) != "--" || lower(line).find("+goose") == std::string::npos) return {};
    std::string text = lower(line);
    std::string out;
    for (std::size_t i = 0; i < text.size();) {  // every `--` removed, then the first `+goose`
        if (text.compare(i, 2, "--") == 0) {
            i += 2;
        } else {
            out += text[i++];
        }
    }
    out.erase(out.find("+goose"), 6);
    return std::string(trim(out));
}

// endsWithSemicolon: the last word before a word starting with `--` ends in `;`.
bool ends_statement(std::string_view line) {
    std::string_view last;
    for (std::size_t i = 0; i < line.size();) {
        while (i < line.size() && (line[i] == ' ' || line[i] == '\t')) ++i;
        std::size_t b = i;
        while (i < line.size() && line[i] != ' ' && line[i] != '\t') ++i;
        std::string_view word = line.substr(b, i - b);
        if (word.empty()) break;
        if (word.substr(0, 2) == "--") break;
        last = word;
    }
    return !last.empty() && last.back() == ';';
}

class Goose final : public Tool {
  public:
    std::string_view name() const override { return "goose"; }
    Rollbacks rollbacks() const override { return Rollbacks::sections; }
    std::string_view outside_transaction() const override {
        return "add `-- +goose NO TRANSACTION` to the file (goose then runs each statement on its "
               "own)";
    }
    std::string_view summary() const override {
        return "`-- +goose Up` / `Down` sections, one transaction per file unless NO TRANSACTION";
    }

    int detect(const SetView& set) const override {
        for (std::size_t i = 0; i < set.paths.size(); ++i) {
            const std::string& bytes = set.bytes(i);
            // Without `+goose` anywhere no line is an annotation: most files
            // of a set that is not goose's need no look line by line.
            if (!contains_ci(bytes, "+goose")) continue;
            for (const Line& l : lines_of(bytes))
                if (annotation(l.text) == "up") return 100;
        }
        return 0;
    }

    MemberInfo member(std::string_view relative, const SetView&) const override {
        MemberInfo m;
        std::string_view name = file_name(relative);
        auto cut = name.find('_');
        std::string_view version = name.substr(0, cut);
        m.migration = relative == name && cut != std::string_view::npos && all_digits(version);
        if (!m.migration)
            m.problem =
                "goose needs <version>_<name>.sql (any other .sql file in the folder is an "
                "error for goose)";
        m.order = {number_part(version)};
        m.key = number_part(version).text;
        return m;
    }

    FileLayout layout(std::string_view, const std::string& bytes, const Project&) const override {
        FileLayout out;
        Unit before;  // what precedes `-- +goose Up` is never run
        before.span = {0, bytes.size()};
        before.runs = false;
        out.units.push_back(before);
        bool no_transaction = false, in_block = false;
        for (const Line& l : lines_of(bytes)) {
            std::string a = annotation(l.text);
            if (a.empty()) {
                // goose's own split at a line ending in `;` (quotes and $$ unseen).
                if (!in_block && out.units.back().runs && ends_statement(l.text) &&
                    l.next < bytes.size())
                    out.cuts.push_back(l.next);
                continue;
            }
            out.cuts.push_back(l.begin);
            if (a == "up" || a == "down") {
                out.units.back().span.end = l.begin;
                Unit u;
                u.span = {l.begin, bytes.size()};
                u.section = a == "up" ? Section::up : Section::down;
                out.units.push_back(u);
            } else if (a == "statementbegin") {
                in_block = true;
            } else if (a == "statementend") {
                in_block = false;
                if (l.next < bytes.size()) out.cuts.push_back(l.next);
            } else if (a == "no transaction") {
                no_transaction = true;
            }
        }
        for (Unit& u : out.units) u.tx = no_transaction ? TxMode::none : TxMode::wrapped;
        if (no_transaction) out.note = "goose: NO TRANSACTION";
        return out;
    }
};

}  // namespace

const Tool& goose() {
    static const Goose tool;
    return tool;
}

}  // namespace pgw::tools
