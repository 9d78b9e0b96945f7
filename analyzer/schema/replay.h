// Internal to the schema model: turns one parsed statement into model changes.
// replay.cpp dispatches; replay_migration.cpp replays whole migrations and DO
// blocks; create.cpp creates relations (tables, views, indexes, sequences),
// triggers, policies and extensions; create_type.cpp creates and alters types
// and domains; routines.cpp creates routines; drop_rename.cpp handles DROP,
// RENAME and SET SCHEMA of every kind; alter.cpp ALTER TABLE and the column and
// constraint definitions CREATE TABLE shares with it.
#pragma once

#include <initializer_list>
#include <string>
#include <utility>
#include <vector>

#include "frontend/node.h"
#include "frontend/parse.h"
#include "schema/model.h"

namespace pgw::schema {

class Replay {
  public:
    Replay(SchemaModel& model, const Statement& st);
    void run() { dispatch(st_.kind, st_.node); }

  private:
    SchemaModel& m_;
    const Statement& st_;
    // A statement inside a DO block under an existence check or an exception
    // handler runs only when it can: it is replayed as if it said IF [NOT]
    // EXISTS. The guard is nearly always exactly that check (parse.cpp only
    // calls statements guarded under EXISTS/pg_catalog conditions or
    // exception handlers), so this is the likely outcome, not a guess.
    bool lenient_ = false;

    void dispatch(std::string_view kind, node::Element f);

    // replay.cpp, create.cpp, replay_migration.cpp
    void create_schema(node::Element f);
    void create_table(node::Element f, RelKind kind);
    void create_table_as(node::Element f);
    void select_into(node::Element f);
    void create_view(node::Element f);
    void create_index(node::Element f);
    void create_sequence(node::Element f);
    void alter_sequence(node::Element f);
    void create_on_table(std::string_view kind, node::Element f);
    void create_extension(node::Element f);
    void do_block(node::Element f);
    void set_search_path(node::Element f);

    // create_type.cpp
    void create_type(std::string_view kind, node::Element f);
    void alter_type_attributes(node::Element f);
    void alter_enum(node::Element f);
    void alter_domain(node::Element f);

    // routines.cpp, drop_rename.cpp
    void create_routine(node::Element f);
    void create_aggregate(node::Element f);
    void drop(node::Element f);
    void rename(node::Element f);
    void rename_relation(node::Element f);
    void rename_in_table(node::Element f);
    void set_schema(node::Element f);
    void move_relation(const std::string& from, const std::string& to);
    void move_routine(const std::string& from, const std::string& new_name);
    void move_schema(const std::string& from, const std::string& to);

    // alter.cpp
    void alter_table(node::Element f);
    // A column definition (CREATE TABLE, ADD COLUMN): its inline constraints
    // other than NOT NULL/DEFAULT go to `pending`, added once all columns exist.
    Column column_def(Relation& table, node::Element coldef, std::vector<node::Element>& pending,
                      std::vector<std::string>& pending_columns);
    void add_constraint(Relation& table, node::Element con, const std::string& column);
    void add_index_constraint(Relation& table, node::Element con, Constraint c,
                              const std::vector<std::string>& include);
    void owned_sequence(Relation& table, Column& column, bool serial);
    void copy_columns(Relation& table, node::Element range_var, bool defaults);

  public:
    // Helpers the two files share.
    std::string rel_key(node::Element range_var) const;
    std::string new_rel_key(node::Element range_var) const;
    // "integer, text" from FunctionParameters (OUT ones left out) or TypeNames.
    static std::string routine_args(node::Element holder, std::string_view key);
    // The key of the routine an ObjectWithArgs names (the first overload when
    // it gives no arguments); where it would be when the model lacks it.
    std::string routine_key(node::Element object_with_args) const;
    // The table an ALTER works on; an unknown one becomes an uncertain
    // placeholder (it exists, since the statement ran, but the model does not
    // know what it holds). Null when IF EXISTS (or a guard) skips the statement.
    Relation* target(node::Element range_var, bool missing_ok, RelKind kind = RelKind::table);
    Column* column(Relation& table, const std::string& name, bool create_placeholder);
    void touch(Origin& o) const { o.uncertain = o.uncertain || m_.statement_uncertain; }
    // CREATE TEMP: noted on the model, so the end of a migration looks for
    // temporary relations only when there are some.
    bool temporary(node::Element range_var) const {
        bool temp = node::str(range_var, "relpersistence") == "t";
        m_.has_temporary = m_.has_temporary || temp;
        return temp;
    }
    // An expression's text for diffs (defaults, CHECKs): not printed when the
    // model keeps no details (SchemaModel::details).
    std::string expr_of(node::Element e) const;
    bool missing_ok(node::Element f) const { return lenient_ || node::flag(f, "missing_ok"); }
    bool if_not_exists(node::Element f) const { return lenient_ || node::flag(f, "if_not_exists"); }
};

// Statement kinds that change nothing the model records.
bool no_schema_effect(std::string_view kind);
// Names of an `objects` item of a DropStmt or `object` of a RenameStmt:
// List/String/TypeName forms flattened to ["schema", "name"].
std::vector<std::string> object_names(node::Element item);
// The fields of `f` named in `keys`, canonical: what defines a trigger, a
// policy or an index, without its name and table (renames must not read as changes).
std::string fields_detail(node::Element f, std::initializer_list<std::string_view> keys);
// "a, b".
std::string join(const std::vector<std::string>& names);
// Columns a CHECK expression mentions, distinct, in order.
std::vector<std::string> mentioned_columns(node::Element expr);
using node::string_list;
// ["s", "t"] -> {"s", "t"}; ["t"] -> {"", "t"}.
std::pair<std::string, std::string> split_names(const std::vector<std::string>& names);

}  // namespace pgw::schema
