// What a rule is: metadata (the single source of `rules` and `explain`) plus
// checks over statements. Rules see only the parse tree, the file and the
// catalog through `Context`, and hand findings to an `Emitter`; they never
// format output.
#pragma once

#include <functional>
#include <initializer_list>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "engine/config.h"
#include "frontend/parse.h"
#include "frontend/types.h"
#include "schema/catalog.h"

namespace pgw {

struct Config;
struct CustomRule;
struct FileAnnotations;
struct Annotations;
struct FileFacts;

struct RuleInfo {
    std::string id;
    Category category = Category::file;
    Severity default_severity = Severity::error;  // off: opt-in
    Risk risk = Risk::none;                       // the risk its findings imply
    std::string summary;                          // one line
    std::string help;                             // the safe alternative
    std::string bad_example;
    std::string good_example;
    std::string versions;  // PostgreSQL versions the rule depends on, if any
    // Only for migrations that may run twice: off by default in sets whose
    // tool records applied migrations and never re-runs one (SPEC §4
    // idempotent-ddl), unless the configuration sets the rule.
    bool only_rerun = false;
};

class Rule;

// What rules remember about a file between its statements ("the first strong
// lock was reported"). Rules are shared by threads and keep no state of their
// own; the engine gives each file its notes.
class FileNotes {
  public:
    void remember(const Rule* rule, std::string key) { notes_.insert({rule, std::move(key)}); }
    bool seen(const Rule* rule, const std::string& key) const {
        return notes_.count({rule, key}) > 0;
    }
    // True the first time it is asked for (rule, key) in the file.
    bool first(const Rule* rule, std::string key) {
        return notes_.insert({rule, std::move(key)}).second;
    }

    // A rule's own per-file data, made on first use: what it works out once
    // for the whole file (an index of what later statements do) instead of
    // once per statement, which made large files quadratic.
    template <class T>
    T& memo(const Rule* rule) {
        std::shared_ptr<void>& p = memos_[rule];
        if (!p) p = std::make_shared<T>();
        return *static_cast<T*>(p.get());
    }

  private:
    std::set<std::pair<const Rule*, std::string>> notes_;
    std::map<const Rule*, std::shared_ptr<void>> memos_;
};

// What a rule may look at, as it was just before the statement being checked:
// the statement's migration (to look ahead in it), the set replay's schema
// model (through `catalog`), the transaction and session state, annotations.
struct Context {
    const Migration& migration;
    const Config& config;
    const Catalog& catalog;             // the set replay's model just before the statement
    const std::string& path;            // displayed path
    bool in_transaction = false;        // the statement runs inside a transaction block
    bool explicit_transaction = false;  // inside BEGIN ... COMMIT written in the file
    // The unit is sent as one multi-statement query (PostgreSQL's implicit
    // transaction block): true for every statement of a batch of two or more.
    bool batch = false;
    // The transaction the tool (or --assume-in-transaction) opened around the
    // unit is still open: the file has not committed it.
    bool tool_transaction = false;
    // The tool commits at the end of the unit what is still open then.
    bool tool_commits = false;
    bool rollback_file = false;          // a down / rollback migration, or a down section
    bool lock_timeout_set = false;       // a non-zero SET lock_timeout is in force
    bool lock_timeout_local = false;     // ... set with SET LOCAL: ends with the transaction
    bool statement_timeout_set = false;  // a non-zero SET statement_timeout is in force
    // The annotations that apply to the statement being checked, and the file's.
    const Annotations* annotations = nullptr;
    const FileAnnotations* file_annotations = nullptr;
    std::size_t statement_index = 0;  // into migration.statements
    // The first statement of the transaction the statement runs in (its BEGIN,
    // or the unit's first statement when the tool opened it); the statement
    // itself when it runs alone.
    std::size_t transaction_begin = 0;
    // The file's place among the other migrations of the run (never null in a run).
    const FileFacts* facts = nullptr;
    // The file's computed risk so far: complete when late rules run.
    Risk computed_risk = Risk::none;
    FileNotes* notes = nullptr;  // never null in a run

