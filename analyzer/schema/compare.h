// Comparing schema models: the differences between two states, and the
// rollback check that replays an up and a down migration (rollback-mismatch).
#pragma once

#include <algorithm>
#include <bitset>
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

// rollback-mismatch: replays `up` then `down` on `model` in a trial (undone
// before it returns: SchemaModel::Trial) and lists what is not back to where
// it was.
struct RollbackCheck {
    // Up or down did something the model cannot follow (a statement that does
    // not parse, dynamic SQL): no differences are claimed then.
    bool uncertain = false;
    std::vector<std::string> reasons;      // why it is uncertain
    std::vector<std::string> differences;  // what the down file does not undo; sorted
};
// The parts replayed are `up_part` of `up` and `down_part` of `down` (a goose
// file's Up and Down sections are one migration; a down file's part is up).
RollbackCheck check_rollback(SchemaModel& model, const Migration& up, const Migration& down,
                             Section up_part = Section::up, Section down_part = Section::up);
// The same check when the up has just been replayed on `model` for good under
// `up` (a finished SchemaModel::Recording): only `down` is replayed, in a
// trial, and compared with the model as it was before the up.
RollbackCheck check_rollback_after(SchemaModel& model, const SchemaModel::Recording& up,
                                   const Migration& down);

// Every name (any string) the parse trees of migrations hold; views into
// those trees, valid while the migrations are.
struct Names {
    // Hashed: relevant_part asks about every relation of the model for every
    // rollback pair. `filter` answers most misses (the usual case) before any
    // hashing: one bit per (length, first and last byte) slot.
    std::unordered_set<std::string_view> set;
    std::bitset<4096> filter;
    bool everything = false;  // a statement reaches whole schemas
    static std::size_t slot(std::string_view s) {
        if (s.empty()) return 0;
        return (s.size() * 131 + static_cast<unsigned char>(s.front()) * 31 +
                static_cast<unsigned char>(s.back())) &
               4095;
    }
    void add(std::string_view name) {
        if (set.insert(name).second) filter.set(slot(name));
    }
    bool count(std::string_view name) const {
        return filter.test(slot(name)) && set.count(name) > 0;
    }
    bool empty() const { return set.empty(); }
};
// ... of one migration's statements in one section.
void add_mentioned_names(const Migration& m, Section part, Names& names);

// The objects of a model statements naming only `names` can reach: pointers
// into the model's maps, in key order. Relations are those the names reach
// (their indexes and sequences, and what depends on them through foreign
// keys, views and column types), routines, triggers and policies those named;
// types, schemas and extensions are taken whole (schema/subset.cpp).
template <class Map>
using Entries = std::vector<const typename Map::value_type*>;
struct ModelPart {
    const SchemaModel* whole = nullptr;
    Entries<decltype(SchemaModel::relations)> relations;
    Entries<decltype(SchemaModel::routines)> routines;
    Entries<decltype(SchemaModel::triggers)> triggers;
    Entries<decltype(SchemaModel::policies)> policies;
};
template <class Map>
Entries<Map> all_entries(const Map& m) {
    Entries<Map> out;
    out.reserve(m.size());
    for (const auto& entry : m) out.push_back(&entry);
    return out;
}
ModelPart reachable_part(const SchemaModel& m, const Names& names);
// Every object of `m`.
ModelPart whole_model(const SchemaModel& m);
// A model of the part alone: the scratch model a migration's down sections are
// linted on (Engine::lint; down files and rollback checks use trials instead).
SchemaModel copy_of(const ModelPart& part);
inline SchemaModel relevant_part(const SchemaModel& m, const Names& names) {
    return copy_of(reachable_part(m, names));
}
// diff() of the part as it is in its model: the same as diffing copy_of(part),
// without the copy.
std::vector<std::string> diff(const ModelPart& before, const SchemaModel& after);

}  // namespace pgw::schema
