// Layer "sets": discovery, grouping files into migration sets, each set's tool
// and order, up/down pairing and pgwarden.sum. May include frontend/, schema/
// and tools/.
//
// What pgwarden knows about a migration from its place among the others: its
// set and tool, its name, key and order, its up/down partner, duplicates,
// ordering against the diff base and immutability. Worked out per set before
// the set is replayed, and read by the set-level rules (file-naming,
// duplicate-version, version-order, immutable-migration, missing-rollback,
// rollback-mismatch).
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "tools/naming.h"
#include "tools/tool.h"

namespace pgw {

// How a set's tool pairs a migration with its rollback.
enum class RollbackStyle { files, sections, none };

struct FileFacts {
    bool member = false;                // false: a file linted on its own (no set)
    std::string tool = "plain";         // the set's tool
    bool tool_forced = false;           // from --tool or the config, not detected
    std::optional<MigrationName> name;  // the configured naming patterns it matches
    bool naming_configured = false;     // `naming` set in the config: the names must match it
    std::string accepted_names;         // the configured presets/patterns, for messages
    std::string misnamed;     // the tool does not run a file of this name: why; empty: fine
    bool down = false;        // a down / rollback migration
    bool repeatable = false;  // re-applied when changed (flyway R__): must be re-runnable
    bool reruns = false;      // its tool re-runs migrations (plain) or this one
    RollbackStyle rollback_style = RollbackStyle::files;
    std::string key;                        // what the tool keys it by
    std::vector<std::string> same_version;  // other migrations of its set with its key
    std::string sorts_before;               // version-order: a migration at the base it precedes
    std::string immutable;                  // why it must not have changed; empty: fine
    std::vector<std::string> partners;      // its up file, or its down files, that exist
    bool rollback_checked = false;          // the static replay compared up and down
    std::vector<std::string> rollback_differences;
};

// One file of the run, as the sets see it.
struct SetMember {
    std::string path;      // displayed path
    bool at_base = false;  // exists at the diff base (--diff-base)
    bool is_new = true;    // added by the change being linted
    bool lint = true;      // reported; false: only context for the others
};

// The files of one folder of migrations (tools::set_root).
struct SetGroup {
    std::string root;
    std::vector<std::size_t> members;  // indices into the run's members, sorted by path
};
std::vector<SetGroup> group_sets(const std::vector<SetMember>& members,
                                 const tools::Project& project);

// A set, ready to replay: its tool, the up migrations in the order the tool
// applies them, each with its rollback file, and the files it does not replay.
struct PlannedSet {
    const tools::Tool* tool = nullptr;
    std::vector<std::size_t> ups;           // in apply order
    std::vector<std::size_t> down_of_up;    // parallel to ups: its down file, or npos
    std::vector<std::size_t> alone;         // linted on their own: downs without an up, misnamed
    std::vector<std::size_t> skipped;       // not run by the tool on PostgreSQL (other dialects)
    std::vector<std::string> skip_reasons;  // parallel to skipped
};
constexpr std::size_t kNoFile = static_cast<std::size_t>(-1);

struct PlanOptions {
    const Naming* naming = nullptr;       // the configured naming (never null in a run)
    bool naming_configured = false;       // `naming` was set in the config
    const tools::Tool* forced = nullptr;  // --tool / config `tool`; null: detect
    const tools::Project* project = nullptr;
    // The bytes of member i, for detection (read on demand; may be called twice).
    std::function<std::string(std::size_t)> bytes;
    // Whether a path exists outside the run (a rollback partner on disk).
    std::function<bool(const std::string&)> exists;
    bool ordered = false;  // members carry at_base: enables version-order (--diff-base)
};

// Detects the group's tool, orders its files and fills facts[i] for its members.
PlannedSet plan_set(const SetGroup& group, const std::vector<SetMember>& members,
                    std::vector<FileFacts>& facts, const PlanOptions& options);

}  // namespace pgw
