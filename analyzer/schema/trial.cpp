// Trials: statements replayed on the set's model, then undone (model.h).
#include <stdexcept>
#include <utility>

#include "schema/model.h"

namespace pgw::schema {

// What a trial saved: the maps' first-touch entries, and what the model held
// aside while the trial looks like a fresh copy of it.
struct SchemaModel::TrialState {
    RelationMap::Saved relations;
    TypeMap::Saved types;
    RoutineMap::Saved routines;
    TableObjectMap::Saved triggers;
    TableObjectMap::Saved policies;
    SimpleMap::Saved schemas;
    SimpleMap::Saved extensions;

    CreatedNames created_names;
    NameSet truncated;
    NameSet dropped_unknown;
    std::vector<std::string> search_path;
    bool has_temporary = false;
    bool statement_uncertain = false;
    std::string where;
    std::vector<bool> change;
    std::int32_t current = 0;
    std::size_t unknown = 0;
    std::vector<std::string> reasons;
};

SchemaModel::Trial::Trial(SchemaModel& model) : m_(model) {
    // A second trial would take over the maps' journals and lose the first's.
    if (m_.in_trial()) throw std::logic_error("SchemaModel::Trial: trials do not nest");
    auto t = std::make_shared<TrialState>();
    // Held aside, and empty meanwhile, as in a copy of the model's part
    // (copy_of): what the replay so far alone knew.
    t->created_names = std::exchange(m_.created_names, {});
    t->truncated = std::exchange(m_.truncated, {});
    t->dropped_unknown = std::exchange(m_.dropped_unknown, {});
    t->has_temporary = std::exchange(m_.has_temporary, false);
    t->statement_uncertain = std::exchange(m_.statement_uncertain, false);
    t->where = std::exchange(m_.where, {});
    t->unknown = std::exchange(m_.unknown_, 0);
    t->reasons = std::exchange(m_.reasons_, {});
    // Kept, and put back: a trial may change them.
    t->search_path = m_.search_path;
    t->change = m_.change_;
    t->current = m_.current_;
    m_.relations.begin_trial(&t->relations);
    m_.types.begin_trial(&t->types);
    m_.routines.begin_trial(&t->routines);
    m_.triggers.begin_trial(&t->triggers);
    m_.policies.begin_trial(&t->policies);
    m_.schemas.begin_trial(&t->schemas);
    m_.extensions.begin_trial(&t->extensions);
    m_.trial_.state = std::move(t);
}

SchemaModel::Trial::~Trial() {
    TrialState& t = *m_.trial_.state;
    m_.relations.restore();
    m_.types.restore();
    m_.routines.restore();
    m_.triggers.restore();
    m_.policies.restore();
    m_.schemas.restore();
    m_.extensions.restore();
    m_.created_names = std::move(t.created_names);
    m_.truncated = std::move(t.truncated);
    m_.dropped_unknown = std::move(t.dropped_unknown);
    m_.has_temporary = t.has_temporary;
    m_.statement_uncertain = t.statement_uncertain;
    m_.where = std::move(t.where);
    m_.unknown_ = t.unknown;
    m_.reasons_ = std::move(t.reasons);
    m_.search_path = std::move(t.search_path);
    m_.change_ = std::move(t.change);
    m_.current_ = t.current;
    m_.trial_.state.reset();
}

namespace {

// The touched entries of `now`, before (as saved) and after (as they are).
template <class Journaled>
void split(const Journaled& now, Journaled& before, Journaled& after) {
    for (const auto& [key, was] : *now.saved()) {
        if (was) before.append({key, *was});
        if (!now.all_saved())
            if (auto it = now.find(key); it != now.end()) after.append(*it);
    }
    if (now.all_saved())  // every entry may have changed, without a note
        for (const auto& entry : now) after.append(entry);
}

}  // namespace

void SchemaModel::trial_changes(SchemaModel& before, SchemaModel& after) const {
    split(relations, before.relations, after.relations);
    split(types, before.types, after.types);
    split(routines, before.routines, after.routines);
    split(triggers, before.triggers, after.triggers);
    split(policies, before.policies, after.policies);
    split(schemas, before.schemas, after.schemas);
    split(extensions, before.extensions, after.extensions);
    after.dropped_unknown = dropped_unknown;
}

}  // namespace pgw::schema
