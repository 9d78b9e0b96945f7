#include "tools/naming.h"

#include <re2/re2.h>

#include <algorithm>
#include <cctype>
#include <iterator>
#include <mutex>
#include <stdexcept>

namespace pgw {

namespace {

struct Preset {
    const char* name;
    const char* regex;  // matched against the last `components` path components
    int components;
};

// Named groups: `version`, `variant` (ory's dialect infix). An optional
// `.up`/`.down` suffix is accepted where projects use it.
#define PGW_VARIANT R"((?:\.(?P<variant>postgres|mysql|sqlite3?|cockroach))?(?:\.autocommit)?)"
#define PGW_UP_DOWN R"((?:\.(?:up|down))?\.sql)"
// ory (popx) names one migration's dialect-specific files X.postgres.up.sql,
// X.mysql.up.sql, ...: the variant keeps them from counting as duplicates.
const Preset kPresets[] = {
    {"sequential", R"((?P<version>\d+)[_-][^/]*?)" PGW_VARIANT PGW_UP_DOWN, 1},
    {"timestamp", R"((?P<version>\d{12,20})_[^/]*?)" PGW_VARIANT PGW_UP_DOWN, 1},
    {"flyway", R"((?:[VU](?P<version>\d+(?:[._]\d+)*)|R)__[^/]+\.sql)", 1},
    {"golang-migrate", R"((?P<version>\d+)_[^/]+\.(?:up|down)\.sql)", 1},
    {"prisma", R"((?P<version>\d{14})_[^/]+/migration\.sql)", 2},
    {"drizzle", R"((?P<version>\d{4})_[^/]+\.sql)", 1},
    // Diesel takes what precedes the first `_` as the version: `diesel migration
    // generate` writes 2024-01-31-120000, older tools (and `diesel setup`'s
    // 00000000000000_diesel_initial_setup) 14 digits. The version is
    // \d{4}-\d{2}-\d{2}-\d{6}(?:-\d{4})?|\d{14} written so that the character
    // after the first four digits chooses the branch: a one-pass pattern, which
    // RE2 matches with its groups in a third of the instructions.
    {"diesel",
     R"((?P<version>\d{4}(?:-\d{2}-\d{2}-\d{6}(?:-\d{4})?|\d{10}))_[^/]+/(?:up|down)\.sql)", 2},
    // Beyond SPEC §6: schema files under a version folder (temporal's
    // versioned/v1.5/executions.sql); the folder is the version.
    {"versioned-folder", R"(v?(?P<version>\d+(?:\.\d+)+)/[^/]+\.sql)", 2},
};
#undef PGW_VARIANT
#undef PGW_UP_DOWN

std::string_view tail(std::string_view path, int components) {
    std::size_t at = path.size();
    for (int i = 0; i < components; ++i) {
        if (at == 0) return {};
        std::size_t slash = path.rfind('/', at - 1);
        if (slash == std::string_view::npos) return i + 1 == components ? path : std::string_view{};
        at = slash;
        if (i + 1 == components) return path.substr(slash + 1);
    }
    return path;
}

std::string lower(std::string_view s) {
    std::string out(s);
    for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

// How many path components a user pattern spans: one more than the slashes
// it matches. A slash in a negated class ([^/]+, the usual "one component's
// characters") matches none and is not counted; an escaped one (\/) matches
// one. Counting every '/' made `(?P<version>\d+)_[^/]+/up\.sql` span three
// components, so it matched nothing.
int components_of(std::string_view pattern) {
    int n = 1;
    bool in_class = false, negated = false;
    for (std::size_t i = 0; i < pattern.size(); ++i) {
        char c = pattern[i];
        if (c == '\\') {
            if (i + 1 < pattern.size() && pattern[i + 1] == '/' && !(in_class && negated)) ++n;
            ++i;
            continue;
        }
        if (in_class) {
            if (c == '[' && i + 1 < pattern.size() && pattern[i + 1] == ':') {
                std::size_t end = pattern.find(":]", i + 2);  // [:alpha:]
                if (end != std::string_view::npos) i = end + 1;
                continue;
            }
            if (c == ']')
                in_class = false;
            else if (c == '/' && !negated)
                ++n;
            continue;
        }
        if (c == '[') {
            in_class = true;
            negated = i + 1 < pattern.size() && pattern[i + 1] == '^';
            if (negated) ++i;
            if (i + 1 < pattern.size() && pattern[i + 1] == ']') ++i;  // []...]: a literal ]
            continue;
        }
        n += c == '/';
    }
    return n;
}

bool ends_with(std::string_view s, std::string_view suffix) {
    return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

}  // namespace

Version Version::parse(std::string_view text) {
    Version v{std::string(text), {}};
    std::vector<std::string_view> groups;  // the runs of digits
    for (std::size_t i = 0; i < text.size();) {
        if (!std::isdigit(static_cast<unsigned char>(text[i]))) {
            ++i;
            continue;
        }
        std::size_t b = i;
        while (i < text.size() && std::isdigit(static_cast<unsigned char>(text[i]))) ++i;
        groups.push_back(text.substr(b, i - b));
    }
    // Diesel's 2026-01-16-093000 is the timestamp 20260116093000: it must sort
    // among the 14-digit versions older tools wrote in the same folder.
    std::size_t first = 0;
    if (groups.size() >= 4 && groups[0].size() == 4 && groups[1].size() == 2 &&
        groups[2].size() == 2 && groups[3].size() == 6 && text.substr(4, 1) == "-") {
        v.parts.push_back(std::string(groups[0]) + std::string(groups[1]) + std::string(groups[2]) +
                          std::string(groups[3]));
        first = 4;
    }
    for (std::size_t g = first; g < groups.size(); ++g) v.parts.emplace_back(groups[g]);
    // Numbers of any length (ory's are 20 digits): compared without leading zeros.
    for (std::string& part : v.parts) {
        std::size_t zeros = part.find_first_not_of('0');
        part.erase(0, zeros == std::string::npos ? part.size() : zeros);
    }
    return v;
}

bool Version::operator<(const Version& o) const {
    return std::lexicographical_compare(parts.begin(), parts.end(), o.parts.begin(), o.parts.end(),
                                        [](const std::string& a, const std::string& b) {
                                            return a.size() != b.size() ? a.size() < b.size()
                                                                        : a < b;
                                        });
}

namespace {

struct Compiled {
    std::unique_ptr<re2::RE2> re;
    int version_group = 0;  // 0: none
    int variant_group = 0;
    // Bounds of the first byte of any name the pattern matches, from RE2's
    // PossibleMatchRange: most names fail most presets on their first byte
    // (prisma's migration.sql against every one-component preset), and RE2's
    // set-up for a match with submatches costs far more than that test.
    unsigned char first_min = 0, first_max = 255;
};

Compiled compile(const std::string& regex) {
    Compiled c;
    c.re = std::make_unique<re2::RE2>(regex, re2::RE2::Quiet);
    if (!c.re->ok()) return c;
    const auto& groups = c.re->NamedCapturingGroups();
    if (auto it = groups.find("version"); it != groups.end())
        c.version_group = it->second;
    else if (c.re->NumberOfCapturingGroups() > 0)
        c.version_group = 1;
    if (auto it = groups.find("variant"); it != groups.end()) c.variant_group = it->second;
    // The range of an unanchored pattern is not bounded: ask the anchored one
    // (names are matched whole, ANCHOR_BOTH).
    re2::RE2 anchored("^(?:" + regex + ")", re2::RE2::Quiet);
    std::string min, max;
    if (anchored.ok() && anchored.PossibleMatchRange(&min, &max, 4)) {
        if (!min.empty()) c.first_min = static_cast<unsigned char>(min[0]);
        if (!max.empty()) c.first_max = static_cast<unsigned char>(max[0]);
    }
    return c;
}

// A preset, compiled the first time a name is matched against it and then
// shared by every Naming of the process: compiling all of them was half the
// instructions of a one-file pre-commit run, which most often needs one
// (issue 17).
const Compiled& preset_compiled(std::size_t i) {
    constexpr std::size_t n = std::size(kPresets);
    static std::once_flag once[n];
    static Compiled compiled[n];
    std::call_once(once[i], [i] {
        compiled[i] = compile(kPresets[i].regex);
        if (!compiled[i].re->ok())
            throw std::logic_error(std::string("naming preset ") + kPresets[i].name + ": " +
                                   compiled[i].re->error());
    });
    return compiled[i];
}

}  // namespace

struct Naming::Pattern {
    std::string name;
    int components = 1;
    int preset = -1;  // an index in kPresets; -1: a user pattern, compiled in `own`
    Compiled own;

    const Compiled& get() const {
        return preset >= 0 ? preset_compiled(static_cast<std::size_t>(preset)) : own;
    }
};

Naming::Naming(const std::vector<std::string>& entries) {
    std::vector<std::string> wanted = entries;
    if (wanted.empty()) wanted = preset_names();
    for (const std::string& entry : wanted) {
        auto p = std::make_unique<Pattern>();
        p->name = entry;
        for (std::size_t i = 0; i < std::size(kPresets); ++i)
            if (entry == kPresets[i].name) p->preset = static_cast<int>(i);
        if (p->preset >= 0) {
            p->components = kPresets[p->preset].components;
            patterns_.push_back(std::move(p));
            continue;
        }
        p->components = components_of(entry);
        p->own = compile(entry);
        if (!p->own.re->ok())
            throw std::invalid_argument("'" + entry + "' is neither a preset (" +
                                        describe_presets() +
                                        ") nor a valid RE2 pattern: " + p->own.re->error());
        if (!p->own.version_group)  // most often a misspelt preset: versions order the set
            throw std::invalid_argument("'" + entry + "' is neither a preset (" +
                                        describe_presets() +
                                        ") nor an RE2 pattern with a (?P<version>...) group");
        patterns_.push_back(std::move(p));
    }
}

Naming::~Naming() = default;
Naming::Naming(Naming&&) noexcept = default;

std::string Naming::describe_presets() {
    std::string out;
    for (const Preset& p : kPresets) out += (out.empty() ? "" : ", ") + std::string(p.name);
    return out;
}

const std::vector<std::string>& Naming::preset_names() {
    static const std::vector<std::string> names = [] {
        std::vector<std::string> v;
        for (const Preset& p : kPresets) v.push_back(p.name);
        return v;
    }();
    return names;
}

std::string Naming::describe() const {
    std::string out;
    for (const auto& p : patterns_) out += (out.empty() ? "" : ", ") + p->name;
    return out;
}

std::optional<MigrationName> Naming::match(std::string_view path) const {
    for (const auto& p : patterns_) {
        std::string_view t = tail(path, p->components);
        if (t.empty()) continue;
        const Compiled& c = p->get();
        auto first = static_cast<unsigned char>(t.front());
        if (first < c.first_min || first > c.first_max) continue;
        int groups = c.re->NumberOfCapturingGroups();
        std::vector<re2::StringPiece> pieces(static_cast<std::size_t>(groups) + 1);
        if (!c.re->Match(re2::StringPiece(t.data(), t.size()), 0, t.size(), re2::RE2::ANCHOR_BOTH,
                         pieces.data(), groups + 1))
            continue;
        MigrationName m;
        m.pattern = p->name;
        auto group = [&](int g) {
            return g > 0 ? std::string_view(pieces[g].data(), pieces[g].size())
                         : std::string_view{};
        };
        if (c.version_group && !group(c.version_group).empty())
            m.version = Version::parse(group(c.version_group));
        m.variant = std::string(group(c.variant_group));
        m.set = std::string(path.substr(0, path.size() - t.size()));
        if (!m.set.empty()) m.set.pop_back();  // the trailing slash
        std::string name = lower(tail(path, 1));
        m.down = is_rollback_path(path) || (p->name == "flyway" && !name.empty() && name[0] == 'u');
        return m;
    }
    return std::nullopt;
}

std::string parent_folder(std::string_view path) {
    auto slash = path.rfind('/');
    return slash == std::string_view::npos ? std::string() : std::string(path.substr(0, slash));
}

bool is_rollback_path(std::string_view path) {
    std::string name = lower(tail(path, 1));
    return name == "down.sql" || ends_with(name, ".down.sql") || ends_with(name, "_rollback.sql") ||
           ends_with(name, ".rollback.sql");
}

std::vector<std::string> rollback_partners(std::string_view path) {
    std::string p(path);
    std::string name = tail(path, 1).empty() ? p : std::string(tail(path, 1));
    std::string dir = p.substr(0, p.size() - name.size());
    std::string low = lower(name);
    auto stem = [&](std::size_t suffix) { return dir + name.substr(0, name.size() - suffix); };
    if (low == "down.sql") return {dir + "up.sql"};
    if (low == "up.sql") return {dir + "down.sql"};
    // ory (popx) writes one X.down.sql for every dialect beside X.postgres.up.sql.
    const std::string dialect = ".postgres";
    if (ends_with(low, ".down.sql")) {
        std::string s = stem(9);
        if (ends_with(lower(s), dialect)) return {s + ".up.sql"};
        return {s + ".up.sql", s + dialect + ".up.sql"};
    }
    if (ends_with(low, ".up.sql")) {
        std::string s = stem(7);
        if (!ends_with(lower(s), dialect)) return {s + ".down.sql"};
        return {s + ".down.sql", s.substr(0, s.size() - dialect.size()) + ".down.sql"};
    }
    if (ends_with(low, "_rollback.sql")) return {stem(13) + ".sql"};
    if (ends_with(low, ".rollback.sql")) return {stem(13) + ".sql"};
    if (ends_with(low, ".sql")) return {stem(4) + "_rollback.sql", stem(4) + ".rollback.sql"};
    return {};
}

}  // namespace pgw

namespace pgw {

const std::vector<std::string>& object_naming_kinds() {
    static const std::vector<std::string> kinds = {"table",       "index",    "unique_index",
                                                   "primary_key", "unique",   "foreign_key",
                                                   "check",       "exclusion"};
    return kinds;
}

std::string object_naming_regex(const std::string& pattern, const ObjectNamingValues& values) {
    static const std::pair<std::string_view, std::string ObjectNamingValues::*> kPlaceholders[] = {
        {"{table}", &ObjectNamingValues::table},
        {"{columns}", &ObjectNamingValues::columns},
        {"{ref_table}", &ObjectNamingValues::ref_table},
    };
    std::string out;
    for (std::size_t i = 0; i < pattern.size();) {
        bool replaced = false;
        for (const auto& [placeholder, field] : kPlaceholders) {
            if (pattern.compare(i, placeholder.size(), placeholder) != 0) continue;
            out += re2::RE2::QuoteMeta(values.*field);
            i += placeholder.size();
            replaced = true;
            break;
        }
        if (!replaced) out += pattern[i++];
    }
    return out;
}

}  // namespace pgw
