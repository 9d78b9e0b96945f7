// Parse-tree questions the `locking` rules share: which tables a statement locks
// strongly, whether an option such as CONCURRENTLY is on, what a column definition
// carries. Kept apart from support.h so the locking rules evolve together.
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "support.h"

namespace pgw::rules::locking {

// Whether a relation (normalized name) existed before the statement being judged.
using ExistingTest = std::function<bool(const std::string&)>;

// A DefElem option of a VACUUM / REINDEX style list is on: present, and not
// written as false, off, no or 0 (`VACUUM (FULL false)`).
bool option_enabled(node::Element fields, std::string_view list_key, std::string_view name);

// Normalized names of the RangeVar nodes in the array field `key`.
std::vector<std::string> relation_list(node::Element fields, std::string_view key);

// Normalized "schema.name" of a RangeVar field (empty when absent).
std::string relation_field(node::Element fields, std::string_view key);

// The index named `dotted` (a DROP/REINDEX target) was created by the change
// (the set replay's model): nobody uses it yet.
bool index_created_by_change(const Context& ctx, const std::string& dotted);

// The Constraint fields of a ColumnDef whose contype is `contype`.
bool column_constraint(node::Element column_def, std::string_view contype, node::Element& out);
bool has_column_constraint(node::Element column_def, std::string_view contype);

// serial, bigserial, smallserial and their serialN spellings: an implicit nextval() default.
bool is_serial_type(node::Element column_def);

// The CONCURRENTLY operation a statement performs ("CREATE INDEX CONCURRENTLY"),
// empty when it has none. These are the ones PostgreSQL refuses inside a transaction.
std::string concurrent_operation(const Statement& st);

// What the statement locks in SHARE mode or stronger (a lock that blocks writes) among
// tables that already exist, for the message: "users", "the whole database". Empty
// when it takes no such lock on an existing relation.
std::string blocking_lock_target(const Statement& st, const Context& ctx,
                                 const ExistingTest& existing);

}  // namespace pgw::rules::locking
