// verify-static-mismatch: what PostgreSQL did (engine/observations.h) against
// what pgwarden's static analysis says the statement does (schema/effects.h,
// over the set replay's model): a lock, rewrite or scan nobody predicted, or a
// prediction the run contradicts. The model is replayed alongside the real
// database, migration by migration, so every prediction sees the schema the
// statement really met.
#pragma once

#include <map>
#include <set>
#include <string>
#include <vector>

#include "engine/observations.h"
#include "schema/effects.h"
#include "schema/model.h"
#include "verify/plan.h"

namespace pgw {

class StaticReplay {
  public:
    explicit StaticReplay(int pg_version) : pg_version_(pg_version) { model_.details = false; }

    // Replays a script into the model and returns, per top-level statement
    // (keyed by its file offset), what the static analysis predicts for it,
    // each prediction made against the model as it stood before the statement.
    std::map<std::size_t, schema::Effects> replay(const VerifyScript& script);

    // Relation keys the model held before the last replay(): the relations
    // verify traces (it traces relations that existed before the migration).
    const std::set<std::string>& existed() const { return existed_; }

    // The model as the replays so far left it, and the script each of its
    // migration numbers stands for (verify-static-mismatch on the model).
    const schema::SchemaModel& model() const { return model_; }
    const VerifyScript* script_of(std::int32_t ordinal) const {
        return ordinal >= 0 && static_cast<std::size_t>(ordinal) < scripts_.size()
                   ? scripts_[static_cast<std::size_t>(ordinal)]
                   : nullptr;
    }

  private:
    schema::SchemaModel model_;
    int pg_version_;
    std::int32_t ordinal_ = 0;
    std::set<std::string> existed_;
    std::vector<const VerifyScript*> scripts_;  // by migration number
};

struct Mismatch {
    Span span;
    std::string message;
};

// The disagreements of one traced migration.
std::vector<Mismatch> static_mismatches(const std::vector<StatementTrace>& traces,
                                        const std::map<std::size_t, schema::Effects>& predicted,
                                        const std::set<std::string>& existed);

// "public.\"Order\"" (as pg_locks and verify name it) -> the model's key "Order".
std::string model_key(const std::string& traced_name);

}  // namespace pgw
