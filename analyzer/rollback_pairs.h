// rollback-mismatch facts: each set's up migrations are replayed in version
// order into a schema model; before each up file with a linted down partner,
// up-then-down is replayed on a copy and compared with the state before.
#pragma once

#include <vector>

#include "config.h"
#include "migration_set.h"
#include "runner.h"

namespace pgw {

// Fills rollback_checked / rollback_differences of the linted down files.
// Reads and parses the files of the sets involved a second time: only sets
// with a linted down file pay for it.
void check_rollback_pairs(const std::vector<Input>& inputs, std::vector<FileFacts>& facts,
                          const Config& config);

}  // namespace pgw
