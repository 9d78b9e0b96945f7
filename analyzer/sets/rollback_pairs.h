// rollback-mismatch: each set's up migrations are replayed in version order
// into a schema model; before each up file with a linted down partner,
// up-then-down is replayed on a copy and compared with the state before.
//
// A set with such a pair is one sequential task (a chain): its files are read
// and parsed once, in version order, and handed to the linter as they come,
// the down files after their facts are known.
#pragma once

#include <functional>
#include <memory>
#include <vector>

#include "frontend/parse.h"
#include "sets/migration_set.h"

namespace pgw {

struct RollbackChain {
    std::vector<std::size_t> ups;          // the set's up files, in version order
    std::vector<std::size_t> downs_of_up;  // per up file: its linted down file, or npos
};

// The chains of a run: sets holding at least one linted down file whose up
// file is in the run. Every other file is linted on its own.
std::vector<RollbackChain> rollback_chains(const std::vector<SetMember>& members,
                                           const std::vector<FileFacts>& facts);

// Reads and parses one input; null (and `error` set) when it cannot be read.
using LoadFile = std::function<std::unique_ptr<Migration>(std::size_t index, std::string& error)>;
// Receives every file of the chain once: its Migration, or null and why it
// could not be read.
using VisitFile =
    std::function<void(std::size_t index, const Migration* migration, const std::string& error)>;

// Replays the chain, filling rollback_checked / rollback_differences of its
// down files before they are visited. ory's dialect variants (X.postgres.up.sql,
// X.mysql.up.sql) each have their own model; files without a variant go to all.
void run_chain(const RollbackChain& chain, std::vector<FileFacts>& facts, const LoadFile& load,
               const VisitFile& visit);

}  // namespace pgw
