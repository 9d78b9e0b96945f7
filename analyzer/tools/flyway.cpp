// Flyway (github.com/flyway/flyway). Facts:
// - flyway-core internal/resource/ResourceNameParser.java (parse) and
//   MigrationInfoHelper.java: `V<version>__<desc>.sql` versioned, `U<version>__`
//   undo, `R__<desc>.sql` repeatable (prefixes case-sensitive); the version is
//   the text before the first `__`.
// - api/MigrationVersion.java (tokenize, compareTo): `_` counts as `.`; parts
//   compare as numbers; trailing zero parts are dropped, so 1 and 1.0 are one
//   version. Repeatables run after all versioned migrations, re-applied when
//   their checksum changes (Flyway docs, "Migrations": Repeatable).
// - flyway-database-postgresql PostgreSQLParser.java
//   (detectCanExecuteInTransaction): statements that cannot run in a
//   transaction (CREATE/DROP INDEX CONCURRENTLY, VACUUM, CREATE/DROP DATABASE,
//   TABLESPACE or SUBSCRIPTION, ALTER SYSTEM, REINDEX SCHEMA/DATABASE/SYSTEM,
//   DISCARD ALL); a migration of only those runs without a transaction, one
//   that mixes both kinds fails unless `mixed=true` (ParserSqlScript
//   addStatement). Otherwise one transaction per migration, unless the
//   script's configuration file (<script>.conf) says executeInTransaction=false.
#include "frontend/lexer.h"
#include "tools/text.h"
#include "tools/tool.h"

namespace pgw::tools {

namespace {

struct Name {
    char prefix = 0;  // 'V', 'U', 'R'
    std::vector<std::string> version;
    std::string description;
};

bool parse_name(std::string_view name, Name& out) {
    if (name.size() < 8 || !lower(name).ends_with(".sql")) return false;
    out.prefix = name[0];
    if (out.prefix != 'V' && out.prefix != 'U' && out.prefix != 'R') return false;
    auto sep = name.find("__");
    if (sep == std::string_view::npos) return false;
    std::string_view version = name.substr(1, sep - 1);
    out.description = std::string(name.substr(sep + 2, name.size() - sep - 6));
    if (out.prefix == 'R') return version.empty();
    if (version.empty()) return false;
    std::string part;
    for (char c : std::string(version) + ".") {
        if (c == '.' || c == '_') {
            if (!all_digits(part)) return false;
            out.version.push_back(number_part(part).text);
            part.clear();
        } else {
            part += c;
        }
    }
    while (!out.version.empty() && out.version.back().empty()) out.version.pop_back();
    return true;
}

// The words a statement starts with, upper-case and single-spaced.
std::string head(std::string_view text) {
    std::string out;
    for (char c : text.substr(0, 80)) {
        bool space = c == ' ' || c == '\t' || c == '\n' || c == '\r';
        if (space) {
            if (!out.empty() && out.back() != ' ') out += ' ';
        } else {
            out += static_cast<char>(c >= 'a' && c <= 'z' ? c - 32 : c);
        }
    }
    return out;
}

bool non_transactional(std::string_view text) {
    std::string h = head(text);
    for (std::string_view p :
         {"CREATE DATABASE", "DROP DATABASE", "CREATE TABLESPACE", "DROP TABLESPACE",
          "CREATE SUBSCRIPTION", "DROP SUBSCRIPTION", "ALTER SYSTEM", "CREATE INDEX CONCURRENTLY",
          "CREATE UNIQUE INDEX CONCURRENTLY", "DROP INDEX CONCURRENTLY", "REINDEX SCHEMA",
          "REINDEX DATABASE", "REINDEX SYSTEM", "REINDEX VERBOSE SCHEMA",
          "REINDEX VERBOSE DATABASE", "REINDEX VERBOSE SYSTEM", "VACUUM", "DISCARD ALL"})
        if (h.starts_with(p)) return true;
    return false;
}

bool conf_off(const std::string& conf) {
    for (const Line& l : lines_of(conf)) {
        std::string t = lower(trim(l.text));
        std::erase(t, ' ');
        if (t.starts_with("executeintransaction=false") ||
            t.starts_with("flyway.executeintransaction=false"))
            return true;
    }
    return false;
}

class Flyway final : public Tool {
  public:
    std::string_view name() const override { return "flyway"; }
    std::string_view outside_transaction() const override {
        return "put it in a migration of its own: flyway runs a migration of only "
               "non-transactional statements without a transaction";
    }
    std::string_view summary() const override {
        return "V<version>__name.sql (U undo, R__ repeatable), one transaction per migration";
    }

    int detect(const SetView& set) const override {
        if (set.project) {
            std::string dir = set.root;
            for (int up = 0; up < 4; ++up) {
                for (const char* f : {"flyway.conf", "flyway.toml"})
                    if (set.project->read(dir.empty() ? f : dir + "/" + f)) return 100;
                if (dir.empty()) break;
                dir = std::string(folder_of(dir));
            }
        }
        std::size_t n = 0;
        Name name;
        for (const std::string& p : set.paths) n += parse_name(file_name(p), name);
        return n * 2 > set.paths.size() ? 60 : 0;
    }

    MemberInfo member(std::string_view relative, const SetView&) const override {
        MemberInfo m;
        Name name;
        m.migration = parse_name(file_name(relative), name);
        if (!m.migration)
            m.problem = "flyway runs only V<version>__<name>.sql, U<version>__ and R__";
        m.down = name.prefix == 'U';
        m.repeatable = name.prefix == 'R';
        if (m.repeatable) {
            m.order = {text_part(name.description)};  // after every number
            m.key = "R__" + name.description;
        } else {
            for (const std::string& part : name.version) {
                m.order.push_back({true, part});
                m.key += (m.key.empty() ? "" : ".") + (part.empty() ? "0" : part);
            }
        }
        return m;
    }

    FileLayout layout(std::string_view path, const std::string& bytes,
                      const Project& project) const override {
        if (auto conf = project.read(std::string(path) + ".conf"); conf && conf_off(*conf))
            return whole_file(bytes.size(), TxMode::none, "flyway: executeInTransaction=false");
        static const PlaceholderSet none;
        SplitResult split = split_statements(bytes, 0, none);
        std::size_t outside = 0;
        for (const RawStatement& st : split.statements)
            outside += non_transactional(
                std::string_view(bytes).substr(st.span.begin, st.span.end - st.span.begin));
        if (outside > 0 && outside == split.statements.size())
            return whole_file(bytes.size(), TxMode::none,
                              "flyway: runs it without a transaction (only non-transactional "
                              "statements)");
        if (outside > 0)
            return whole_file(bytes.size(), TxMode::wrapped,
                              "flyway: mixes transactional and non-transactional statements, "
                              "which flyway refuses unless mixed=true");
        return whole_file(bytes.size(), TxMode::wrapped);
    }
};

}  // namespace

const Tool& flyway() {
    static const Flyway tool;
    return tool;
}

}  // namespace pgw::tools
