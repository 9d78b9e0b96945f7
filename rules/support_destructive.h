// Helpers shared by the destructive-operation rules (dangerous, contract and
// protected-table): naming what a statement destroys or touches, and telling
// whether the object was created by the change itself (then dropping or
// rewriting it loses nothing that anybody depends on).
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "support.h"

namespace pgw::rules {

// Objects that live on a table (triggers, policies, rules): their names are
// qualified by the table, not a schema.
bool on_table(std::string_view remove_type);
// "s.tbl.trg" -> "s.tbl" and "trg".
std::pair<std::string, std::string> split_last(const std::string& dotted);

// "integer" for pg_catalog.int4, "varchar" for pg_catalog.varchar, "s.t" for a user type.
std::string sql_type_name(node::Element type_name_fields);

// "view" -> "views", "policy" -> "policies": for messages about several objects.
std::string plural(std::string_view noun, std::size_t count);

// "users", "audit.users" or "\"User\"": quoted as PostgreSQL needs it (for messages).
std::string display_relation(node::Element fields, std::string_view key = "relation");

// The names of the ALTER TABLE subcommands of type `subtype` ("AT_DropColumn").
std::vector<std::string> alter_subcommand_names(const Statement& st, std::string_view subtype);

// ALTER TABLE on a table the change created: its subcommands destroy nothing.
bool alters_new_table(const Statement& st, const Context& ctx);

// "VIEW", "MATERIALIZED VIEW", "FUNCTION" for a DropStmt removeType.
std::string object_kind_label(std::string_view remove_type);

// Comparable names of the objects a DropStmt removes: normalized like relations
// ("public.v" -> "v"); for objects that live on a table (triggers, policies,
// rules) "table.name". Parallel to drop_targets().
std::vector<std::string> drop_keys(const Statement& st);

// The objects a DropStmt removes, for messages: "v", "trg ON s.tbl", "(int4 AS text)".
std::vector<std::string> drop_display_names(const Statement& st);

// True when the object of DropStmt kind `remove_type` named `key` (as
// drop_keys() builds it) was created by the change: earlier in this migration
// or in another migration new in the change set (the set replay's model).
bool object_created_by_change(const Context& ctx, std::string_view remove_type,
                              const std::string& key);

// Objects the model does not track (operators, collations, statistics, ...):
// a rule notes what each statement of the file creates, and asks later.
void note_creations(const Context& ctx, const Rule* rule, const Statement& st);
bool noted_creation(const Context& ctx, const Rule* rule, std::string_view remove_type,
                    const std::string& key);

// True when a statement after the one being checked, in the same section of
// the migration, creates an object of that kind and name (DROP VIEW v; CREATE
// VIEW v ...: the way to change what CREATE OR REPLACE cannot).
bool created_later(const Context& ctx, std::string_view remove_type, const std::string& key);

// A DELETE/UPDATE ("DeleteStmt"/"UpdateStmt") of the statement: the statement
// itself and those in data-modifying WITH clauses (`WITH d AS (DELETE ...) SELECT`).
struct DataChange {
    std::string_view kind;
    node::Element fields;
};
std::vector<DataChange> data_changes(const Statement& st);
// Every data change of the statement: INSERT, UPDATE, DELETE and MERGE.
std::vector<DataChange> all_data_changes(const Statement& st);

// The tables (as displayed) that a `kind` statement (DeleteStmt, UpdateStmt)
// changes with no WHERE clause, leaving out tables the change itself created.
// WHERE CURRENT OF is a WHERE too: it names one row.
std::vector<std::string> unfiltered_targets(const Statement& st, const Context& ctx,
                                            std::string_view kind);

}  // namespace pgw::rules
