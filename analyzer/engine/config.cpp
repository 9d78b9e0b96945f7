#include "engine/config.h"

#include <re2/re2.h>

#include <algorithm>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <set>

#include "engine/rule.h"
#include "frontend/source.h"
#include "frontend/spelling.h"
#include "schema/catalog.h"
#include "tools/naming.h"
#include "tools/tool.h"

namespace pgw {

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

class Reader {
  public:
    explicit Reader(const std::string& path) : path_(path) {}

    [[noreturn]] void fail(const std::string& key, const std::string& what) const {
        throw ConfigError(path_ + ": key '" + key + "': " + what);
    }

    std::vector<std::string> strings(const json& v, const std::string& key) const {
        if (!v.is_array()) fail(key, "expected an array of strings");
        std::vector<std::string> out;
        for (const auto& item : v) {
            if (!item.is_string()) fail(key, "expected an array of strings");
            out.push_back(item.get<std::string>());
        }
        return out;
    }

    bool boolean(const json& v, const std::string& key) const {
        if (!v.is_boolean()) fail(key, "expected true or false");
        return v.get<bool>();
    }

    Severity severity(const json& v, const std::string& key) const {
        auto s = v.is_string() ? parse_severity(v.get<std::string>()) : std::nullopt;
        if (!s) fail(key, "expected \"error\", \"warning\", \"info\" or \"off\"");
        return *s;
    }

    void only_keys(const json& obj, const std::string& where,
                   std::initializer_list<std::string_view> allowed) const {
        if (!obj.is_object()) fail(where, "expected an object");
        for (const auto& [k, v] : obj.items()) {
            bool known = false;
            for (auto a : allowed) known = known || a == k;
            if (known) continue;
            std::vector<std::string> names(allowed.begin(), allowed.end());
            fail(where.empty() ? k : where + "." + k, "unknown key" + did_you_mean(k, names));
        }
    }

  private:
    const std::string& path_;
};

void read_custom_rules(const json& v, const Reader& r, Config& c) {
    if (!v.is_array()) r.fail("custom_rules", "expected an array of objects");
    for (std::size_t i = 0; i < v.size(); ++i) {
        const json& item = v[i];
        std::string where = "custom_rules[" + std::to_string(i) + "]";
        r.only_keys(item, where, {"id", "pattern", "kinds", "severity", "message"});
        CustomRule rule;
        if (!item.contains("id") || !item["id"].is_string() ||
            item["id"].get<std::string>().empty())
            r.fail(where + ".id", "a non-empty string is required");
        if (!item.contains("pattern") || !item["pattern"].is_string())
            r.fail(where + ".pattern", "a string is required");
        rule.id = item["id"].get<std::string>();
        if (rule.id.rfind("custom:", 0) == 0) rule.id = rule.id.substr(7);
        rule.pattern = item["pattern"].get<std::string>();
        if (item.contains("kinds")) rule.kinds = r.strings(item["kinds"], where + ".kinds");
        for (const std::string& kind : rule.kinds) {
            // libpg_query's node names (pg_query.proto, read by CMake): a
            // misspelt kind would make the rule match nothing, silently.
            static const std::vector<std::string> known = {
#include "node_kinds.inc"
            };
            if (std::find(known.begin(), known.end(), kind) == known.end())
                r.fail(where + ".kinds",
                       "unknown statement kind '" + kind + "'" + did_you_mean(kind, known));
        }
        if (item.contains("severity"))
            rule.severity = r.severity(item["severity"], where + ".severity");
        if (item.contains("message")) {
            if (!item["message"].is_string()) r.fail(where + ".message", "expected a string");
            rule.message = item["message"].get<std::string>();
        } else {
            rule.message = "statement matches custom rule " + rule.id;
        }
        c.custom_rules.push_back(std::move(rule));
    }
}

void read_risk_policy(const json& v, const Reader& r, Config& c) {
    r.only_keys(v, "risk_policy", {"LOW", "MEDIUM", "HIGH"});
    for (const auto& [level, policy] : v.items()) {
        std::string where = "risk_policy." + level;
        r.only_keys(policy, where, {"approvals", "window"});
        RiskPolicy p = c.risk_policy[*parse_risk(level)];
        if (policy.contains("approvals")) {
            const json& n = policy["approvals"];
            if (!n.is_number_unsigned() || n.get<unsigned long long>() > 1000)
                r.fail(where + ".approvals", "expected an integer between 0 and 1000");
            p.approvals = static_cast<int>(n.get<unsigned long long>());
        }
        if (policy.contains("window")) {
            if (!policy["window"].is_string()) r.fail(where + ".window", "expected a string");
            p.window = policy["window"].get<std::string>();
        }
        c.risk_policy[*parse_risk(level)] = p;
    }
}

}  // namespace

