#include <algorithm>

#include "engine/rule.h"

namespace pgw {

namespace {

// Function-local so registration from other translation units' static
// initialisers never sees an unconstructed vector.
std::vector<std::unique_ptr<Rule>>& storage() {
    static std::vector<std::unique_ptr<Rule>> rules;
    return rules;
}

}  // namespace

RuleRegistrar::RuleRegistrar(std::unique_ptr<Rule> rule) {
    storage().push_back(std::move(rule));
}

const std::vector<const Rule*>& all_rules() {
    static const std::vector<const Rule*> sorted = [] {
        std::vector<const Rule*> out;
        for (const auto& r : storage()) out.push_back(r.get());
        std::sort(out.begin(), out.end(),
                  [](const Rule* a, const Rule* b) { return a->info().id < b->info().id; });
        return out;
    }();
    return sorted;
}

const Rule* find_rule(std::string_view id) {
    for (const Rule* r : all_rules())
        if (r->info().id == id) return r;
    return nullptr;
}

}  // namespace pgw
