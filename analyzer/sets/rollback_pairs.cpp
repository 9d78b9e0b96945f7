#include "sets/rollback_pairs.h"

#include <algorithm>
#include <map>

#include "schema/compare.h"
#include "schema/model.h"

namespace pgw {

namespace {

constexpr std::size_t kNone = static_cast<std::size_t>(-1);

std::string variant_of(const FileFacts& f) {
    return f.name ? f.name->variant : std::string();
}

}  // namespace

std::vector<RollbackChain> rollback_chains(const std::vector<SetMember>& members,
                                           const std::vector<FileFacts>& facts) {
    std::map<std::string, std::size_t> index;
    for (std::size_t i = 0; i < members.size(); ++i) index[members[i].path] = i;
    std::map<std::size_t, std::size_t> down_of;           // up -> its linted down
    std::map<std::string, std::vector<std::size_t>> ups;  // by set
    for (std::size_t i = 0; i < members.size(); ++i) {
        if (!facts[i].down) {
            if (facts[i].member)
                ups[facts[i].name ? facts[i].name->set : parent_folder(members[i].path)].push_back(
                    i);
            continue;
        }
        if (!members[i].lint || facts[i].partners.empty()) continue;
        auto up = index.find(facts[i].partners.front());
        if (up != index.end() && !facts[up->second].down) down_of.emplace(up->second, i);
    }
    std::vector<RollbackChain> chains;
    for (auto& [set, set_ups] : ups) {
        if (std::none_of(set_ups.begin(), set_ups.end(),
                         [&](std::size_t u) { return down_of.count(u) > 0; }))
            continue;
        std::sort(set_ups.begin(), set_ups.end(), [&](std::size_t a, std::size_t b) {
            const auto& va = facts[a].name ? facts[a].name->version : std::nullopt;
            const auto& vb = facts[b].name ? facts[b].name->version : std::nullopt;
            if (va && vb && !(*va == *vb)) return *va < *vb;
            return members[a].path < members[b].path;
        });
        RollbackChain c;
        c.ups = set_ups;
        for (std::size_t u : set_ups) {
            auto d = down_of.find(u);
            c.downs_of_up.push_back(d == down_of.end() ? kNone : d->second);
        }
        chains.push_back(std::move(c));
    }
    // Longest first: the threads that take the short ones and the single files
    // finish together.
    std::stable_sort(
        chains.begin(), chains.end(),
        [](const RollbackChain& a, const RollbackChain& b) { return a.ups.size() > b.ups.size(); });
    return chains;
}

void run_chain(const RollbackChain& chain, std::vector<FileFacts>& facts, const LoadFile& load,
               const VisitFile& visit) {
    // One model per dialect variant; "" holds what every dialect runs.
    std::map<std::string, schema::SchemaModel> models;
    models[""].details = true;
    bool known = true;  // false once an up file could not be read: the rest is unknown
    for (std::size_t k = 0; k < chain.ups.size(); ++k) {
        std::size_t u = chain.ups[k], d = chain.downs_of_up[k];
        std::string error;
        std::unique_ptr<Migration> up = load(u, error);
        std::string variant = variant_of(facts[u]);
        if (!variant.empty() && !models.count(variant)) models[variant] = models[""];
        if (d != kNone) {
            std::string down_error;
            std::unique_ptr<Migration> down = load(d, down_error);
            if (known && up && down) {
                // A down file without a variant is checked as PostgreSQL runs it.
                std::string v = variant.empty() && models.count("postgres") ? "postgres" : variant;
                schema::RollbackCheck r = schema::check_rollback(models[v], *up, *down);
                facts[d].rollback_checked = !r.uncertain;
                facts[d].rollback_differences = std::move(r.differences);
            }
            visit(d, down.get(), down_error);
        }
        if (!up) known = false;
        if (up && known) {
            for (auto& [name, model] : models)
                if (variant.empty() || name == variant) model.replay(*up);
        }
        visit(u, up.get(), error);
    }
}

}  // namespace pgw
