// Trials: statements replayed on the set's model, then undone (model.h).
#include <optional>
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
    if (m_.trial_.recording) throw std::logic_error("SchemaModel::Trial: a recording is under way");
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

// A touched entry back as it was is left out of both: diff() reports nothing
// for equal entries, and most touched entries are equal again after a
// rollback, so comparing here saves copying them (issue 17).
template <class Journaled, class Entry>
void add_pair(const std::optional<Entry>* was, typename Journaled::const_iterator now_it,
              const Journaled& now, const typename Journaled::key_type& key, Journaled& before,
              Journaled& after) {
    bool had = was && *was;
    bool has = now_it != now.end();
    if (had && has && **was == now_it->second) return;
    if (had) before.append({key, **was});
    if (has) after.append(*now_it);
}

// The touched entries of `now` that changed, before (as saved) and after (as
// they are).
template <class Journaled>
void split(const Journaled& now, Journaled& before, Journaled& after) {
    for (const auto& [key, was] : *now.saved()) {
        if (!now.all_saved())
            add_pair(&was, now.find(key), now, key, before, after);
        else if (was)
            before.append({key, *was});
    }
    if (now.all_saved())  // every entry may have changed, without a note
        for (const auto& entry : now) after.append(entry);
}

// The entries touched by a recording (`up`, its saved entries) or by the
// trial under way on `now` since, and changed, as they were before the
// recording and as they are. Both journals are in key order: one merge.
template <class Journaled>
void split_since(const typename Journaled::Saved& up, bool up_all, const Journaled& now,
                 Journaled& before, Journaled& after) {
    const typename Journaled::Saved& trial = *now.saved();
    const bool all = up_all || now.all_saved();
    auto less = now.key_comp();
    auto u = up.begin(), t = trial.begin();
    while (u != up.end() || t != trial.end()) {
        bool from_up = t == trial.end() || (u != up.end() && !less(t->first, u->first));
        const auto& key = from_up ? u->first : t->first;
        // The recording saved a key first: as it was before. A key only the
        // trial touched was as the recording left it, which is as it was,
        // unless edit_all() let the recording add keys without a note: every
        // key that existed before is saved then.
        const auto* was = from_up ? &u->second : (up_all ? nullptr : &t->second);
        if (all && was && *was) before.append({key, **was});
        if (!all) add_pair(was, now.find(key), now, key, before, after);
        if (from_up) {
            if (t != trial.end() && !less(u->first, t->first)) ++t;  // the same key
            ++u;
        } else {
            ++t;
        }
    }
    if (all)  // every entry may have changed, without a note
        for (const auto& entry : now) after.append(entry);
}

}  // namespace

SchemaModel::Recording::Recording(SchemaModel& model)
    : m_(model), saved_(std::make_shared<TrialState>()) {
    if (m_.in_trial() || m_.trial_.recording)
        throw std::logic_error("SchemaModel::Recording: a trial or recording is under way");
    m_.trial_.recording = true;
    unknown_at_start_ = m_.unknown_;
    held_reasons_ = std::exchange(m_.reasons_, {});
    held_dropped_ = std::exchange(m_.dropped_unknown, {});
    TrialState& t = *saved_;
    m_.relations.begin_trial(&t.relations);
    m_.types.begin_trial(&t.types);
    m_.routines.begin_trial(&t.routines);
    m_.triggers.begin_trial(&t.triggers);
    m_.policies.begin_trial(&t.policies);
    m_.schemas.begin_trial(&t.schemas);
    m_.extensions.begin_trial(&t.extensions);
}

void SchemaModel::Recording::finish() {
    if (finished_) return;
    finished_ = true;
    all_saved_ = {m_.relations.keep(), m_.types.keep(),   m_.routines.keep(),  m_.triggers.keep(),
                  m_.policies.keep(),  m_.schemas.keep(), m_.extensions.keep()};
    unknown_ = m_.unknown_ - unknown_at_start_;
    // What was held aside, merged back as if never taken: the reasons in
    // their order up to the limit mark_unknown keeps, the drops a union.
    reasons_ = std::exchange(m_.reasons_, std::move(held_reasons_));
    for (const std::string& r : reasons_)
        if (m_.reasons_.size() < kMaxReasons) m_.reasons_.push_back(r);
    dropped_ = std::exchange(m_.dropped_unknown, std::move(held_dropped_));
    m_.dropped_unknown.insert(dropped_.begin(), dropped_.end());
    m_.trial_.recording = false;
}

void SchemaModel::changes_since(const Recording& r, SchemaModel& before, SchemaModel& after) const {
    if (!r.finished_ || !in_trial())
        throw std::logic_error("SchemaModel::changes_since: a finished recording, then a trial");
    const TrialState& up = *r.saved_;
    split_since(up.relations, r.all_saved_[0], relations, before.relations, after.relations);
    split_since(up.types, r.all_saved_[1], types, before.types, after.types);
    split_since(up.routines, r.all_saved_[2], routines, before.routines, after.routines);
    split_since(up.triggers, r.all_saved_[3], triggers, before.triggers, after.triggers);
    split_since(up.policies, r.all_saved_[4], policies, before.policies, after.policies);
    split_since(up.schemas, r.all_saved_[5], schemas, before.schemas, after.schemas);
    split_since(up.extensions, r.all_saved_[6], extensions, before.extensions, after.extensions);
    after.dropped_unknown = r.dropped_;
    after.dropped_unknown.insert(dropped_unknown.begin(), dropped_unknown.end());
}

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
