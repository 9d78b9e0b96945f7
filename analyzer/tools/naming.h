// Migration file names (SPEC §6 `naming`): the presets, user patterns, and the
// version each name carries. A version orders migrations within their set.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace re2 {
class RE2;
}

namespace pgw {

// "20260116093000", "3", "1.2", "2026-01-16-093000-0000" compared by their
// numeric groups, so 10 sorts after 9 and 1.10 after 1.9.
struct Version {
    std::string text;
    std::vector<std::string> parts;  // the numbers, without leading zeros

    static Version parse(std::string_view text);
    bool operator==(const Version& o) const { return parts == o.parts; }
    bool operator<(const Version& o) const;
};

// What a file name says about the migration.
struct MigrationName {
    std::string pattern;             // the preset or pattern that matched it
    std::optional<Version> version;  // none for repeatable (flyway R__) migrations
    std::string set;                 // the folder holding the sequence
    bool down = false;               // a down / rollback / undo migration
    std::string variant;             // "postgres" in ory's X.postgres.up.sql
};

class Naming {
  public:
    // `entries`: preset names and RE2 patterns; empty means every preset.
    // Throws std::invalid_argument naming the bad entry.
    explicit Naming(const std::vector<std::string>& entries);
    ~Naming();
    Naming(Naming&&) noexcept;

    // The first preset or pattern the path's tail matches.
    std::optional<MigrationName> match(std::string_view path) const;
    // What the configuration accepts, for messages ("sequential, timestamp").
    std::string describe() const;

    static const std::vector<std::string>& preset_names();
    static std::string describe_presets();

  private:
    struct Pattern;
    std::vector<std::unique_ptr<Pattern>> patterns_;
};

// The folder of `path` ("" for a bare file name).
std::string parent_folder(std::string_view path);
// X.down.sql, down.sql, X_rollback.sql, X.rollback.sql (SPEC §2).
bool is_rollback_path(std::string_view path);
// The up file a down file rolls back, and the down files an up file may have.
std::vector<std::string> rollback_partners(std::string_view path);

}  // namespace pgw

namespace pgw {

// Object names (`object_naming` in the config): a pattern is a full-match RE2
// in which {table}, {columns} and {ref_table} stand for the object's own values.
struct ObjectNamingValues {
    std::string table;
    std::string columns;  // joined with `_`, as PostgreSQL joins them in default names
    std::string ref_table;
};

// The kinds of object a pattern can be given for.
const std::vector<std::string>& object_naming_kinds();

// `pattern` with its placeholders replaced by the values, quoted for RE2.
std::string object_naming_regex(const std::string& pattern, const ObjectNamingValues& values);

}  // namespace pgw
