// The objects of the static schema model (schema/model.h): relations with
// their columns and constraints, types, routines, and the simple named kinds.
#pragma once

#include <cstdint>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

namespace pgw::schema {

// Every object knows which migration of the replay created it (SchemaModel
// says whether that migration is part of the change being linted) and whether
// the model can vouch for what it records about it.
struct Origin {
    static constexpr std::int32_t kBefore = -1;  // before the replay, or not known
    std::int32_t creator = kBefore;
    bool uncertain = false;
    bool operator==(const Origin&) const = default;  // diffs skip equal objects fast
};

struct Column : Origin {
    std::string name;
    std::string type;  // "integer", "varchar(20)", "text[]", "mood"
    bool not_null = false;
    std::string default_expr;  // empty: no default
    std::string generated;     // GENERATED ALWAYS AS (...) STORED expression
    std::string identity;      // "always", "by default", or empty
    bool dropped = false;      // a tombstone: dropped while the model did not know it
    bool operator==(const Column&) const = default;
};

struct Constraint : Origin {
    std::string name;
    char type = 'c';                   // p(rimary) u(nique) f(oreign) c(heck) x (exclusion)
    std::vector<std::string> columns;  // key columns; for CHECK the columns it mentions
    std::string references;            // FOREIGN KEY: the referenced table's key
    std::vector<std::string> ref_columns;
    std::string detail;  // what else makes it what it is, for comparisons
    bool valid = true;   // false: added NOT VALID and not validated since
    // The columns a CHECK proves not null: `col IS NOT NULL`, alone or as a
    // term of an AND (SET NOT NULL can then skip its scan, PostgreSQL >= 12).
    std::vector<std::string> proves_not_null;
    bool operator==(const Constraint&) const = default;
};

// Where a table's columns are, by name. ALTER TABLE looks a column up per
// subcommand: a linear search made a file adding thousands of columns to one
// table quadratic. Not part of what a relation is, so equality ignores it.
// A copy starts empty: the rollback check copies thousands of relations and
// looks columns up in few of them, so copying the hash map cost more (lemmy:
// a sixth of every Relation copy) than rebuilding it where it is used.
struct ColumnIndex {
    std::unordered_map<std::string, std::size_t> first;  // name -> position of its first column
    std::size_t covered = 0;                             // columns [0, covered) are in `first`
    bool duplicates = false;  // a name appears twice (CREATE TABLE can say so): scan instead
    ColumnIndex() = default;
    ColumnIndex(const ColumnIndex&) {}
    ColumnIndex(ColumnIndex&&) = default;
    ColumnIndex& operator=(const ColumnIndex&) {
        *this = ColumnIndex();
        return *this;
    }
    ColumnIndex& operator=(ColumnIndex&&) = default;
    bool operator==(const ColumnIndex&) const { return true; }
};

enum class RelKind { table, foreign_table, view, matview, index, sequence };

// Tables, views, indexes and sequences share one namespace in PostgreSQL
// (pg_class): ALTER TABLE ... RENAME works on all of them, and an index cannot
// take a table's name. So they share one map here.
struct Relation : Origin {
    RelKind kind = RelKind::table;
    std::string key;  // normalized name: "users", "audit.users"
    // Tables (and views, for the columns the model knows).
    std::vector<Column> columns;
    std::vector<Constraint> constraints;
    bool columns_partial = false;  // more columns than listed may exist (CREATE TABLE AS, LIKE)
    std::string parent;            // a partition's parent table
    bool partitioned = false;      // PARTITION BY: a parent whose rows live in partitions
    bool temporary = false;        // CREATE TEMP: gone when the migration's session ends
    // Indexes: their table; sequences: the table owning them (serial, OWNED BY).
    std::string table;
    std::string owner_column;
    std::vector<std::string> index_columns;  // "email", "lower(email)"
    bool unique = false;
    std::string constraint;  // the PRIMARY KEY/UNIQUE/EXCLUDE constraint an index backs
    std::string detail;      // index: method, INCLUDE, predicate; view: its query's fingerprint
    std::vector<std::string> uses;  // view: names its query mentions (for DROP ... CASCADE)

    // The first column named `name` (a tombstone too), or null. A narrow
    // table is scanned; in a wide one, columns appended since the last lookup
    // are indexed on the way, and whatever renames, removes or replaces
    // columns otherwise must call columns_changed().
    Column* find_column(const std::string& name);
    void columns_changed() { column_index_ = {}; }
    bool operator==(const Relation&) const = default;

  private:
    ColumnIndex column_index_;
};

enum class TypeKind { enumeration, composite, domain, range, base };

struct Type : Origin {
    TypeKind kind = TypeKind::base;
    std::vector<std::string> values;  // enum labels, in order
    std::vector<Column> attributes;   // composite attributes
    std::string base;                 // domain: its base type
    bool not_null = false;            // domain NOT NULL
    std::string default_expr;         // domain DEFAULT
    std::vector<std::string> checks;  // domain constraint names
    // Renamed by a migration of the replay (`ALTER TYPE mood RENAME TO mood_old`):
    // the name it had, and which migration renamed it.
    std::string renamed_from;
    std::int32_t renamed_in = Origin::kBefore;
    bool operator==(const Type&) const = default;
};

// Functions, procedures and aggregates, keyed by "name(argtypes)" like
// PostgreSQL's signatures: f(integer) and f(text) are two functions.
struct Routine : Origin {
    std::string name;    // normalized
    std::string args;    // "integer, text"
    char kind = 'f';     // f(unction) p(rocedure) a(ggregate)
    std::string detail;  // returns, language and body: CREATE OR REPLACE changes it
    bool operator==(const Routine&) const = default;
};

// Triggers, policies, schemas, extensions: a name and what defines them.
struct Simple : Origin {
    std::string detail;
    bool operator==(const Simple&) const = default;
};

// Triggers and policies are named per table.
using TableObjectKey = std::pair<std::string, std::string>;  // (table key, name)

}  // namespace pgw::schema
