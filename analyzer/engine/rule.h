// What a rule is: metadata (the single source of `rules` and `explain`) plus
// checks over statements. Rules see only the parse tree, the file and the
// catalog through `Context`, and hand findings to an `Emitter`; they never
// format output.
#pragma once

#include <functional>
#include <memory>
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
};

// What a rule may look at, as it was just before the statement being checked.
struct Context {
    const Migration& migration;
    const Config& config;
    const Catalog& catalog;
    const std::string& path;            // displayed path
    bool in_transaction = false;        // explicit BEGIN or --assume-in-transaction
    bool explicit_transaction = false;  // inside BEGIN ... COMMIT written in the file
    bool rollback_file = false;         // a down / rollback migration
    bool lock_timeout_set = false;      // a non-zero SET lock_timeout is in force
    bool lock_timeout_local = false;    // ... set with SET LOCAL: ends with the transaction
    // The annotations that apply to the statement being checked, and the file's.
    const Annotations* annotations = nullptr;
    const FileAnnotations* file_annotations = nullptr;
    std::size_t statement_index = 0;  // into migration.statements
    // The file's place among the other migrations of the run (never null in a run).
    const FileFacts* facts = nullptr;
    // The file's computed risk so far: complete when late rules run.
    Risk computed_risk = Risk::none;
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

class Rule {
  public:
    virtual ~Rule() = default;
    virtual const RuleInfo& info() const = 0;
    // Called for every statement that parsed, in file order, DO-block ones included.
    virtual void check(const Statement&, const Context&, Emitter&) const {}
    // Called once per file, after its statements.
    virtual void check_file(const Context&, Emitter&) const {}
    // Late rules run after every other rule of the file (they judge the others).
    virtual bool late() const { return false; }
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
