// SARIF 2.1.0 (SPEC §7), shaped for GitHub code scanning: every rule that has a
// result gets a descriptor with help, helpUri and a default level; results
// carry a level, a region and a partial fingerprint that survives unrelated
// edits, and relative paths are URIs under %SRCROOT%.
#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>

#include "report/report.h"
#include "report/util.h"

namespace pgw {

using nlohmann::ordered_json;

namespace {

constexpr std::string_view kSchemaUri =
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json";
// The partialFingerprints key: versioned, so a future change of the scheme
// starts a new series instead of mismatching old alerts.
// v2: the path relative to the repository root and the statement's text.
constexpr std::string_view kFingerprintKey = "pgwarden/v2";

std::string_view level_of(Severity s) {
    return s == Severity::error ? "error" : s == Severity::warning ? "warning" : "note";
}

// "drop-table" -> "DropTable", "custom:no-grant-all" -> "CustomNoGrantAll": SARIF's
// `name` is meant to be a readable identifier, distinct from the opaque id.
std::string pascal_name(std::string_view id) {
    std::string out;
    bool upper = true;
    for (char c : id) {
        bool alnum = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
        if (!alnum) {
            upper = true;
            continue;
        }
        out += upper && c >= 'a' && c <= 'z' ? static_cast<char>(c - 'a' + 'A') : c;
        upper = false;
    }
    return out;
}

// What a descriptor says about a rule. Registered rules use their metadata;
// custom rules (defined in the configuration) only have their first finding.
struct RuleDoc {
    std::string summary, help, bad, good;
    Category category = Category::custom;
    Severity default_severity = Severity::error;
};

RuleDoc rule_doc(const std::string& id, const Finding& first) {
    RuleDoc d;
    if (const RuleInfo* info = rule_info(id)) {
        d = {info->summary,      info->help,     info->bad_example,
             info->good_example, info->category, info->default_severity};
    } else {
        d.summary = first.message;
        d.help = first.help.str();
        d.category = first.category;
        d.default_severity = first.acknowledged ? Severity::error : first.severity;
    }
    if (d.help.empty()) d.help = d.summary;
    return d;
}

ordered_json descriptor(const std::string& id, const Finding& first, const std::string& version) {
    RuleDoc d = rule_doc(id, first);
    std::string text = d.help, markdown = markdown_inline(d.help, false);
    if (!d.bad.empty()) {
        text += "\n\nBad:\n" + d.bad;
        markdown += "\n\nBad:\n\n" + markdown_code_block(d.bad, "sql");
    }
    if (!d.good.empty()) {
        text += "\n\nGood:\n" + d.good;
        // A code block already ends with a line break: one more makes a blank line.
        markdown += (d.bad.empty() ? "\n\n" : "\n") + std::string("Good:\n\n") +
                    markdown_code_block(d.good, "sql");
    }
    while (!markdown.empty() && markdown.back() == '\n') markdown.pop_back();
    ordered_json config = {{"enabled", d.default_severity != Severity::off}};
    // An opt-in rule runs at `warning` when enabled without a severity.
    config["level"] =
        d.default_severity == Severity::off ? "warning" : level_of(d.default_severity);
    std::string category(to_string(d.category));
    return {
        {"id", id},
        {"name", pascal_name(id)},
        {"shortDescription", {{"text", d.summary}}},
        {"fullDescription", {{"text", d.summary + "\n\n" + d.help}}},
        {"help", {{"text", text}, {"markdown", markdown}}},
        {"helpUri", rule_help_uri(id, version)},
        {"defaultConfiguration", std::move(config)},
        {"properties", {{"category", category}, {"tags", {"postgresql", "migration", category}}}}};
}

// The absolute URI of the folder relative paths start from, with the trailing
// slash SARIF requires of a base URI. Empty when it cannot be determined.
std::string source_root_uri(const ReportOptions& opts) {
    std::error_code ec;
    std::filesystem::path root = opts.source_root.empty()
                                     ? std::filesystem::current_path(ec)
                                     : std::filesystem::absolute(opts.source_root, ec);
    if (ec || root.empty()) return "";
    bool relative = false;
    std::string uri = path_to_uri(root.lexically_normal().string(), relative);
    if (relative) return "";
    if (uri.back() != '/') uri += '/';
    return uri;
}

ordered_json location_of(const Finding& f, const std::string& root) {
    bool relative = false;
    // Code scanning resolves relative URIs against the repository root.
    std::string uri = path_to_uri(root_relative(f.path.str(), root), relative);
    ordered_json artifact = {{"uri", uri}};
    if (relative) artifact["uriBaseId"] = "%SRCROOT%";
    int start_line = std::max(f.start.line, 1), start_column = std::max(f.start.column, 1);
    int end_line = std::max(f.end.line, start_line);
    // Finding.end is inclusive; SARIF's endColumn is the column after the region.
    int end_column = f.end.column + 1;
    if (end_line == start_line)
        end_column = std::max(end_column, start_column + 1);
    else
        end_column = std::max(end_column, 1);
    return {{"physicalLocation",
             {{"artifactLocation", std::move(artifact)},
              {"region",
               {{"startLine", start_line},
                {"startColumn", start_column},
                {"endLine", end_line},
                {"endColumn", end_column}}}}}};
}

}  // namespace

void write_sarif(const RunResult& run, const ReportOptions& opts, std::ostream& out) {
    // Only rules with results get a descriptor, sorted by id: the same findings
    // always give the same rule indices.
    std::map<std::string, const Finding*> used;
    for (const FileReport& file : run.files)
        for (const Finding& f : file.findings) used.emplace(f.rule, &f);
    ordered_json rules = ordered_json::array();
    std::map<std::string, std::size_t> index;
    for (const auto& [id, first] : used) {
        index[id] = rules.size();
        rules.push_back(descriptor(id, *first, opts.version));
    }

    // Results are written one by one where the document has "results": [].
    auto write_results = [&](auto&& emit) {
        for (const FileReport& file : run.files) {
            std::vector<std::string> fingerprints = finding_fingerprints(file, opts.source_root);
            for (std::size_t i = 0; i < file.findings.size(); ++i) {
                const Finding& f = file.findings[i];
                std::string text = f.message;
                if (f.acknowledged) {
                    text += " (acknowledged";
                    if (!f.rollback_plan.empty()) text += "; rollback plan: " + f.rollback_plan;
                    text += ")";
                }
                // A finding-specific help (not the rule's) would be lost otherwise.
                const RuleInfo* info = rule_info(f.rule);
                if (!f.help.empty() && info && !(f.help == info->help)) text += "\n" + f.help.str();
                ordered_json properties = {{"category", to_string(f.category)},
                                           {"acknowledged", f.acknowledged}};
                if (!f.rollback_plan.empty()) properties["rollbackPlan"] = f.rollback_plan;
                if (f.risk != Risk::none) properties["risk"] = to_string(f.risk);
                emit({{"ruleId", f.rule},
                      {"ruleIndex", index.at(f.rule)},
                      {"level", level_of(shown_severity(f))},
                      {"message", {{"text", text}}},
                      {"locations", ordered_json::array({location_of(f, opts.source_root)})},
                      {"partialFingerprints", {{kFingerprintKey, fingerprints[i]}}},
                      {"properties", std::move(properties)}});
            }
        }
    };

    ordered_json driver = {{"name", "pgwarden"}};
    if (!opts.version.empty()) driver["version"] = opts.version;
    driver["informationUri"] = kInformationUri;
    driver["rules"] = std::move(rules);

    ordered_json root_base = ordered_json::object();
    std::string root = source_root_uri(opts);
    if (!root.empty()) root_base["uri"] = root;
    root_base["description"] = {
        {"text",
         "The repository root (else the folder pgwarden ran in): relative paths start here."}};

    ordered_json sarif_run = {{"tool", {{"driver", std::move(driver)}}},
                              {"originalUriBaseIds", {{"%SRCROOT%", std::move(root_base)}}},
                              {"columnKind", "unicodeCodePoints"},
                              {"results", ordered_json::array()}};
    ordered_json doc = {{"$schema", kSchemaUri},
                        {"version", "2.1.0"},
                        {"runs", ordered_json::array({std::move(sarif_run)})}};
    std::string frame = dump_at_level(doc, 0);
    const std::string slot = "\"results\": []";
    std::size_t at = frame.rfind(slot);
    out << frame.substr(0, at + slot.size() - 1);
    bool any = false;
    write_results([&](const ordered_json& result) {
        out << (any ? ",\n        " : "\n        ") << dump_at_level(result, 4);
        any = true;
    });
    out << (any ? "\n      ]" : "]") << frame.substr(at + slot.size()) << "\n";
}

}  // namespace pgw
