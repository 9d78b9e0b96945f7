// Layer "tools": the migration runners (SPEC §2 "Migration sets and tools")
// and the file-name conventions (naming presets). May include frontend/ only.
//
// A tool decides how its files are read: which files of a folder are
// migrations, in what order and under what key it applies them, how a file is
// split into units (up / down sections, changesets) and statements, whether a
// unit runs in a transaction, and which placeholders it substitutes. Each tool
// lives in its own file here, with the source of every fact it encodes.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "frontend/layout.h"
#include "tools/naming.h"

namespace pgw::tools {

// One part of an order key: numbers compare as numbers (of any length),
// text compares as bytes.
struct OrderPart {
    bool numeric = false;
    std::string text;  // digits without leading zeros when numeric
    bool operator==(const OrderPart&) const = default;
};
using OrderKey = std::vector<OrderPart>;
bool order_less(const OrderKey& a, const OrderKey& b);
OrderPart number_part(std::string_view digits);
OrderPart text_part(std::string_view text);

// How a tool pairs a migration with its rollback: a down file, a down section
// of the same file (goose, dbmate, liquibase), or not at all (prisma).
enum class Rollbacks { files, sections, none };

// What the tool makes of one file of its set.
struct MemberInfo {
    bool migration = true;  // false: the tool does not run this file
    // Why not, when it is on purpose (a MySQL variant, a verify script): the
    // file is then no migration of the set. Empty with `migration` false: a
    // mistake, most likely a misnamed file the tool will never run (`problem`).
    std::string skipped;
    std::string problem;
    bool down = false;  // a rollback file (golang-migrate .down.sql, flyway U, sqitch revert/)
    bool repeatable = false;  // re-applied when it changes (flyway R__): must be re-runnable
    OrderKey order;           // where the tool applies it; a down file has its up file's
    std::string key;  // what the tool keys applied migrations by; two up files with one key clash
    std::string variant;  // a dialect variant (ory's X.postgres.up.sql): not a clash
};

// What a tool may look at besides a file's own bytes: other files of the
// project (marker files, flyway's per-script .conf, diesel's metadata.toml,
// drizzle's journal). Paths are as displayed, relative to the current folder.
struct Project {
    std::function<std::optional<std::string>(const std::string& path)> read;
};

// A folder of migrations as detection sees it.
struct SetView {
    std::string root;                // the set's folder ("" for the current folder)
    std::vector<std::string> paths;  // its files, as displayed
    const Project* project = nullptr;
    const Naming* naming = nullptr;  // the configured naming presets (plain sets order by them)
    // The bytes of file `i` (read once and kept by the caller).
    std::function<const std::string&(std::size_t i)> bytes;
};

class Tool {
  public:
    virtual ~Tool() = default;
    virtual std::string_view name() const = 0;
    // How sure detection is that the set is this tool's: 0 not at all; the
    // highest score wins (a marker file or marker line beats a naming convention).
    virtual int detect(const SetView& set) const = 0;
    // Order, key and role of every file of the set (parallel to set.paths).
    virtual std::vector<MemberInfo> members(const SetView& set) const;
    // ... of one file, by its path relative to the set root.
    virtual MemberInfo member(std::string_view relative, const SetView& set) const = 0;
    // Units, cuts and embedded SQL of one file.
    virtual FileLayout layout(std::string_view path, const std::string& bytes,
                              const Project& project) const;
    virtual Rollbacks rollbacks() const { return Rollbacks::files; }
    // True when the tool records applied migrations and never runs one twice:
    // re-running a migration is then not the team's concern by default.
    virtual bool records_applied() const { return true; }
    // Placeholders the tool substitutes before running SQL (RE2 patterns),
    // added to the configured ones.
    virtual std::vector<std::string> placeholders() const { return {}; }
    // How to run a statement outside a transaction with this tool (for
    // CREATE INDEX CONCURRENTLY), or why it cannot be done; empty: not known.
    virtual std::string_view outside_transaction() const { return {}; }
    // A one-line description for `init` and docs.
    virtual std::string_view summary() const = 0;
};

// Every tool, `plain` last; found by name ("goose").
const std::vector<const Tool*>& all_tools();
const Tool* find_tool(std::string_view name);
// The tool of a set: the highest detection score, `plain` when none applies.
const Tool& detect_tool(const SetView& set);
// "goose, dbmate, ..." for messages.
std::string tool_names();

// The folder whose migrations form the set `path` belongs to: the parent
// folder, or above it where tools keep one migration per folder
// (`<name>/migration.sql`, `<name>/up.sql`), Synapse's `delta/<N>/` folders
// and Sqitch's deploy/ revert/ verify/.
std::string set_root(std::string_view path, const Project& project);
// `path` relative to the set root.
std::string_view relative_to(std::string_view path, std::string_view root);

}  // namespace pgw::tools
