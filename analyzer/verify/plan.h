// What `verify` applies, in which order (SPEC §9 "Base and new"): one ordered
// list of migrations per set. The single place that turns the sets layer's
// plan (each set's tool, its order and up/down pairs: sets/migration_set.h)
// and the tool's layout of each file (up and down sections, statement cuts,
// the transaction each unit runs in: frontend/layout.h) into what the server
// receives, statement by statement.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "engine/config.h"
#include "frontend/parse.h"
#include "frontend/types.h"

namespace pgw {

// One statement as the server will receive it.
struct VerifyStatement {
    Span span;            // in the file, `;` excluded
    Position start, end;  // 1-based, end inclusive
    std::string sql;      // the file's bytes for that span (placeholders left as written)
    std::string kind;     // parse-tree node ("IndexStmt"); empty if libpg_query rejected it
    bool transaction_control = false;  // BEGIN, COMMIT, ROLLBACK, SAVEPOINT, ...
    bool sets_transaction = false;     // SET TRANSACTION ...: must precede any query
    bool non_transactional = false;    // cannot run in a transaction block (CONCURRENTLY, VACUUM)
    std::string copy_data;             // the rows after `COPY ... FROM STDIN;`, up to `\.`
    std::size_t unit = 0;              // into VerifyScript::unit_transaction
    std::vector<std::string> names;    // relations it names, as written ("app.users", "users")
};

// One file's statements, and the parsed file findings are placed in (its
// comments hold the suppressions).
struct VerifyScript {
    std::string path;  // as displayed
    std::vector<VerifyStatement> statements;
    // How the tool runs each unit of the file (goose's Up section, a liquibase
    // changeset, the whole file for most tools): in a transaction block, or
    // statement by statement in autocommit.
    std::vector<bool> unit_transaction;
    bool in_transaction = false;  // every unit runs in a transaction (for reports)
    std::string note;             // how the tool reads the file, when there is something to say
    std::shared_ptr<const Migration> source;
    std::string problem;  // non-empty: it cannot be read (the reason)
};

struct VerifyMigration {
    VerifyScript up;
    VerifyScript down;              // down.path empty: no down migration
    bool at_base = false;           // exists at the diff base: applied first, untraced
    bool check_idempotent = false;  // its tool re-runs it, or idempotent-ddl is on
};

struct VerifySet {
    std::string name;                         // the folder holding the sequence
    std::string tool;                         // the set's migration tool
    std::vector<VerifyMigration> migrations;  // base ones first, then in the tool's order
};

// A migration file as the command line found it.
struct VerifyInput {
    std::string path;   // displayed
    std::string bytes;  // its content
    std::string error;  // non-empty: it could not be read
    bool base = false;  // exists at the diff base (--diff-base, --staged)
};

// Groups the files into sets, detects each set's tool (or takes the
// configured one), orders the up migrations as the tool applies them, pairs
// each with its rollback (a down file or a down section) and splits every
// file into statements the way its tool does. Files the tool does not run
// (other dialects, misnamed ones, downs without an up) are not applied.
std::vector<VerifySet> plan_verify(const std::vector<VerifyInput>& inputs, const Config& config);

// One file on its own (a --seed file): statements in file order.
VerifyScript script_of(const std::string& path, std::string bytes, const Config& config);

}  // namespace pgw
