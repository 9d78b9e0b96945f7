// libFuzzer target: the `.pgwarden.json` parser. Any input must either give a
// usable configuration (which then lints a small migration, running the
// fuzzed placeholder patterns, custom rules and naming patterns) or throw
// ConfigError, the exit-2 path; anything else escaping is a bug.
#include <cstddef>
#include <cstdint>
#include <string>

#include "cli/runner.h"
#include "engine/config.h"

namespace {

const char* const kMigration =
    "-- Migration: 001_fuzz\n-- Risk: LOW\n"
    "CREATE TABLE users (id bigint PRIMARY KEY, email varchar(20));\n"
    "ALTER TABLE accounts ADD COLUMN note text NOT NULL;\n"
    "CREATE INDEX users_email ON accounts (email);\n"
    "DROP TABLE IF EXISTS ${schema}.old CASCADE;\n"
    "UPDATE accounts SET note = :'note';\n"
    "DO $$ BEGIN EXECUTE 'ALTER TABLE accounts DROP COLUMN x'; END $$;\n";

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    std::string text(reinterpret_cast<const char*>(data), size);
    try {
        pgw::Config config = pgw::parse_config(text, "fuzz/.pgwarden.json");
        pgw::finalize_config(config);
        pgw::lint_text("V1__fuzz.sql", kMigration, config);
        pgw::lint_text("001_fuzz.down.sql", kMigration, config);
    } catch (const pgw::ConfigError&) {
    }
    return 0;
}
