// sqlx (github.com/launchbadge/sqlx, `sqlx migrate`). Facts:
// - sqlx-core/src/migrate/source.rs (resolve_blocking): files `<i64>_<desc>.sql`
//   (`.up.sql` / `.down.sql` reversible), without `_` ignored; sorted by version;
//   `no_tx = sql.starts_with("-- no-transaction")`, byte-exact at offset 0.
// - sqlx-postgres/src/migrate.rs (apply): BEGIN; the whole file as one
//   execute(); COMMIT. Without the transaction the file is still one
//   multi-statement query: an implicit transaction block.
// Detection: sqlx has no marker file; its migrations sit in a Rust project
// (a Cargo.toml in the set's folder or one of the two above it).
#include "tools/text.h"
#include "tools/tool.h"

namespace pgw::tools {

namespace {

bool parse_name(std::string_view name, std::string_view& version, bool& down) {
    auto cut = name.find('_');
    if (cut == std::string_view::npos || !all_digits(name.substr(0, cut))) return false;
    std::string low = lower(name);
    if (!low.ends_with(".sql")) return false;
    version = name.substr(0, cut);
    down = low.ends_with(".down.sql");
    return true;
}

class Sqlx final : public Tool {
  public:
    std::string_view name() const override { return "sqlx"; }
    std::string_view outside_transaction() const override {
        return "start the file with `-- no-transaction` and keep the statement alone in it (sqlx "
               "sends the file as one query)";
    }
    std::string_view summary() const override {
        return "<n>_name.sql (or .up.sql/.down.sql) in a Rust project, one transaction per file "
               "unless `-- no-transaction`";
    }

    int detect(const SetView& set) const override {
        if (!set.project) return 0;
        std::string dir = set.root;
        bool cargo = false;
        for (int up = 0; up < 3 && !cargo; ++up) {
            cargo = set.project->read(dir.empty() ? "Cargo.toml" : dir + "/Cargo.toml").has_value();
            if (dir.empty()) break;
            dir = std::string(folder_of(dir));
        }
        if (!cargo) return 0;
        std::size_t n = 0;
        std::string_view v;
        bool down;
        for (const std::string& p : set.paths) n += parse_name(file_name(p), v, down);
        return n * 2 > set.paths.size() ? 70 : 0;
    }

    MemberInfo member(std::string_view relative, const SetView&) const override {
        MemberInfo m;
        std::string_view version;
        m.migration = relative == file_name(relative) && parse_name(relative, version, m.down);
        if (!m.migration) m.problem = "sqlx runs only <version>_<name>.sql (others are ignored)";
        m.order = {number_part(version)};
        m.key = number_part(version).text;
        return m;
    }

    FileLayout layout(std::string_view, const std::string& bytes, const Project&) const override {
        if (bytes.starts_with("-- no-transaction"))
            return whole_file(bytes.size(), TxMode::implicit_block, "sqlx: -- no-transaction");
        return whole_file(bytes.size(), TxMode::wrapped_batch);
    }
};

}  // namespace

const Tool& sqlx() {
    static const Sqlx tool;
    return tool;
}

}  // namespace pgw::tools
