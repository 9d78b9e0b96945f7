// gobuffalo pop / soda (github.com/gobuffalo/pop), used by Supabase Auth.
// Facts from gobuffalo/pop:
// - match.go (ParseMigrationFilename):
//   `^(\d+)_([^.]+)(\.[a-z0-9]+)?\.(up|down)\.(sql|fizz)$`, the optional part a
//   dialect; files for other databases are skipped (migrator.go
//   migrationIsCompatible); versions compare as strings.
// - migration_content.go (MigrationContent): every file is a Go text/template
//   executed with the connection details (`{{ index .Options "Namespace" }}`).
// - migrator.go (UpTo): each migration runs in c.Transaction, the whole file
//   as one Exec.
// Detection: pop's names are golang-migrate's; the templates tell them apart.
#include "tools/text.h"
#include "tools/tool.h"

namespace pgw::tools {

namespace {

bool parse_name(std::string_view name, std::string& version, std::string& dialect, bool& down) {
    auto cut = name.find('_');
    if (cut == std::string_view::npos || !all_digits(name.substr(0, cut))) return false;
    std::string low = lower(name);
    std::string_view rest(low);
    if (rest.ends_with(".up.sql")) {
        rest.remove_suffix(7);
        down = false;
    } else if (rest.ends_with(".down.sql")) {
        rest.remove_suffix(9);
        down = true;
    } else {
        return false;
    }
    version = std::string(name.substr(0, cut));
    std::string_view body = rest.substr(cut + 1);
    auto dot = body.find('.');
    dialect = dot == std::string_view::npos ? "" : std::string(body.substr(dot + 1));
    return true;
}

class Pop final : public Tool {
  public:
    std::string_view name() const override { return "pop"; }
    std::string_view outside_transaction() const override {
        return "pop runs every migration in a transaction: build the index outside pop";
    }
    std::string_view summary() const override {
        return "<n>_name.up.sql / .down.sql Go templates (gobuffalo pop, soda), one transaction "
               "per file";
    }

    int detect(const SetView& set) const override {
        std::size_t named = 0;
        std::string v, d;
        bool down;
        for (const std::string& p : set.paths) named += parse_name(file_name(p), v, d, down);
        if (named * 2 <= set.paths.size()) return 0;
        // Both pop and popx files are templates, but only pop's projects use
        // the templates in practice ({{ index .Options "Namespace" }}): with
        // them, pop outranks popx's dialect names (not its .autocommit files).
        for (std::size_t i = 0; i < set.paths.size(); ++i)
            if (set.bytes(i).find("{{") != std::string::npos) return 85;
        return 0;
    }

    MemberInfo member(std::string_view relative, const SetView&) const override {
        MemberInfo m;
        std::string version, dialect;
        bool named =
            relative == file_name(relative) && parse_name(relative, version, dialect, m.down);
        m.migration =
            named && (dialect.empty() || dialect == "postgres" || dialect == "postgresql");
        if (!named)
            m.problem = "pop runs only <version>_<name>[.dialect].up.sql / .down.sql";
        else if (!m.migration)
            m.skipped = "a " + dialect + " migration: pop does not run it on PostgreSQL";
        m.order = {text_part(version)};
        m.key = version;
        m.variant = dialect.empty() ? "" : "postgres";
        return m;
    }

    FileLayout layout(std::string_view, const std::string& bytes, const Project&) const override {
        return whole_file(bytes.size(), TxMode::wrapped_batch);
    }
};

}  // namespace

const Tool& pop() {
    static const Pop tool;
    return tool;
}

}  // namespace pgw::tools
