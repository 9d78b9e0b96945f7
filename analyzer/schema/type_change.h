// What ALTER COLUMN ... TYPE does to the data, from the old type the set
// replay knows and the new one: PostgreSQL changes only the catalog for
// binary-coercible changes, rewrites the table (keeping every value) for
// widening casts, and may fail or change values otherwise. Shared by
// alter-column-type and column-type-rewrite.
//
// PostgreSQL's rules (docs: ALTER TABLE, "SET DATA TYPE"; source: tablecmds.c
// ATColumnChangeRequiresRewrite and the typmod support functions
// varchar_support, numeric_support, timestamp_support, time_support,
// interval_support, varbit_support), each checked against relfilenode on
// PostgreSQL 15 by tests/claims_test.py:
// - no rewrite when the old type is binary coercible to the new one (pg_cast
//   castmethod 'b': varchar/text, cidr to inet, xml to text, integer/oid),
//   or is a domain over it, and a typmod, if any, is not narrowed: varchar(n)
//   to varchar(m >= n) or unlimited, numeric(p,s) to numeric(p' >= p, s),
//   timestamp/timestamptz/time/timetz/interval(p) to a greater or no
//   precision, varbit(n) to varbit(m >= n). Arrays are always rewritten.
// - a rewrite that keeps every value for widening casts: smallint to
//   integer/bigint/numeric, integer to bigint/numeric, real to double
//   precision, date to timestamp, char(n) to text, json to jsonb, ...
// - anything else can fail or change values (narrowing, an incompatible
//   cast, a USING expression that is more than the cast itself).
#pragma once

#include <string>
#include <string_view>

#include "frontend/node.h"
#include "schema/model.h"

namespace pgw::schema {

enum class TypeChange {
    unknown,      // the old type is not known: judged as if it could lose data
    catalog,      // only the catalog changes: no rewrite, no finding
    rewrite,      // every value kept, the table and its indexes rewritten
    data_change,  // values may fail to convert or change
};

struct TypeChangeVerdict {
    TypeChange kind = TypeChange::unknown;
    std::string from;  // the old type, when known
    std::string to;
    std::string why;  // for messages: "widens integer to bigint"
    // timestamp <-> timestamptz: a rewrite unless the session TimeZone is UTC
    // (PostgreSQL 12+), which the migration's text does not say.
    bool depends_on_timezone = false;
};

// `cmd` is an AT_AlterColumnType subcommand, `table` its normalized table,
// `model` the schema just before the statement.
TypeChangeVerdict classify_type_change(node::Element cmd, const std::string& table,
                                       const SchemaModel& model);

// The changes PostgreSQL makes without a rewrite, for `explain`.
const char* catalog_only_type_changes();

}  // namespace pgw::schema
