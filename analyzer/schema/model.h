// Layer "schema": the static schema model, its replay of parsed statements,
// diffs and the rollback check. Includes only the front end (frontend/).
//
// The static schema model: what a sequence of migrations leaves in the
// database, worked out by replaying their parsed statements without a server.
//
// It serves two purposes:
// - "does this table exist yet, and did the change being linted create it?"
//   (Catalog::is_new_table, for the locking rules), and
// - rollback-mismatch: replay an up migration then its down migration in a
//   trial that is undone afterwards (Trial), and list what is not back to
//   where it was.
//
// Static replay cannot know everything (dynamic SQL, statements that do not
// parse, objects created outside the migrations). The model never pretends: what
// it cannot follow is marked uncertain, and diffs leave uncertain objects out,
// because a wrong "certainty" would become a false finding.
#pragma once

#include <cstddef>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "frontend/layout.h"
#include "schema/journaled_map.h"
#include "schema/objects.h"

namespace pgw {

struct Statement;
struct Migration;

// "public.users" and "users" are the same table; "audit.users" is another.
std::string normalize_relation(std::string_view schema, std::string_view name);
std::string normalize_relation(std::string_view dotted);

namespace schema {

// A name the replay created, and which migration created it.
struct Created {
    RelKind kind = RelKind::table;
    std::int32_t creator = Origin::kBefore;
};

using RelationMap = JournaledMap<std::map<std::string, Relation, std::less<>>>;
using TypeMap = JournaledMap<std::map<std::string, Type, std::less<>>>;
using RoutineMap = JournaledMap<std::map<std::string, Routine, std::less<>>>;
using TableObjectMap = JournaledMap<std::map<TableObjectKey, Simple>>;
using SimpleMap = JournaledMap<std::map<std::string, Simple, std::less<>>>;
using NameSet = std::set<std::string, std::less<>>;

class SchemaModel {
  public:
    // The migrations of a replay are numbered in the order they are replayed;
    // objects remember the number of the one that created them. Whether that
    // migration is part of the change being linted (the file being linted, or a
    // migration new in the change set) is a property of the number, so a file
    // stops being "the change" in one step (settle), whatever it created.
    void begin_migration(std::int32_t ordinal, bool part_of_change);
    void settle(std::int32_t ordinal);  // that migration is history from now on
    bool by_change(const Origin& o) const {
        return o.creator >= 0 && static_cast<std::size_t>(o.creator) < change_.size() &&
               change_[static_cast<std::size_t>(o.creator)];
    }
    bool by_change(std::int32_t creator) const { return by_change(Origin{creator, false}); }
    std::int32_t current() const { return current_; }
    // The numbering (and which numbers are the change) of another model.
    void adopt_numbering(const SchemaModel& from);
    // Tests and one-off replays: the migrations from now on are (not) the change.
    void set_change(bool part_of_change) { begin_migration(current_ + 1, part_of_change); }

    // Replays one statement. `templated`: its text had template placeholders,
    // so the names it uses are not the real ones.
    void apply(const Statement& st, bool templated = false);
    // Replays statement `i` of `m` as a whole-migration replay does: one that
    // does not parse makes the model uncertain, a DO block whose statements
    // could not be read too.
    void step(const Migration& m, std::size_t i);
    // The migration's session ends: its temporary tables go.
    void end_migration();
    // Replays a migration's statements of one section (the up part, or a
    // goose file's down part), those inside DO blocks included.
    void replay(const Migration& m, Section section = Section::up);

    // The current transaction ended: what it alone knew (tables it truncated,
    // now possibly filled by others) is forgotten.
    void end_transaction() { truncated.clear(); }

    // Lookups by name as written ("users", "public.users", "s.t"); unqualified
    // names are resolved along search_path.
    const Relation* relation(std::string_view name) const;
    const Type* type(std::string_view name) const;
    std::string relation_key(std::string_view schema, std::string_view name) const;
    std::string type_key(std::string_view schema, std::string_view name) const;
    std::string creation_key(std::string_view schema, std::string_view name) const;

    // The model met something that may have changed any object: a statement
    // it cannot read, dynamic SQL, DROP OWNED. Counted, with the reason.
    void mark_unknown(std::string reason);
    std::size_t unknown_effects() const { return unknown_; }
    const std::vector<std::string>& unknown_reasons() const { return reasons_; }
    void reset_unknown() {
        unknown_ = 0;
        reasons_.clear();
    }

    // Model operations shared by the statement replay (schema_model.cpp).
    Origin origin() const;
    Relation* find_relation(const std::string& key);
    // A relation a statement creates (replacing any of that name).
    Relation& put_relation(const std::string& key, RelKind kind);
    // A relation that exists (a statement used it) but that the model never
    // saw created: uncertain, not the change's, columns unknown.
    Relation& put_placeholder(const std::string& key, RelKind kind);
    // The key a temporary relation gets: PostgreSQL puts it in pg_temp, which
    // the search path looks in first.
    static std::string temp_key(std::string_view name);
    void drop_relation(const std::string& key, bool cascade);
    void rename_relation(const std::string& from, const std::string& to);
    void drop_column(Relation& table, const std::string& column, bool cascade);
    void rename_column(Relation& table, const std::string& from, const std::string& to);
    void drop_constraint(Relation& table, const std::string& name);
    void rename_type(const std::string& from, const std::string& to);
    void drop_type(const std::string& key, bool cascade);
    void drop_schema(const std::string& name, bool cascade);
    bool name_taken(const std::string& key) const;  // a relation or constraint-backed index

