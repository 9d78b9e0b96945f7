// The set replay (SPEC §2): a planned set's up migrations, in the order its
// tool applies them, replayed through one schema model that every rule sees as
// it stood just before each statement. Each file is read and parsed once, with
// its tool's layout, linted, and replayed; before an up file with a rollback
// (a down file, or a down section) the pair is checked against the model
// (rollback-mismatch), and the down part is linted against what the up left.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "engine/engine.h"
#include "sets/migration_set.h"

namespace pgw {

class WorkBoard;

struct SetReplay {
    const PlannedSet* plan = nullptr;
    const std::vector<SetMember>* members = nullptr;
    std::vector<FileFacts>* facts = nullptr;
    const tools::Project* project = nullptr;
    // The bytes of member i; false (and `error`) when it cannot be read.
    std::function<bool(std::size_t i, std::string& bytes, std::string& error)> read;
    bool change_set = false;  // members carry is_new (--staged, --diff-base)
    // Where threads with no set left find work of this replay; null: none.
    WorkBoard* board = nullptr;
};

// Replays the set and hands each linted member's report to `done`, in no
// particular order (the caller sorts). Members the set does not replay
// (plan->alone) are linted on their own.
void replay_set(const Engine& engine, const SetReplay& run,
                const std::function<void(std::size_t i, FileReport report)>& done);

// Parses one file as its tool reads it.
std::unique_ptr<Migration> parse_with_tool(const Engine& engine, const tools::Tool& tool,
                                           const std::string& path, std::string bytes,
                                           const tools::Project& project);

// The report of a file that cannot be read: a parse-error, so the report is
// never silently partial.
FileReport unreadable(const std::string& path, const std::string& reason);

}  // namespace pgw
