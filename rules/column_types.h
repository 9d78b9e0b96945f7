// The column types a statement declares, for the style rules (prefer-bigint,
// prefer-identity, prefer-text, prefer-timestamptz, ban-char).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "engine/rule.h"

namespace pgw::rules {

struct ColumnType {
    std::string_view column;   // empty for ALTER COLUMN ... TYPE read from the command name
    std::string_view schema;   // "pg_catalog" for SQL-standard spellings (integer), else as written
    std::string_view name;     // the type's last name: "int4", "varchar", "serial"
    bool has_typmods = false;  // varchar(20), char(3)
    Span span;                 // the type as written, for instance `character varying(20)`
};

// Column types of CREATE TABLE columns, ALTER TABLE ADD COLUMN and ALTER COLUMN TYPE.
std::vector<ColumnType> column_types(const Statement& st);

// True for a built-in type: unqualified or in pg_catalog.
inline bool builtin(const ColumnType& t) {
    return t.schema.empty() || t.schema == "pg_catalog";
}

}  // namespace pgw::rules
