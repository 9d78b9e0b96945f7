// Schema knowledge for the rules: which relations exist and which ones the
// change being linted creates itself. Locking rules ask `is_new_table`: a table
// created by this change has no readers yet, so locking it is harmless.
//
// The answer comes from the schema model (schema_model.h): every object there
// remembers whether the change created it, so "does this table exist yet, and
// did this change create it" is decided in one place, with renames, drops and
// schema moves followed.
#pragma once

#include <memory>
#include <set>
#include <string>
#include <string_view>

#include "frontend/parse.h"
#include "schema/model.h"

namespace pgw {

class Catalog {
  public:
    // An empty schema: everything applied to it is the change's own.
    Catalog() = default;
    // Opt-in knowledge of the schema before the change (for instance the
    // migrations before it replayed with set_change(false)); shared, not copied.
    explicit Catalog(std::shared_ptr<const schema::SchemaModel> known);

    // Tables (and materialized views, foreign tables) the change created: earlier
    // in this file, or in another migration new in this change set.
    bool is_new_table(std::string_view qualified) const;
    // Any relation the change created: tables, views, indexes, sequences.
    bool is_new_relation(std::string_view qualified) const;
    void add_new_table(std::string qualified);

    // Updates the knowledge with what `st` does.
    void apply(const Statement& st);

    std::set<std::string, std::less<>> new_tables() const;
    const schema::SchemaModel& model() const;

  private:
    // Copy-on-write: the engine copies a Catalog per file (`Catalog catalog =
    // known;`), which costs a pointer copy; the model is cloned only when a
    // shared one is first changed.
    std::shared_ptr<const schema::SchemaModel> model_;
    bool owned_ = false;  // model_ was made by a Catalog (a known model is never written)
    schema::SchemaModel& own();
};

}  // namespace pgw
