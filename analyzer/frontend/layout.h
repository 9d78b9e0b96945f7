// How a migration tool divides one file (the tools layer works it out; the
// front end only applies it): the units the tool runs, each an up or a down
// part with its own transaction mode, and the offsets where the tool splits
// statements whatever the SQL says.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "frontend/types.h"

namespace pgw {

enum class Section : unsigned char { up, down };

// How the tool runs a unit.
// Two questions decide it: does the tool open a transaction around the unit,
// and does it send the unit as one multi-statement query? PostgreSQL runs such
// a query as one implicit transaction block, re-established after any COMMIT
// in it, so CREATE INDEX CONCURRENTLY fails there unless it is the only
// statement (https://www.postgresql.org/docs/15/protocol-flow.html#PROTOCOL-FLOW-MULTI-STATEMENT).
enum class TxMode : unsigned char {
    assumed,         // as the configuration says (--assume-in-transaction: psql -1)
    wrapped,         // the tool's BEGIN, then statement by statement (goose, flyway, liquibase)
    wrapped_batch,   // the tool's BEGIN, then the unit as one query (sqlx, diesel, dbmate)
    implicit_block,  // no BEGIN, the unit as one query (golang-migrate, prisma)
    none,            // no BEGIN, statement by statement in autocommit (goose NO TRANSACTION)
};

// A part of the file the tool runs as one piece: goose's Up or Down section,
// a liquibase changeset, the whole file for most tools.
struct Unit {
    Span span;  // [begin, end) of the file
    Section section = Section::up;
    TxMode tx = TxMode::assumed;
    bool runs = true;       // false: text the tool never executes (before goose's first marker)
    bool embedded = false;  // holds only SQL written inside comments (FileLayout::embedded)
    bool reruns = false;    // the tool runs it again when it changes (liquibase runOnChange)
    std::string label;      // "changeset alice:1", for messages; may be empty
};

// SQL the tool runs that is written inside a comment, and the unit it runs in.
struct EmbeddedSql {
    Span span;
    std::size_t unit = 0;
};

struct FileLayout {
    // Sorted by start; the units that are not `embedded` cover the file
    // without overlapping. Empty means one up unit with TxMode::assumed.
    std::vector<Unit> units;
    // Sorted offsets where the tool ends a statement (its directive lines).
    std::vector<std::size_t> cuts;
    // SQL the tool runs that is written inside comments (liquibase's
    // `--rollback DROP TABLE t;`): lexed and parsed on their own, exact
    // positions, in the unit that holds them.
    std::vector<EmbeddedSql> embedded;
    // A one-line note on how the tool reads the file, for reports ("goose:
    // NO TRANSACTION"); empty when there is nothing to say.
    std::string note;
};

}  // namespace pgw
