// Migration tools' history tables in a live database (SPEC §9 "Drift"),
// against the migration files: applied there but missing here, files not
// applied yet, and applied files whose recorded checksum no longer matches.
// The table layouts and checksum formulas are the tools' own; the research
// behind each one is in /work/notes/tools.md and cited beside the code.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "engine/observations.h"
#include "verify/findings.h"
#include "verify/libpq.h"
#include "verify/plan.h"

namespace pgw {

// The history tables pgwarden knows (unqualified): left out of schema comparisons.
const std::vector<std::string>& history_table_names();

// Reads every known history table of the database `live` is connected to
// (inside its read-only transaction) and compares it with the up migrations
// of `sets`. Findings go to `sink` (drift-history).
std::vector<HistoryReport> compare_history(pq::Connection& live, const std::string& label,
                                           const std::vector<VerifySet>& sets, FindingSink& sink);

// Flyway's checksum: CRC-32 over each line's UTF-8 bytes without its line
// terminator, a leading BOM stripped, as a signed 32-bit integer.
int32_t flyway_checksum(std::string_view file);
// The version a tool keys a file by: "3" (leading digits, zeros dropped), "1.2"
// (flyway), the folder name (prisma), the folder's digits (diesel).
std::string tool_version(const std::string& tool, const std::string& path);

}  // namespace pgw
