// Synapse (element-hq/synapse, formerly matrix-org/synapse) schema deltas.
// Facts from synapse/storage/prepare_database.py (_upgrade_existing_database):
// deltas live in schema/{common,main,state}/delta/<N>/; for each version N in
// order, the files of the three folders are merged and sorted by file name (the
// same name twice in one version is an error); `X.sql` runs on every engine,
// `X.sql.postgres` on PostgreSQL only, `X.sql.sqlite` and `.py` deltas are not
// SQL for PostgreSQL; applied deltas are keyed "<N>/<file name>".
// engines/postgres.py (executescript): each SQL delta runs as
// `COMMIT; BEGIN TRANSACTION; <whole file>`: one transaction per file, the
// file sent as one query. `$%AUTO_INCREMENT_PRIMARY_KEY%$` is substituted by
// the engine (engines/_base.py AUTO_INCREMENT_PRIMARY_KEYPLACEHOLDER).
#include "tools/text.h"
#include "tools/tool.h"

namespace pgw::tools {

namespace {

// For "main/delta/72/01_x.sql.postgres": the version "72" and file "01_x.sql.postgres".
bool parse_delta(std::string_view relative, std::string_view& version, std::string_view& file) {
    file = file_name(relative);
    std::string_view dir = folder_of(relative);
    version = file_name(dir);
    std::string_view rest = folder_of(dir);
    if (!all_digits(version) || file_name(rest) != "delta") return false;
    std::string_view store = folder_of(rest);
    return store.empty() || store == "common" || store == "main" || store == "state";
}

class Synapse final : public Tool {
  public:
    std::string_view name() const override { return "synapse"; }
    Rollbacks rollbacks() const override { return Rollbacks::none; }
    std::string_view outside_transaction() const override {
        return "Synapse runs each delta in a transaction: build the index in a background update "
               "instead";
    }
    std::string_view summary() const override {
        return "delta/<N>/ folders (X.sql, X.sql.postgres), one transaction per file";
    }

    int detect(const SetView& set) const override {
        std::string_view v, f;
        for (const std::string& p : set.paths)
            if (parse_delta(relative_to(p, set.root), v, f)) return 90;
        return 0;
    }

    MemberInfo member(std::string_view relative, const SetView&) const override {
        MemberInfo m;
        std::string_view version, file;
        std::string low = lower(file_name(relative));
        m.migration = parse_delta(relative, version, file) &&
                      (low.ends_with(".sql") || low.ends_with(".sql.postgres"));
        if (!m.migration) m.problem = "synapse runs only delta/<N>/ files";
        m.order = {number_part(version), text_part(file)};
        m.key = std::string(version) + "/" + std::string(file);
        return m;
    }

    FileLayout layout(std::string_view, const std::string& bytes, const Project&) const override {
        return whole_file(bytes.size(), TxMode::wrapped_batch);
    }

    std::vector<std::string> placeholders() const override { return {R"(\$%[A-Z_]+%\$)"}; }
};

}  // namespace

const Tool& synapse() {
    static const Synapse tool;
    return tool;
}

}  // namespace pgw::tools
