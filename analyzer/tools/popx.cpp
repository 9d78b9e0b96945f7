// ory popx (github.com/ory/x/popx, the migrator of Kratos, Hydra and Keto).
// Facts from ory/x:
// - popx/match.go (MigrationFileRegexp, parseMigrationFilename):
//   `^(\d+)_([^.]+)(\.[a-z0-9]+)?(\.autocommit)?\.(up|down)\.(sql)$`; the
//   optional part is a dialect (postgres, cockroach, mysql, sqlite3) or
//   `.autocommit`; no dialect means every database.
// - popx/migration_info.go (Less, SortAndFilter): versions compare as
//   strings; for one version a file of the database's own dialect replaces the
//   generic one. Files of other dialects never run on PostgreSQL.
// - popx/migration_box.go (check): every up needs a down of its version.
// - popx/migrator.go (isolatedTransaction): each migration runs in its own
//   transaction, the whole file as one Exec; `.autocommit.` files skip that
//   transaction (the file is still one query: an implicit transaction block).
// - popx/migration_content.go: every file is a Go text/template ({{ ... }}).
#include <algorithm>
#include <map>

#include "tools/text.h"
#include "tools/tool.h"

namespace pgw::tools {

namespace {

struct Name {
    std::string version, dialect;  // dialect "" for every database
    bool autocommit = false, down = false;
};

bool postgres_dialect(std::string_view d) {
    return d.empty() || d == "postgres" || d == "postgresql" || d == "pg";
}

bool parse_name(std::string_view name, Name& out) {
    auto cut = name.find('_');
    if (cut == std::string_view::npos || !all_digits(name.substr(0, cut))) return false;
    out.version = std::string(name.substr(0, cut));
    std::string low(name);
    std::string_view rest(low);
    if (rest.ends_with(".up.sql")) {
        rest.remove_suffix(7);
    } else if (rest.ends_with(".down.sql")) {
        rest.remove_suffix(9);
        out.down = true;
    } else {
        return false;
    }
    if (rest.ends_with(".autocommit")) {
        rest.remove_suffix(11);
        out.autocommit = true;
    }
    std::string_view body = rest.substr(cut + 1);
    auto dot = body.find('.');
    if (dot != std::string_view::npos) out.dialect = std::string(body.substr(dot + 1));
    return out.dialect.find('.') == std::string::npos;
}

class Popx final : public Tool {
  public:
    std::string_view name() const override { return "popx"; }
    std::string_view outside_transaction() const override {
        return "name the file X.autocommit.up.sql and keep the statement alone in it";
    }
    std::string_view summary() const override {
        return "<n>_name[.dialect][.autocommit].up.sql / .down.sql (ory), one transaction per "
               "file";
    }

    int detect(const SetView& set) const override {
        int score = 0;
        std::size_t named = 0;
        for (const std::string& p : set.paths) {
            Name n;
            if (!parse_name(file_name(p), n)) continue;
            ++named;
            if (n.autocommit) score = 90;  // popx's alone
            if (!n.dialect.empty()) score = std::max(score, 80);
        }
        return named * 2 > set.paths.size() ? score : 0;
    }

    MemberInfo member(std::string_view relative, const SetView&) const override {
        MemberInfo m;
        Name n;
        bool named = relative == file_name(relative) && parse_name(relative, n);
        m.migration = named && postgres_dialect(n.dialect);
        if (!named)
            m.problem = "popx runs only <version>_<name>[.dialect][.autocommit].up.sql / .down.sql";
        else if (!m.migration)
            m.skipped = "a " + n.dialect + " migration: popx does not run it on PostgreSQL";
        m.down = n.down;
        m.order = {text_part(n.version)};
        m.key = n.version;
        m.variant = n.dialect.empty() ? "" : "postgres";
        return m;
    }

    // SortAndFilter: where a version has a PostgreSQL file, its generic file
    // (same direction) is not run.
    std::vector<MemberInfo> members(const SetView& set) const override {
        std::vector<MemberInfo> out = Tool::members(set);
        std::map<std::pair<std::string, bool>, bool> specific;
        for (const MemberInfo& m : out)
            if (m.migration && !m.variant.empty()) specific[{m.key, m.down}] = true;
        for (MemberInfo& m : out)
            if (m.migration && m.variant.empty() && specific.count({m.key, m.down})) {
                m.migration = false;
                m.skipped = "replaced on PostgreSQL by the .postgres file of its version";
            }
        return out;
    }

    FileLayout layout(std::string_view path, const std::string& bytes,
                      const Project&) const override {
        Name n;
        if (parse_name(file_name(path), n) && n.autocommit)
            return whole_file(bytes.size(), TxMode::implicit_block,
                              "popx: .autocommit (no transaction of its own)");
        return whole_file(bytes.size(), TxMode::wrapped_batch);
    }
};

}  // namespace

const Tool& popx() {
    static const Popx tool;
    return tool;
}

}  // namespace pgw::tools
