// Comparing schema models: the differences between two states, and the
// rollback check that replays an up and a down migration (rollback-mismatch).
#pragma once

#include <algorithm>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

#include "schema/model.h"

namespace pgw::schema {

// Human-readable differences from `before` to `after`, sorted: "index
// users_email_idx is left over", "column users.age was removed", "column
// users.name type changed from text to varchar(20)". Objects either side marks
// uncertain are left out.
std::vector<std::string> diff(const SchemaModel& before, const SchemaModel& after);

// rollback-mismatch: replays `up` then `down` on a copy of `before`.
struct RollbackCheck {
    // Up or down did something the model cannot follow (a statement that does
    // not parse, dynamic SQL): no differences are claimed then.
    bool uncertain = false;
    std::vector<std::string> reasons;      // why it is uncertain
    std::vector<std::string> differences;  // what the down file does not undo; sorted
};
// The parts replayed are `up_part` of `up` and `down_part` of `down` (a goose
// file's Up and Down sections are one migration; a down file's part is up).
RollbackCheck check_rollback(const SchemaModel& before, const Migration& up, const Migration& down,
                             Section up_part = Section::up, Section down_part = Section::up);

// Every name (any string) the parse trees of two migrations hold; views into
// those trees, valid while the migrations are.
struct Names {
    std::vector<std::string_view> sorted;
    // The same names hashed (finish_names): relevant_part asks about every
    // relation of the model for every rollback pair, and a binary search of
    // string comparisons was a tenth of a whole check (callgrind).
    std::unordered_set<std::string_view> set;
    bool everything = false;  // a statement reaches whole schemas
    bool count(std::string_view name) const { return set.count(name) > 0; }
};
Names mentioned_names(const Migration& a, const Migration& b);
// ... of one migration's statements in one section.
void add_mentioned_names(const Migration& m, Section part, Names& names);
void finish_names(Names& names);
// The relations statements naming only `names` can reach, with all other
// objects: what check_rollback copies and compares (schema_subset.cpp).
SchemaModel relevant_part(const SchemaModel& m, const Names& names);

}  // namespace pgw::schema
