// Layer "sets": discovery, naming presets and versions, up/down pairing, the
// rollback chains and pgwarden.sum. May include frontend/ and schema/.
//
// What pgwarden knows about a migration from its place among the others: its
// name and version, its up/down partner, duplicates, ordering against the diff
// base and immutability. Computed once per run, before any file is linted, and
// read by the set-level rules (file-naming, duplicate-version, version-order,
// immutable-migration, missing-rollback, rollback-mismatch).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "sets/naming.h"

namespace pgw {

struct FileFacts {
    bool member = false;                    // false: a file linted on its own (no set)
    std::optional<MigrationName> name;      // none: matches no naming pattern
    std::string accepted_names;             // the configured presets/patterns, for messages
    bool down = false;                      // a down / rollback migration
    std::vector<std::string> same_version;  // other migrations of its set with its version
    std::string sorts_before;               // version-order: a migration at the base it precedes
    std::string immutable;                  // why it must not have changed; empty: fine
    std::vector<std::string> partners;      // its up file, or its down files, that exist
    bool rollback_checked = false;          // the static replay compared up and down
    std::vector<std::string> rollback_differences;
};

// One migration of the run, as the set sees it.
struct SetMember {
    std::string path;      // displayed path
    bool at_base = false;  // exists at the diff base (--diff-base)
    bool is_new = true;    // added by the change being linted
    bool lint = true;      // reported; false: only context for the others
};

// Facts for every member. `exists` answers whether a partner path exists
// outside the run (on disk or in the git tree); `ordered` enables version-order.
std::vector<FileFacts> compute_facts(const std::vector<SetMember>& members, const Naming& naming,
                                     bool (*exists)(const std::string&), bool ordered);

}  // namespace pgw
