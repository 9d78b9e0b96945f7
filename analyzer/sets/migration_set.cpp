#include "sets/migration_set.h"

#include <map>
#include <set>
#include <tuple>

namespace pgw {

std::vector<FileFacts> compute_facts(const std::vector<SetMember>& members, const Naming& naming,
                                     bool (*exists)(const std::string&), bool ordered) {
    std::vector<FileFacts> facts(members.size());
    std::set<std::string> paths;
    for (const auto& m : members) paths.insert(m.path);
    const std::string accepted = naming.describe();

    // Same set, same version, same direction and variant: a real duplicate.
    // (X.up.sql and X.down.sql share a version; so do ory's X.postgres.up.sql and
    // X.mysql.up.sql, which are one migration for two databases.)
    using Key = std::tuple<std::string, std::vector<std::string>, bool, std::string>;
    std::map<Key, std::vector<std::size_t>> by_version;
    for (std::size_t i = 0; i < members.size(); ++i) {
        FileFacts& f = facts[i];
        f.member = true;
        f.name = naming.match(members[i].path);
        f.accepted_names = accepted;
        f.down = is_rollback_path(members[i].path) || (f.name && f.name->down);
        for (const std::string& p : rollback_partners(members[i].path))
            if (paths.count(p) || (exists && exists(p))) f.partners.push_back(p);
        // Every file of a version folder belongs to that one version.
        if (f.name && f.name->version && f.name->pattern != "versioned-folder")
            by_version[{f.name->set, f.name->version->parts, f.down, f.name->variant}].push_back(i);
    }
    for (const auto& [key, group] : by_version) {
        if (group.size() < 2) continue;
        for (std::size_t i : group)
            for (std::size_t j : group)
                if (i != j) facts[i].same_version.push_back(members[j].path);
    }

    // version-order: a new migration must sort after every migration of its set
    // that already exists at the base, or environments that applied those skip it.
    if (ordered) {
        std::map<std::string, std::pair<Version, std::string>> latest;  // set -> newest at base
        for (std::size_t i = 0; i < members.size(); ++i) {
            const auto& n = facts[i].name;
            if (!members[i].at_base || !n || !n->version || facts[i].down) continue;
            auto it = latest.find(n->set);
            if (it == latest.end() || it->second.first < *n->version)
                latest[n->set] = {*n->version, members[i].path};
        }
        for (std::size_t i = 0; i < members.size(); ++i) {
            const auto& n = facts[i].name;
            if (members[i].at_base || !n || !n->version || facts[i].down) continue;
            auto it = latest.find(n->set);
            if (it != latest.end() && *n->version < it->second.first)
                facts[i].sorts_before = it->second.second;
        }
    }
    return facts;
}

}  // namespace pgw
