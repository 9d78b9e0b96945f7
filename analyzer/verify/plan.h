// What `verify` applies, in which order (SPEC §9 "Base and new"): one ordered
// list of units per migration set. This is the single place that decides
// order, statement boundaries, up/down pairs and transaction modes, so a
// migration-tool layer can later produce the same VerifyMigration list from
// its own knowledge (goose/dbmate sections, `NO TRANSACTION`, journal order).
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
    std::vector<std::string> names;    // relations it names, as written ("app.users", "users")
};

// One file's statements, and the parsed file findings are placed in (its
// comments hold the suppressions).
struct VerifyScript {
    std::string path;  // as displayed
    std::vector<VerifyStatement> statements;
    bool in_transaction = false;  // the tool wraps the whole file in one transaction
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
    std::vector<VerifyMigration> migrations;  // base ones first, then in the tool's order
};

// A migration file as the command line found it.
struct VerifyInput {
    std::string path;   // displayed
    std::string bytes;  // its content
    std::string error;  // non-empty: it could not be read
    bool base = false;  // exists at the diff base (--diff-base, --staged)
};

// Orders files per set by their version (sets/naming.h), pairs each up file
// with its down file (rollback_partners) and splits both into statements
// with the front end's splitter.
std::vector<VerifySet> plan_verify(const std::vector<VerifyInput>& inputs, const Config& config);

// --tool for tools that run whole files: their transaction mode (SPEC §2
// table). Tools that split files into sections (goose, dbmate, liquibase)
// need the migration-tool layer: std::invalid_argument until it feeds this.
void apply_tool(std::vector<VerifySet>& sets, const std::string& tool);

// One file on its own (a --seed file): statements in file order.
VerifyScript script_of(const std::string& path, std::string bytes, const Config& config);

}  // namespace pgw
