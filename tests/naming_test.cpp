// File-name presets (SPEC §6 `naming`): which names each preset accepts, the
// version it extracts, the set a file belongs to, down files and variants.
#include "tools/naming.h"

#include <gtest/gtest.h>

#include <thread>

namespace pgw {
namespace {

struct Case {
    const char* path;
    const char* version;  // nullptr: rejected by the preset; "": accepted without a version
    const char* set = "";
    bool down = false;
};

void expect_preset(const std::string& preset, const std::vector<Case>& cases) {
    Naming naming({preset});
    for (const Case& c : cases) {
        SCOPED_TRACE(preset + ": " + c.path);
        auto m = naming.match(c.path);
        if (!c.version) {
            EXPECT_FALSE(m) << "accepted by " << (m ? m->pattern : "");
            continue;
        }
        ASSERT_TRUE(m);
        EXPECT_EQ(m->pattern, preset);
        if (*c.version) {
            ASSERT_TRUE(m->version);
            EXPECT_EQ(m->version->text, c.version);
        } else {
            EXPECT_FALSE(m->version);
        }
        EXPECT_EQ(m->set, c.set);
        EXPECT_EQ(m->down, c.down);
    }
}

TEST(Naming, Sequential) {
    expect_preset("sequential", {
                                    {"001_add_users.sql", "001"},
                                    {"db/migrations/0007-tenants.sql", "0007", "db/migrations"},
                                    {"12_x.down.sql", "12", "", true},
                                    {"add_users.sql", nullptr},
                                    {"V1__users.sql", nullptr},
                                    {"001.sql", nullptr},
                                });
}

TEST(Naming, Timestamp) {
    expect_preset("timestamp",
                  {
                      {"20260116093000_add_users.sql", "20260116093000"},
                      {"m/20260116093000_add_users.up.sql", "20260116093000", "m"},
                      {"20260116093000_add_users.down.sql", "20260116093000", "", true},
                      {"20190100000009000000_client.postgres.up.sql", "20190100000009000000"},
                      {"2026011609_short.sql", nullptr},
                      {"001_add_users.sql", nullptr},
                  });
}

TEST(Naming, Flyway) {
    expect_preset("flyway", {
                                {"V1__init.sql", "1"},
                                {"sql/V1.2__fix.sql", "1.2", "sql"},
                                {"V2_1__fix.sql", "2_1"},
                                {"U3__undo.sql", "3", "", true},
                                {"R__views.sql", ""},
                                {"V1_init.sql", nullptr},
                                {"v1__init.sql", nullptr},
                            });
}

TEST(Naming, GolangMigrate) {
    expect_preset("golang-migrate", {
                                        {"000001_create_users.up.sql", "000001"},
                                        {"000001_create_users.down.sql", "000001", "", true},
                                        {"1481574547_x.up.sql", "1481574547"},
                                        {"000001_create_users.sql", nullptr},
                                    });
}

TEST(Naming, Prisma) {
    expect_preset("prisma", {
                                {"prisma/migrations/20240101120000_init/migration.sql",
                                 "20240101120000", "prisma/migrations"},
                                {"20240101120000_init/schema.sql", nullptr},
                                {"2024010112_init/migration.sql", nullptr},
                            });
}

TEST(Naming, Drizzle) {
    expect_preset("drizzle", {
                                 {"drizzle/0004_lucky_wolverine.sql", "0004", "drizzle"},
                                 {"04_lucky.sql", nullptr},
                             });
}

TEST(Naming, Diesel) {
    expect_preset(
        "diesel",
        {
            {"migrations/2026-01-16-093000_add_tags/up.sql", "2026-01-16-093000", "migrations"},
            {"migrations/2026-01-16-093000_add_tags/down.sql", "2026-01-16-093000", "migrations",
             true},
            {"m/2026-01-16-093000-0000_add_tags/up.sql", "2026-01-16-093000-0000", "m"},
            // Older diesel versions and crates.io's dumped migrations: 14 digits.
            {"m/20141121191309_dumped_migration_91/up.sql", "20141121191309", "m"},
            {"m/00000000000000_diesel_initial_setup/down.sql", "00000000000000", "m", true},
            {"m/2026-01-16_add_tags/up.sql", nullptr},
            {"m/2026-01-16-093000_add_tags/migration.sql", nullptr},
        });
}

// A user pattern is matched against as many trailing path components as the
// slashes it matches: not the one in [^/].
TEST(Naming, UserPatternsSpanTheComponentsTheirSlashesMatch) {
    struct {
        const char* pattern;
        const char* path;
        const char* version;  // nullptr: no match
    } cases[] = {
        {R"((?P<version>\d+)_[^/]+/up\.sql)", "db/m/001_users/up.sql", "001"},
        {R"((?P<version>\d+)_[^/]+\.sql)", "db/m/001_users.sql", "001"},
        {R"((?P<version>\d+)_[^/]+\.sql)", "db/m/001_users/up.sql", nullptr},
        {R"((?P<version>\d+)\/[^/]+\.sql)", "db/001/users.sql", "001"},
        {R"(v(?P<version>\d+)/[^/]*/[a-z]+\.sql)", "s/v2/x/a.sql", "2"},
        {R"((?P<version>\d+)_[^]/]+/up\.sql)", "m/001_users/up.sql", "001"},
        {R"((?P<version>\d+)_[^[:space:]/]+/up\.sql)", "m/001_users/up.sql", "001"},
        {R"((?P<version>\d+)[/]up\.sql)", "m/001/up.sql", "001"},
    };
    for (const auto& c : cases) {
        auto m = Naming({c.pattern}).match(c.path);
        if (!c.version) {
            EXPECT_FALSE(m) << c.pattern << " " << c.path;
            continue;
        }
        ASSERT_TRUE(m && m->version) << c.pattern << " " << c.path;
        EXPECT_EQ(m->version->text, c.version) << c.pattern;
    }
}

// The preset is written one-pass for speed: it must accept and extract what
// the plain pattern does.
TEST(Naming, DieselPresetAgreesWithThePlainPattern) {
    Naming preset({"diesel"});
    Naming plain(
        {R"((?P<version>\d{4}-\d{2}-\d{2}-\d{6}(?:-\d{4})?|\d{14})_[^/]+/(?:up|down)\.sql)"});
    int accepted = 0;
    for (const char* version :
         {"2026-01-16-093000", "2026-01-16-093000-0000", "20141121191309", "2014112119130",
          "201411211913099", "2026-01-16", "2026-01-16-093000-00", "2026-01-16-0930000", "2026",
          "2026-1-16-093000", "20261-01-16-093000", "", "abcd-01-16-093000"})
        for (const char* rest : {"_x/up.sql", "_x/down.sql", "/up.sql", "_/up.sql", "_a_b/up.sql",
                                 "_x/UP.sql", "_x/up.sqlx", "_x_y/down.sql"})
            for (const char* dir : {"migrations/", ""}) {
                std::string path = std::string(dir) + version + rest;
                auto a = preset.match(path), b = plain.match(path);
                ASSERT_EQ(a.has_value(), b.has_value()) << path;
                if (!a) continue;
                ++accepted;
                ASSERT_TRUE(a->version && b->version) << path;
                EXPECT_EQ(a->version->text, b->version->text) << path;
                EXPECT_EQ(a->set, b->set) << path;
                EXPECT_EQ(a->down, b->down) << path;
            }
    EXPECT_GT(accepted, 10);
}

TEST(Naming, VersionedFolder) {
    expect_preset("versioned-folder",
                  {
                      {"schema/versioned/v1.5/executions.sql", "1.5", "schema/versioned"},
                      {"schema/v1/x.sql", nullptr},
                  });
}

TEST(Naming, VersionsCompareByNumbers) {
    EXPECT_LT(Version::parse("9"), Version::parse("10"));
    EXPECT_LT(Version::parse("1.9"), Version::parse("1.10"));
    EXPECT_EQ(Version::parse("001"), Version::parse("1"));
    EXPECT_LT(Version::parse("2026-01-16-093000"), Version::parse("2026-01-16-093001"));
    // Diesel's dashed timestamps sort among the 14-digit ones of older tools.
    EXPECT_LT(Version::parse("20141121191309"), Version::parse("2017-10-06-234455"));
    EXPECT_LT(Version::parse("2017-10-06-234455"), Version::parse("20171007000000"));
    EXPECT_EQ(Version::parse("2017-10-06-234455"), Version::parse("20171006234455"));
    EXPECT_LT(Version::parse("2017-10-06-234455"), Version::parse("2017-10-06-234455-0001"));
    // ory's 20-digit versions do not fit in 64 bits.
    EXPECT_LT(Version::parse("19990100000009000000"), Version::parse("20190100000009000000"));
    EXPECT_LT(Version::parse("20190100000009000000"), Version::parse("20190100000009000001"));
    EXPECT_LT(Version::parse("99999999999999999999"), Version::parse("100000000000000000000"));
}

TEST(Naming, UserPatternsNeedAVersionGroupAndValidSyntax) {
    Naming naming({R"(release-(?P<version>\d+)/[a-z_]+\.sql)"});
    auto m = naming.match("db/release-12/add_users.sql");
    ASSERT_TRUE(m);
    ASSERT_TRUE(m->version);
    EXPECT_EQ(m->version->text, "12");
    EXPECT_EQ(m->set, "db");
    EXPECT_FALSE(naming.match("db/release-x/add_users.sql"));
    EXPECT_THROW(Naming({"(unclosed"}), std::invalid_argument);
    EXPECT_THROW(Naming({"sequentail"}), std::invalid_argument);
}

// Names are turned away on their first byte before RE2 is asked: patterns
// that start with a letter in either case, with any byte, or with a non-ASCII
// one still accept what they match.
TEST(Naming, UserPatternsMatchWhateverTheirFirstByte) {
    Naming either({R"((?i)m(?P<version>\d+)_[a-z]+\.sql)"});
    EXPECT_TRUE(either.match("db/M12_users.sql"));
    EXPECT_TRUE(either.match("db/m12_users.sql"));
    EXPECT_FALSE(either.match("db/n12_users.sql"));
    Naming any({R"(.*_(?P<version>\d+)\.sql)"});
    EXPECT_TRUE(any.match("db/\xc3\xbc_1.sql"));
    EXPECT_TRUE(any.match("db/~_1.sql"));
    Naming accented({"\xc3\xa9(?P<version>\\d+)\\.sql"});
    EXPECT_TRUE(
        accented.match("db/\xc3\xa9"
                       "7.sql"));
    EXPECT_FALSE(accented.match("db/e7.sql"));
    // prisma's folder names start with a digit, its file name with 'm'.
    Naming presets({});
    auto m = presets.match("prisma/migrations/20240101120000_init/migration.sql");
    ASSERT_TRUE(m);
    EXPECT_EQ(m->pattern, "prisma");
}

TEST(Naming, OryVariantsAreNotTheSameMigration) {
    Naming naming({});
    auto pg = naming.match("20190100000009000000_client.postgres.up.sql");
    auto my = naming.match("20190100000009000000_client.mysql.up.sql");
    ASSERT_TRUE(pg && my);
    EXPECT_EQ(pg->variant, "postgres");
    EXPECT_EQ(my->variant, "mysql");
}

// Presets are compiled on first use and shared by every Naming: threads that
// match at once (sets planned in parallel) get the same answers as one alone.
TEST(Naming, PresetsSharedAcrossThreadsAnswerAlike) {
    const std::vector<std::string> paths = {"db/001_init.sql",
                                            "V2__users.sql",
                                            "20240101120000_users/migration.sql",
                                            "2024-01-31-120000_users/up.sql",
                                            "v1.5/executions.sql",
                                            "notes.sql"};
    auto answers = [&] {
        Naming naming({});
        std::string out;
        for (const std::string& p : paths) {
            auto m = naming.match(p);
            out += (m ? m->pattern + ":" + (m->version ? m->version->text : "") : "-") + ";";
        }
        return out;
    };
    const std::string alone = answers();
    EXPECT_EQ(alone,
              "sequential:001;flyway:2;prisma:20240101120000;diesel:2024-01-31-120000;"
              "versioned-folder:1.5;-;");
    std::vector<std::string> got(4);
    std::vector<std::thread> threads;
    for (std::size_t i = 0; i < got.size(); ++i)
        threads.emplace_back([&, i] { got[i] = answers(); });
    for (std::thread& t : threads) t.join();
    for (const std::string& g : got) EXPECT_EQ(g, alone);
}

TEST(Naming, RollbackPaths) {
    EXPECT_TRUE(is_rollback_path("001_a.down.sql"));
    EXPECT_TRUE(is_rollback_path("m/2026-01-16-093000_x/down.sql"));
    EXPECT_TRUE(is_rollback_path("001_a_rollback.sql"));
    EXPECT_FALSE(is_rollback_path("001_a.up.sql"));
    EXPECT_FALSE(is_rollback_path("001_downloads.sql"));
}

TEST(Naming, RollbackPartners) {
    using V = std::vector<std::string>;
    EXPECT_EQ(rollback_partners("m/001_a.down.sql"),
              (V{"m/001_a.up.sql", "m/001_a.postgres.up.sql"}));
    EXPECT_EQ(rollback_partners("m/001_a.up.sql"), (V{"m/001_a.down.sql"}));
    // ory: X.postgres.up.sql is rolled back by X.postgres.down.sql or the generic X.down.sql.
    EXPECT_EQ(rollback_partners("m/001_a.postgres.up.sql"),
              (V{"m/001_a.postgres.down.sql", "m/001_a.down.sql"}));
    EXPECT_EQ(rollback_partners("m/001_a.postgres.down.sql"), (V{"m/001_a.postgres.up.sql"}));
    EXPECT_EQ(rollback_partners("m/2026-01-16-093000_x/down.sql"),
              (V{"m/2026-01-16-093000_x/up.sql"}));
    EXPECT_EQ(rollback_partners("m/001_a_rollback.sql"), (V{"m/001_a.sql"}));
    EXPECT_EQ(rollback_partners("m/001_a.sql"),
              (V{"m/001_a_rollback.sql", "m/001_a.rollback.sql"}));
}

}  // namespace
}  // namespace pgw
