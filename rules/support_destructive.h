// Helpers shared by the destructive-operation rules (dangerous, contract and
// protected-table): naming what a statement destroys or touches, and telling
// whether the object was created by the change itself (then dropping or
// rewriting it loses nothing that anybody depends on).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "support.h"

namespace pgw::rules {

// "integer" for pg_catalog.int4, "varchar" for pg_catalog.varchar, "s.t" for a user type.
std::string sql_type_name(node::Element type_name_fields);

// "view" -> "views", "policy" -> "policies": for messages about several objects.
std::string plural(std::string_view noun, std::size_t count);

// "users" or "audit.users", as written (for messages).
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

// True when an object of DropStmt kind `remove_type` named `key` (as drop_keys()
// builds it) is created by a statement of this migration before (`before`) or
// after the one being checked.
bool created_in_file(const Context& ctx, std::string_view remove_type, const std::string& key,
                     bool before);

// A DELETE/UPDATE ("DeleteStmt"/"UpdateStmt") of the statement: the statement
// itself and those in data-modifying WITH clauses (`WITH d AS (DELETE ...) SELECT`).
struct DataChange {
    std::string_view kind;
    node::Element fields;
};
std::vector<DataChange> data_changes(const Statement& st);

// The tables (as displayed) that a `kind` statement (DeleteStmt, UpdateStmt)
// changes with no WHERE clause, leaving out tables the change itself created.
// WHERE CURRENT OF is a WHERE too: it names one row.
std::vector<std::string> unfiltered_targets(const Statement& st, const Context& ctx,
                                            std::string_view kind);

// A relation a statement acts on, for protected-table.
struct TouchedRelation {
    std::string normalized;  // "users", "audit.users"
    int64_t location = -1;   // of its name in the statement text, -1 if not known
    std::string action;      // what touches it: "ALTER TABLE", "INSERT", ...
};
std::vector<TouchedRelation> touched_relations(const Statement& st);

// What a statement does, for messages: "ALTER TABLE", "DROP TRIGGER", "INSERT".
std::string statement_label(std::string_view kind, node::Element fields);

// The file span of the (possibly qualified, possibly quoted) name at `location`.
Span name_span(const Statement& st, int64_t location);

}  // namespace pgw::rules
