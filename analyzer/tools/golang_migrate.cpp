// golang-migrate (github.com/golang-migrate/migrate). Facts:
// - source/parse.go (Regex): `^([0-9]+)_(.*)\.(down|up)\.(.*)$`; the version
//   is a uint64; one up and one down per version (ErrDuplicateMigration).
// - database/postgres/postgres.go (Run): the whole file is one ExecContext,
//   a multi-statement query with no BEGIN of its own: an implicit transaction
//   block (x-multi-statement, off by default, splits naively on `;`).
#include "tools/text.h"
#include "tools/tool.h"

namespace pgw::tools {

namespace {

// "000003", "up" for 000003_add_users.up.sql.
bool parse_name(std::string_view name, std::string_view& version, bool& down) {
    auto cut = name.find('_');
    if (cut == std::string_view::npos || !all_digits(name.substr(0, cut))) return false;
    version = name.substr(0, cut);
    std::string low = lower(name);
    if (low.ends_with(".up.sql")) return down = false, true;
    if (low.ends_with(".down.sql")) return down = true, true;
    return false;
}

class GolangMigrate final : public Tool {
  public:
    std::string_view name() const override { return "golang-migrate"; }
    std::string_view outside_transaction() const override {
        return "golang-migrate sends the file as one query: put the statement alone in its own "
               "migration file";
    }
    std::string_view summary() const override {
        return "<n>_name.up.sql / .down.sql pairs, each file sent as one query";
    }

    int detect(const SetView& set) const override {
        std::size_t n = 0;
        std::string_view v;
        bool down;
        for (const std::string& p : set.paths) n += parse_name(file_name(p), v, down);
        return n * 2 > set.paths.size() ? 40 : 0;
    }

    MemberInfo member(std::string_view relative, const SetView&) const override {
        MemberInfo m;
        std::string_view version;
        m.migration = relative == file_name(relative) && parse_name(relative, version, m.down);
        if (!m.migration)
            m.problem = "golang-migrate runs only <version>_<name>.up.sql / .down.sql";
        m.order = {number_part(version)};
        m.key = number_part(version).text;
        return m;
    }

    FileLayout layout(std::string_view, const std::string& bytes, const Project&) const override {
        return whole_file(bytes.size(), TxMode::implicit_block,
                          "golang-migrate: the file is sent as one query");
    }
};

}  // namespace

const Tool& golang_migrate() {
    static const GolangMigrate tool;
    return tool;
}

}  // namespace pgw::tools
