// dbmate (github.com/amacneil/dbmate). Facts from amacneil/dbmate:
// - pkg/dbmate/migration.go (parseMigrationContents, parseMigrationOptions):
//   sections start at lines matching `^--\s*migrate:up(\s*$|\s+\S+)` and
//   `^--\s*migrate:down...` (case-sensitive, column 0); newer versions allow
//   several up/down pairs per file. Options are `key:value` words on the
//   marker line; only `transaction:false` turns the transaction off. Only
//   comments may precede the first `-- migrate:up`.
// - pkg/dbmate/db.go (Migrate, FindMigrations): a section is sent as ONE
//   Exec (a multi-statement query), in a transaction unless
//   transaction:false; files `^(\d+).*\.sql$` sorted by file name as strings.
#include "tools/text.h"
#include "tools/tool.h"

namespace pgw::tools {

namespace {

// "up" or "down" for a marker line, with the rest of the line in `options`.
std::string_view marker(std::string_view line, std::string_view& options) {
    if (line.substr(0, 2) != "--") return {};
    std::string_view rest = line.substr(2);
    while (!rest.empty() && (rest.front() == ' ' || rest.front() == '\t')) rest.remove_prefix(1);
    for (std::string_view kind : {"up", "down"}) {
        std::string word = "migrate:" + std::string(kind);
        if (rest.substr(0, word.size()) != word) continue;
        std::string_view after = rest.substr(word.size());
        if (!after.empty() && after.front() != ' ' && after.front() != '\t') continue;
        options = after;
        return kind;
    }
    return {};
}

bool transaction_off(std::string_view options) {
    for (std::size_t i = 0; i < options.size();) {
        while (i < options.size() && (options[i] == ' ' || options[i] == '\t')) ++i;
        std::size_t b = i;
        while (i < options.size() && options[i] != ' ' && options[i] != '\t') ++i;
        if (options.substr(b, i - b) == "transaction:false") return true;
    }
    return false;
}

class Dbmate final : public Tool {
  public:
    std::string_view name() const override { return "dbmate"; }
    Rollbacks rollbacks() const override { return Rollbacks::sections; }
    std::string_view outside_transaction() const override {
        return "put it alone in a migration whose `-- migrate:up transaction:false` section holds "
               "nothing else (dbmate sends a section as one query)";
    }
    std::string_view summary() const override {
        return "`-- migrate:up` / `-- migrate:down` sections, each sent as one query in a "
               "transaction unless `transaction:false`";
    }

    int detect(const SetView& set) const override {
        std::string_view options;
        for (std::size_t i = 0; i < set.paths.size(); ++i) {
            const std::string& bytes = set.bytes(i);
            // Markers are case-sensitive: a file without the word has none.
            if (bytes.find("migrate:up") == std::string::npos) continue;
            for (const Line& l : lines_of(bytes))
                if (marker(l.text, options) == "up") return 100;
        }
        return 0;
    }

    MemberInfo member(std::string_view relative, const SetView&) const override {
        MemberInfo m;
        std::string_view name = file_name(relative);
        std::size_t digits = 0;
        while (digits < name.size() && name[digits] >= '0' && name[digits] <= '9') ++digits;
        m.migration = relative == name && digits > 0;
        if (!m.migration) m.problem = "dbmate runs only files named <version>....sql";
        m.order = {text_part(name)};  // FindMigrations: sorted by file name, as strings
        m.key = std::string(name.substr(0, digits));
        return m;
    }

    FileLayout layout(std::string_view, const std::string& bytes, const Project&) const override {
        FileLayout out;
        Unit before;
        before.span = {0, bytes.size()};
        before.runs = false;
        out.units.push_back(before);
        for (const Line& l : lines_of(bytes)) {
            std::string_view options;
            std::string_view kind = marker(l.text, options);
            if (kind.empty()) continue;
            out.cuts.push_back(l.begin);
            out.units.back().span.end = l.begin;
            Unit u;
            u.span = {l.begin, bytes.size()};
            u.section = kind == "up" ? Section::up : Section::down;
            u.tx = transaction_off(options) ? TxMode::implicit_block : TxMode::wrapped_batch;
            if (u.tx == TxMode::implicit_block) out.note = "dbmate: transaction:false";
            out.units.push_back(u);
        }
        return out;
    }
};

}  // namespace

const Tool& dbmate() {
    static const Dbmate tool;
    return tool;
}

}  // namespace pgw::tools