    // What several rules ask of the statement being checked, worked out once
    // for it (rules/support_destructive.cpp: alters_new_table; a dozen rules
    // ask it of every ALTER TABLE). The engine clears it whenever the model
    // steps; valid for `statement` while statement_index is `index`.
    struct StatementMemo {
        std::size_t index = static_cast<std::size_t>(-1);
        const void* statement = nullptr;
        bool alters_new_table = false;
        // rules/support.cpp created_by_change's answers about the model as it
        // is (they depend on nothing else): relation, created by the change.
        std::vector<std::pair<std::string, bool>> new_tables;
    };
    mutable StatementMemo memo;

    // The unit (section, changeset) of the statement being checked.
    const Unit& unit() const { return migration.units[migration.statements[statement_index].unit]; }
    // Statements after the one being checked in the same section of the
    // migration: rules may look ahead where their verdict depends on it
    // (a constraint dropped here and re-created later).
    template <class F>
    bool any_later(F&& f) const {
        const auto& all = migration.statements;
        Section s = migration.unit_of(all[statement_index]).section;
        for (std::size_t i = statement_index + 1; i < all.size(); ++i)
            if (all[i].parsed() && migration.unit_of(all[i]).section == s && f(all[i])) return true;
        return false;
    }
};

// A finding as a rule states it; the engine adds the rule's metadata,
// positions, severity overrides, suppressions and the override workflow.
struct Emit {
    Span span;
    std::string message;
    std::string help;        // empty: the rule's help
    Risk risk = Risk::none;  // none: the rule's risk
};

class Emitter {
  public:
    virtual ~Emitter() = default;
    virtual void emit(Emit e) = 0;
    void emit(Span span, std::string message) { emit(Emit{span, std::move(message), {}, {}}); }
};

// Which statements a rule's check() reads. The engine calls check() for
// those only: most rules look at one or two kinds of statement, and asking
// each of them about every statement was ~40% of the engine's own cost.
struct StatementFilter {
    bool every = true;                    // every statement (the default)
    std::vector<std::string_view> kinds;  // otherwise: these kinds (st.kind, "AlterTableStmt")

    static StatementFilter all() { return {}; }
    // A rule of whole files: check_file() only.
    static StatementFilter none() { return {false, {}}; }
    static StatementFilter of(std::initializer_list<std::string_view> kinds) {
        return {false, kinds};
    }
};

class Rule {
  public:
    virtual ~Rule() = default;
    virtual const RuleInfo& info() const = 0;
    // Called for every statement that parsed and that statements() lets
    // through, in file order, DO-block ones included.
    virtual void check(const Statement&, const Context&, Emitter&) const {}
    virtual StatementFilter statements() const { return StatementFilter::all(); }
    // Called once per file, after its statements.
    virtual void check_file(const Context&, Emitter&) const {}
    // Late rules run after every other rule of the file (they judge the others).
    virtual bool late() const { return false; }
    // Dynamic rules are reported by `pgwarden verify` from what a real server
    // did (SPEC §9); in `check` they never fire.
    virtual bool dynamic() const { return false; }
};

// Every rule, sorted by id. Rules register themselves with PGW_REGISTER_RULE.
const std::vector<const Rule*>& all_rules();
const Rule* find_rule(std::string_view id);

// A `custom:<id>` rule from the configuration.
std::unique_ptr<Rule> make_custom_rule(const CustomRule& spec);

struct RuleRegistrar {
    explicit RuleRegistrar(std::unique_ptr<Rule> rule);
};

#define PGW_REGISTER_RULE(Type) \
    static const ::pgw::RuleRegistrar pgw_registrar_##Type(std::make_unique<Type>())

}  // namespace pgw
