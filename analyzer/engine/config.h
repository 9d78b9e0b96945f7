// `.pgwarden.json` (SPEC §6) and the command-line options that override it.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "frontend/lexer.h"
#include "frontend/types.h"
#include "tools/naming.h"

namespace pgw {

struct RiskPolicy {
    int approvals = 1;
    std::string window;
};

struct CustomRule {
    std::string id;  // without the "custom:" prefix
    std::string pattern;
    std::vector<std::string> kinds;  // parse-tree node types; empty: every statement
    Severity severity = Severity::error;
    std::string message;
};

struct Config {
    std::string path;                     // where it was read from, empty for defaults
    std::vector<std::string> migrations;  // folders or globs, relative to the config file
    std::vector<std::string> include = {"*.sql", "*.sql.postgres"};  // file-name globs
    std::vector<std::string> exclude;
    std::string tool = "auto";      // SPEC §2: auto, or a tool's name
    bool respect_gitignore = true;  // skip what git ignores
    int pg_version = 15;
    bool assume_in_transaction = false;
    std::vector<std::string> naming;
    std::map<std::string, Severity> rule_severity;  // "rules" plus --enable/--disable/--severity
    std::vector<std::string> protected_tables;
    std::vector<std::string> placeholders = PlaceholderSet::default_patterns();
    std::vector<std::string> header_required;
    bool rollback_required = false;
    std::map<Risk, RiskPolicy> risk_policy = {
        {Risk::low, {1, "anytime"}},
        {Risk::medium, {1, "business hours"}},
        {Risk::high, {2, "maintenance window"}},
    };
    std::vector<CustomRule> custom_rules;
    std::map<std::string, std::string> object_naming;  // object kind -> pattern (naming.h)

    PlaceholderSet compiled_placeholders;
    std::shared_ptr<const Naming> compiled_naming;  // from `naming`

    // The severity a rule runs at: the configured one, else its default.
    Severity severity_of(const std::string& rule, Severity default_severity) const;
    bool is_protected(const std::string& normalized_table) const;
};

// A configuration problem: exit 2, message names the file and the key.
struct ConfigError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

// Parses JSON text (with // and /* */ comments). Throws ConfigError.
Config parse_config(const std::string& text, const std::string& path);
// Reads and parses a file. Throws ConfigError.
Config load_config(const std::string& path);
// `.pgwarden.json` in `start` or a parent, stopping at the git root. Empty if none.
std::string find_config(const std::string& start);
// Compiles patterns (placeholders, custom rules). Throws ConfigError.
void finalize_config(Config& config);

// What `pgwarden init` found: the migration folders, their tool ("auto" when
// they differ) and the naming presets every file follows (none: any preset).
struct StarterLayout {
    std::vector<std::string> migrations;
    std::string tool = "auto";
    std::vector<std::string> naming;
};
// The starter file `pgwarden init` writes.
std::string starter_config(const StarterLayout& layout);

}  // namespace pgw
