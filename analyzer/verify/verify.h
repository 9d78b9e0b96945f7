// The verify run (SPEC §9): where (a private cluster or --database-url),
// each set in its own database, base migrations untraced, the seed, then
// every new migration traced, re-applied for idempotency and rolled back
// through its down migration; and drift against live databases.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "engine/config.h"
#include "engine/engine.h"
#include "verify/plan.h"

namespace pgw {

struct VerifyOptions {
    std::string database_url;  // a scratch database (changed!), or the live one with --drift
    std::string pg_bindir;
    std::string seed_path;  // --seed FILE: SQL run after the base migrations
    bool keep = false;
    bool drift = false;
    std::string against;  // --against URL2: compare two live databases
    unsigned jobs = 1;
    // Progress and notes for stderr ("cluster kept in ...").
    std::function<void(const std::string&)> note;
};

// Problems that are not findings (no libpq, no server, a bad URL): exit 2.
struct VerifyError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

RunResult run_verify(const std::vector<VerifySet>& sets, const Config& config,
                     const VerifyOptions& options);

}  // namespace pgw
