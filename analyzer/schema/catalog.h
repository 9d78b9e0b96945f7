// Schema knowledge for the rules: a read-only view of the set replay's model as
// it stands just before the statement being checked, with the questions rules
// ask. Locking rules ask `is_new_table`: a table created by the change itself
// has no readers yet, so locking it is harmless.
//
// Every object of the model remembers which migration created it and the model
// knows which migrations are the change (the file being linted, and migrations
// new in the change set), so "does this table exist yet, and did this change
// create it" is decided in one place, with renames, drops and schema moves
// followed.
#pragma once

#include <set>
#include <string>
#include <string_view>

#include "schema/model.h"

namespace pgw {

class Catalog {
  public:
    explicit Catalog(const schema::SchemaModel& model) : model_(&model) {}
    // The engine points the view at a scratch model for a down section.
    void look_at(const schema::SchemaModel& model) { model_ = &model; }

    // Tables (and materialized views, foreign tables) the change created: earlier
    // in this file, or in another migration new in this change set.
    bool is_new_table(std::string_view qualified) const;
    // Any relation the change created: tables, views, indexes, sequences.
    bool is_new_relation(std::string_view qualified) const;

    // The relation a name as written resolves to, null when the replay never
    // saw it (it may still exist: objects the set never created are unknown).
    const schema::Relation* relation(std::string_view qualified) const;
    // A column of a table the model knows, null otherwise.
    const schema::Column* column(std::string_view table, std::string_view column) const;
    // A constraint of a table, by name.
    const schema::Constraint* constraint(std::string_view table, std::string_view name) const;

    std::set<std::string, std::less<>> new_tables() const;
    const schema::SchemaModel& model() const { return *model_; }

  private:
    const schema::SchemaModel* model_;
};

}  // namespace pgw
