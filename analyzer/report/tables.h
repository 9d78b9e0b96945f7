// What `verify` observed, as tables for the text and Markdown reports (SPEC
// §7, §9): per migration its traced statements with their locks, rewrites
// and scans; the schema comparisons (drift) and the history tables.
#pragma once

#include <cstddef>
#include <nlohmann/json.hpp>
#include <ostream>
#include <string>

#include "engine/engine.h"

namespace pgw {

// Nothing for a run without observations (`check`).
void write_observation_tables_text(const RunResult& run, std::ostream& out);
// At most `budget` bytes; rows past it are counted in a closing line.
std::string observation_tables_markdown(const RunResult& run, std::size_t budget);

// The observations as JSON (the "verify" key of --format json): migrations
// with their statements and relations, comparisons, history tables.
nlohmann::ordered_json observations_json(const Observations& o);

}  // namespace pgw