    // The schema, as replayed so far. Public: diff() and tests read it.
    // Journaled: a Trial can undo whatever changes them.
    RelationMap relations;
    TypeMap types;
    RoutineMap routines;  // key: "name(argtypes)"
    TableObjectMap triggers;
    TableObjectMap policies;
    SimpleMap schemas;
    SimpleMap extensions;
    // Every relation name the change created, renames included; it never
    // shrinks. A name the change once created did not exist before the change
    // (the CREATE would have failed), so whatever goes by that name later is
    // the change's own too, even after a rename or drop the model follows.
    using CreatedNames = std::map<std::string, Created, std::less<>>;
    CreatedNames created_names;
    // Tables truncated earlier in the current transaction, and not written since:
    // empty, and still locked by it.
    NameSet truncated;
    std::vector<std::string> search_path{"public"};
    // Objects dropped while the model did not know them ("relation:x",
    // "type:x", "routine:f", "trigger:t.x", ...): they existed, or may have
    // (IF EXISTS). One created again under that name cannot be called left
    // over, since the state before may well have had it.
    NameSet dropped_unknown;

    // Record what defines views, routines, triggers and policies (their query
    // or body, canonical) for diffs. Catalog turns it off: the rules only ask
    // what exists, and printing every view's query costs time for nothing.
    bool details = true;

    // While a statement is replayed: everything it touches becomes uncertain
    // (a templated name, a statement only partly understood).
    bool statement_uncertain = false;
    bool has_temporary = false;  // a temporary relation may exist (end_migration drops them)
    std::string where;           // "line 12": where the statement being replayed is, for reasons

    // Statements replayed on the model while a Trial lives are undone when it
    // ends (issue 17: the rollback check and a down file's lint used to work
    // on a copy of the part of the model they reach). Meanwhile the model
    // looks as that copy did: what only the replay so far knew (unknown
    // effects and their reasons, unknown drops, the change's created names,
    // truncated tables, temporary relations) starts empty, the schema and the
    // numbering of migrations are the model's own. Trials do not nest.
    class Trial {
      public:
        explicit Trial(SchemaModel& model);
        ~Trial();  // puts everything back
        Trial(const Trial&) = delete;
        Trial& operator=(const Trial&) = delete;

      private:
        SchemaModel& m_;
    };
    // In a trial: the objects it changed, as they were (`before`) and as they
    // are (`after`), each a model of those objects alone; after's unknown
    // drops are the trial's. diff(before, after) is then what diffing the
    // whole model before and after the trial would say.
    void trial_changes(SchemaModel& before, SchemaModel& after) const;
    bool in_trial() const { return trial_.state != nullptr; }

    // Statements replayed for good while a Recording lives (an up migration's
    // lint) are journaled as a trial's are, and the journal is kept: a trial
    // that follows (the down file alone) can then be compared with the model
    // as it was before them, and the up is replayed once instead of twice
    // (once for its lint, once in the rollback check's trial). Rules see the
    // model as without a recording; only what nothing but diffs reads (the
    // unknown drops, the reasons for unknown effects) is held aside and put
    // back merged. Recordings and trials do not overlap: finish() it first.
  private:
    struct TrialState;  // trial.cpp: what a trial or recording saved

  public:
    class Recording {
      public:
        explicit Recording(SchemaModel& model);
        ~Recording() { finish(); }
        Recording(const Recording&) = delete;
        Recording& operator=(const Recording&) = delete;
        void finish();  // stops journaling; the changes stay

        // What the recorded statements alone did that the model could not follow.
        std::size_t unknown_effects() const { return unknown_; }
        const std::vector<std::string>& unknown_reasons() const { return reasons_; }

      private:
        friend class SchemaModel;
        SchemaModel& m_;
        std::shared_ptr<TrialState> saved_;  // first-touch entries of the seven maps
        std::vector<bool> all_saved_;        // per map: edit_all() saved every entry
        bool finished_ = false;
        std::size_t unknown_at_start_ = 0, unknown_ = 0;
        std::vector<std::string> held_reasons_, reasons_;
        NameSet held_dropped_, dropped_;
    };
    // In a trial that follows `recording` (finished): the objects either
    // changed, as they were before the recording and as they are now, as
    // trial_changes says of a trial alone; after's unknown drops are both's.
    void changes_since(const Recording& recording, SchemaModel& before, SchemaModel& after) const;

    static constexpr std::size_t kMaxReasons = 20;  // reasons kept for unknown effects

  private:
    std::vector<bool> change_ = {true};  // by migration number
    std::int32_t current_ = 0;
    std::size_t unknown_ = 0;
    std::vector<std::string> reasons_;
    // The trial under way, if any. A copy of the model is in no trial.
    struct TrialSlot {
        std::shared_ptr<TrialState> state;  // shared_ptr: TrialState is complete only in trial.cpp
        bool recording = false;             // a Recording journals the maps
        TrialSlot() = default;
        TrialSlot(const TrialSlot&) {}
        TrialSlot& operator=(const TrialSlot&) { return *this; }
    } trial_;
};

}  // namespace schema
}  // namespace pgw
