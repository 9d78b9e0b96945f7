// Helpers shared by rules: reading common parse-tree shapes. Only model and
// catalog knowledge here; no output formatting.
#pragma once

#include <string>
#include <vector>

#include "engine/config.h"
#include "engine/rule.h"
#include "frontend/quote.h"
#include "schema/catalog.h"

namespace pgw::rules {

// The objects a DropStmt names, as dotted names ("public.users", "idx").
std::vector<std::string> drop_targets(const Statement& st);

// The AlterTableCmd nodes of an ALTER TABLE statement (empty for anything else).
const std::vector<node::Element>& alter_table_commands(const Statement& st);

// The definition node (`def`) of every ALTER TABLE subcommand of `subtype`
// whose definition is a `def_type` node: the Constraint of each AT_AddConstraint,
// the ColumnDef of each AT_AddColumn.
std::vector<node::Element> alter_table_defs(const Statement& st, std::string_view subtype,
                                            std::string_view def_type);

// "schema.table" of the relation an ALTER TABLE / INDEX / ... statement targets.
std::string target_relation(const Statement& st);

// Names (dotted, as the model keeps them) joined for a message, each quoted
// as PostgreSQL needs it: `a`, `a, "B"`, `audit."Order"`.
std::string join_names(const std::vector<std::string>& names);
// Items already written for a message, joined: `a`, `a, b`.
std::string join_list(const std::vector<std::string>& items);

// True when the relation was created by the change itself: harmless to lock or drop.
bool created_by_change(const Context& ctx, const std::string& relation);

// The file span of one clause of a statement, from `location` to the next comma
// at its own level (or the end): `ADD CONSTRAINT ...` of a multi-clause ALTER TABLE.
Span clause_span(const Statement& st, int64_t location);

// The file span of ALTER TABLE subcommand `index` (in alter_table_commands order):
// the statement from its start for the first, the text between top-level commas
// for the others, the whole statement when it has a single subcommand.
Span command_span(const Statement& st, std::size_t index);

// command_span of the subcommand whose text holds `location` (a node inside it).
Span command_span_at(const Statement& st, int64_t location);

// The file span of the (possibly qualified, possibly quoted) name at `location`.
Span name_span(const Statement& st, int64_t location);

}  // namespace pgw::rules