Severity Config::severity_of(const std::string& rule, Severity default_severity) const {
    auto it = rule_severity.find(rule);
    return it == rule_severity.end() ? default_severity : it->second;
}

bool Config::is_protected(const std::string& normalized_table) const {
    for (const auto& t : protected_tables)
        if (normalize_relation(t) == normalized_table) return true;
    return false;
}

void read_object_naming(const json& v, const Reader& r, Config& c) {
    if (!v.is_object()) r.fail("object_naming", "expected an object of object kinds to patterns");
    const auto& kinds = object_naming_kinds();
    for (const auto& [kind, pattern] : v.items()) {
        std::string where = "object_naming." + kind;
        if (std::find(kinds.begin(), kinds.end(), kind) == kinds.end())
            r.fail(where,
                   "unknown object kind (one of table, index, unique_index, primary_key, "
                   "unique, foreign_key, check, exclusion)");
        if (!pattern.is_string() || pattern.get<std::string>().empty())
            r.fail(where, "expected a pattern such as \"idx_{table}_{columns}\"");
        re2::RE2::Options opts;
        opts.set_log_errors(false);
        re2::RE2 re(object_naming_regex(pattern.get<std::string>(), {"t", "c", "r"}), opts);
        if (!re.ok()) r.fail(where, "invalid pattern: " + re.error());
        c.object_naming[kind] = pattern.get<std::string>();
    }
}

Config parse_config(const std::string& text, const std::string& path) {
    json doc;
    try {
        // A key given twice would silently keep its last value: refused, so
        // a merge that duplicated "rules" cannot switch rules off unseen.
        std::vector<std::set<std::string>> keys;
        std::string duplicate;
        json::parser_callback_t watch = [&](int, json::parse_event_t event, json& parsed) {
            if (event == json::parse_event_t::object_start) keys.emplace_back();
            if (event == json::parse_event_t::object_end && !keys.empty()) keys.pop_back();
            if (event == json::parse_event_t::key && !keys.empty() && duplicate.empty() &&
                !keys.back().insert(parsed.get<std::string>()).second)
                duplicate = parsed.get<std::string>();
            return true;
        };
        doc = json::parse(text, watch, true, /*ignore_comments=*/true);
        if (!duplicate.empty())
            throw ConfigError(path + ": key '" + duplicate + "' is given twice");
    } catch (const json::exception& e) {  // parse_error, and out_of_range for huge numbers
        std::string what = e.what();
        throw ConfigError(path + ": invalid JSON: " + what.substr(what.find(']') + 2));
    }
    Reader r(path);
    Config c;
    c.path = path;
    r.only_keys(doc, "",
                {"migrations", "include", "exclude", "tool", "respect_gitignore", "pg_version",
                 "assume_in_transaction", "naming", "rules", "protected_tables", "placeholders",
                 "header", "rollback", "risk_policy", "custom_rules", "object_naming"});
    for (const auto& [key, v] : doc.items()) {
        if (key == "migrations")
            c.migrations = r.strings(v, key);
        else if (key == "exclude")
            c.exclude = r.strings(v, key);
        else if (key == "include")
            c.include = r.strings(v, key);
        else if (key == "respect_gitignore")
            c.respect_gitignore = r.boolean(v, key);
        else if (key == "tool") {
            if (!v.is_string() ||
                (v.get<std::string>() != "auto" && !tools::find_tool(v.get<std::string>())))
                r.fail(key, "expected \"auto\" or a migration tool (" + tools::tool_names() + ")");
            c.tool = v.get<std::string>();
        } else if (key == "naming")
            c.naming = r.strings(v, key);
        else if (key == "protected_tables")
            c.protected_tables = r.strings(v, key);
        else if (key == "placeholders")
            c.placeholders = r.strings(v, key);
        else if (key == "assume_in_transaction")
            c.assume_in_transaction = r.boolean(v, key);
        else if (key == "pg_version") {
            if (!v.is_number_integer() || v.get<long long>() < 9 || v.get<long long>() > 18)
                r.fail(key, "expected a PostgreSQL major version between 9 and 18");
            c.pg_version = static_cast<int>(v.get<long long>());
        } else if (key == "rules") {
            if (!v.is_object()) r.fail(key, "expected an object of rule ids to severities");
            for (const auto& [id, sev] : v.items()) {
                if (!find_rule(id) && id.rfind("custom:", 0) != 0) {
                    std::vector<std::string> ids;
                    for (const Rule* rule : all_rules()) ids.emplace_back(rule->info().id);
                    std::string hint = did_you_mean(id, ids);
                    r.fail("rules." + id,
                           "unknown rule" + (hint.empty() ? " (see `pgwarden rules`)" : hint));
                }
                c.rule_severity[id] = r.severity(sev, "rules." + id);
            }
        } else if (key == "header") {
            r.only_keys(v, key, {"required"});
            if (v.contains("required"))
                c.header_required = r.strings(v["required"], "header.required");
        } else if (key == "rollback") {
            r.only_keys(v, key, {"required"});
            if (v.contains("required"))
                c.rollback_required = r.boolean(v["required"], "rollback.required");
        } else if (key == "risk_policy") {
            read_risk_policy(v, r, c);
        } else if (key == "custom_rules") {
            read_custom_rules(v, r, c);
        } else if (key == "object_naming") {
            read_object_naming(v, r, c);
        }
    }
    finalize_config(c);
    return c;
}

