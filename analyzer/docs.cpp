#include "docs.h"

#include <nlohmann/json.hpp>

#include "rule.h"

namespace pgw {

namespace {

std::string default_of(const RuleInfo& i) { return std::string(to_string(i.default_severity)); }

std::string indent(const std::string& text) {
    std::string out = "    ";
    for (char c : text) {
        out += c;
        if (c == '\n') out += "    ";
    }
    while (!out.empty() && (out.back() == ' ' || out.back() == '\n')) out.pop_back();
    return out + "\n";
}

}  // namespace

std::string rules_text() {
    std::string out;
    std::size_t width = 0;
    for (const Rule* r : all_rules()) width = std::max(width, r->info().id.size());
    for (const Rule* r : all_rules()) {
        const RuleInfo& i = r->info();
        std::string id = i.id + std::string(width - i.id.size() + 2, ' ');
        std::string cat(to_string(i.category));
        cat.resize(13, ' ');
        std::string sev = default_of(i);
        sev.resize(9, ' ');
        out += id + cat + sev + i.summary + "\n";
    }
    return out;
}

std::string rules_json() {
    nlohmann::ordered_json list = nlohmann::ordered_json::array();
    for (const Rule* r : all_rules()) {
        const RuleInfo& i = r->info();
        list.push_back({{"id", i.id},
                        {"category", to_string(i.category)},
                        {"default_severity", default_of(i)},
                        {"risk", i.risk == Risk::none ? nlohmann::ordered_json(nullptr)
                                                      : nlohmann::ordered_json(to_string(i.risk))},
                        {"summary", i.summary},
                        {"help", i.help}});
    }
    return list.dump(2) + "\n";
}

bool explain_rule(const std::string& id, std::string& out) {
    const Rule* r = find_rule(id);
    if (!r) return false;
    const RuleInfo& i = r->info();
    out = i.id + "\n" + std::string(i.id.size(), '=') + "\n\n" + i.summary + "\n\n";
    out += "category:         " + std::string(to_string(i.category)) + "\n";
    out += "default severity: " + default_of(i) + "\n";
    if (i.risk != Risk::none) out += "implied risk:     " + std::string(to_string(i.risk)) + "\n";
    if (i.category == Category::dangerous)
        out += "gate:             needs @override-destructive and a non-empty @rollback-plan\n";
    else if (i.category == Category::contract || i.id == "protected-table")
        out += "gate:             needs @override-destructive\n";
    if (!i.versions.empty()) out += "versions:         " + i.versions + "\n";
    out += "\nWhat to do instead:\n" + indent(i.help);
    if (!i.bad_example.empty()) out += "\nBad:\n" + indent(i.bad_example);
    if (!i.good_example.empty()) out += "\nGood:\n" + indent(i.good_example);
    return true;
}

}  // namespace pgw
