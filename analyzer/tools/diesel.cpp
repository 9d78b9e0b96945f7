// Diesel (github.com/diesel-rs/diesel). Facts:
// - diesel_migrations/migrations_internals/src/lib.rs (version_from_string,
//   valid_sql_migration_directory): every subfolder holding up.sql is a
//   migration; its version is the folder name up to the first `_` with every
//   `-` removed, compared as a string (diesel/src/migration/mod.rs
//   MigrationVersion derives Ord on the text); duplicate versions collapse
//   into one (migration_harness.rs pending_migrations: a HashMap by version).
// - file_based_migrations.rs (run_sql_from_file): the whole file is one
//   batch_execute; metadata.toml `run_in_transaction = false` (default true,
//   TomlMetadata) drops the harness's transaction, leaving one
//   multi-statement query: an implicit transaction block.
#include "tools/text.h"
#include "tools/tool.h"

namespace pgw::tools {

namespace {

std::string version_of(std::string_view folder) {
    std::string out;
    for (char c : folder.substr(0, folder.find('_')))
        if (c != '-') out += c;
    return out;
}

// `run_in_transaction = false` in the TOML text (a top-level key).
bool no_transaction(const std::string& toml) {
    for (const Line& l : lines_of(toml)) {
        std::string_view t = trim(l.text);
        if (!t.starts_with("run_in_transaction")) continue;
        std::string_view v =
            trim(t.substr(t.find('=') == std::string_view::npos ? t.size() : t.find('=') + 1));
        return v.starts_with("false");
    }
    return false;
}

class Diesel final : public Tool {
  public:
    std::string_view name() const override { return "diesel"; }
    std::string_view outside_transaction() const override {
        return "put it alone in a migration with `run_in_transaction = false` in its metadata.toml "
               "(diesel sends up.sql as one query)";
    }
    std::string_view summary() const override {
        return "<version>_name/up.sql + down.sql folders, one transaction per file unless "
               "metadata.toml says run_in_transaction = false";
    }

    int detect(const SetView& set) const override {
        std::size_t n = 0;
        for (const std::string& p : set.paths) {
            std::string_view name = file_name(p);
            n += (name == "up.sql" || name == "down.sql") && folder_of(p) != set.root;
        }
        return n * 2 > set.paths.size() ? 60 : 0;
    }

    MemberInfo member(std::string_view relative, const SetView&) const override {
        MemberInfo m;
        std::string_view folder = folder_of(relative);
        std::string_view name = file_name(relative);
        m.migration = !folder.empty() && folder.find('/') == std::string_view::npos &&
                      (name == "up.sql" || name == "down.sql") && folder.front() != '.';
        m.down = name == "down.sql";
        if (!m.migration) m.problem = "diesel runs only <version>_<name>/up.sql and down.sql";
        m.key = version_of(folder);
        m.order = {text_part(m.key)};
        return m;
    }

    FileLayout layout(std::string_view path, const std::string& bytes,
                      const Project& project) const override {
        std::string_view dir = folder_of(path);
        auto meta =
            project.read(dir.empty() ? "metadata.toml" : std::string(dir) + "/metadata.toml");
        if (meta && no_transaction(*meta))
            return whole_file(bytes.size(), TxMode::implicit_block,
                              "diesel: run_in_transaction = false");
        return whole_file(bytes.size(), TxMode::wrapped_batch);
    }
};

}  // namespace

const Tool& diesel() {
    static const Diesel tool;
    return tool;
}

}  // namespace pgw::tools