void finalize_config(Config& c) {
    std::string error;
    if (!c.compiled_placeholders.compile(c.placeholders, error))
        throw ConfigError((c.path.empty() ? "config" : c.path) + ": key 'placeholders': " + error);
    for (const auto& rule : c.custom_rules) {
        re2::RE2::Options opts;
        opts.set_log_errors(false);
        re2::RE2 re(rule.pattern, opts);
        if (!re.ok())
            throw ConfigError((c.path.empty() ? "config" : c.path) + ": key 'custom_rules' (" +
                              rule.id + "): invalid pattern: " + re.error());
    }
    try {
        c.compiled_naming = std::make_shared<const Naming>(c.naming);
    } catch (const std::invalid_argument& e) {
        throw ConfigError((c.path.empty() ? "config" : c.path) + ": key 'naming': " + e.what());
    }
    // Requiring a header or rollback files is what turns those rules on.
    if (!c.header_required.empty() && !c.rule_severity.count("missing-header"))
        c.rule_severity["missing-header"] = Severity::error;
    if (c.rollback_required && !c.rule_severity.count("missing-rollback"))
        c.rule_severity["missing-rollback"] = Severity::error;
    if (!c.object_naming.empty() && !c.rule_severity.count("object-naming"))
        c.rule_severity["object-naming"] = Severity::warning;
}

Config load_config(const std::string& path) {
    std::string text, error;
    if (!read_file_bytes(path, text, error)) throw ConfigError(path + ": cannot read: " + error);
    return parse_config(text, path);
}

std::string find_config(const std::string& start) {
    std::error_code ec;
    fs::path dir = fs::absolute(start, ec);
    while (!dir.empty()) {
        fs::path candidate = dir / ".pgwarden.json";
        if (fs::is_regular_file(candidate, ec)) return candidate.string();
        if (fs::exists(dir / ".git", ec) || dir == dir.parent_path()) break;
        dir = dir.parent_path();
    }
    return {};
}

std::string starter_config(const StarterLayout& layout) {
    auto list = [](const std::vector<std::string>& items) {
        std::string out = "[";
        for (std::size_t i = 0; i < items.size(); ++i)
            out += (i ? ", " : "") + json(items[i]).dump();
        return out + "]";
    };
    std::string out =
        "{\n"
        "  // pgwarden configuration (docs/config.md). Rule ids: `pgwarden rules`;\n"
        "  // details: `pgwarden explain RULE`. Written by `pgwarden init` from the files found.\n";
    if (!layout.migrations.empty()) out += "  \"migrations\": " + list(layout.migrations) + ",\n";
    out += "  // The migration tool: \"auto\" detects it per folder" +
           std::string(layout.tool == "auto" ? "" : " (found: " + layout.tool + ")") + ".\n";
    out += "  \"tool\": " + json(layout.tool).dump() + ",\n";
    if (!layout.naming.empty()) {
        out += "  // Every migration found follows one of these.\n";
        out += "  \"naming\": " + list(layout.naming) + ",\n";
    }
    out += R"(  "pg_version": 15,
  "assume_in_transaction": false,
  "rules": {
    "require-lock-timeout": "warning"
  },
  "protected_tables": [],
  "risk_policy": {
    "LOW":    { "approvals": 1, "window": "anytime" },
    "MEDIUM": { "approvals": 1, "window": "business hours" },
    "HIGH":   { "approvals": 2, "window": "maintenance window" }
  }
}
)";
    return out;
}

}  // namespace pgw
