// Drift (SPEC §9): the schema the migrations produce (applied to a private
// cluster) against a live database, or two live databases against each
// other (--against). A live database is only read: one READ ONLY
// transaction with short lock and statement timeouts, catalog queries only
// (plus the tool's history table), never pg_dump.
#pragma once

#include <vector>

#include "engine/config.h"
#include "engine/engine.h"
#include "verify/plan.h"
#include "verify/verify.h"

namespace pgw {

RunResult run_drift(const std::vector<VerifySet>& sets, const Config& config,
                    const VerifyOptions& options);

}  // namespace pgw
