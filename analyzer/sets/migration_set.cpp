#include "sets/migration_set.h"

#include <algorithm>
#include <map>
#include <set>
#include <string_view>
#include <tuple>

namespace pgw {

std::vector<SetGroup> group_sets(const std::vector<SetMember>& members,
                                 const tools::Project& project) {
    std::map<std::string, std::vector<std::size_t>> by_root;
    for (std::size_t i = 0; i < members.size(); ++i)
        by_root[tools::set_root(members[i].path, project)].push_back(i);
    std::vector<SetGroup> out;
    for (auto& [root, indices] : by_root) {
        std::sort(indices.begin(), indices.end(),
                  [&](std::size_t a, std::size_t b) { return members[a].path < members[b].path; });
        out.push_back({root, std::move(indices)});
    }
    return out;
}

PlannedSet plan_set(const SetGroup& group, const std::vector<SetMember>& members,
                    std::vector<FileFacts>& facts, const PlanOptions& options) {
    // Detection reads files; each is kept until the plan is made.
    std::map<std::size_t, std::string> cache;
    tools::SetView view;
    view.root = group.root;
    for (std::size_t i : group.members) view.paths.push_back(members[i].path);
    view.project = options.project;
    view.naming = options.naming;
    view.bytes = [&](std::size_t k) -> const std::string& {
        auto it = cache.find(k);
        if (it == cache.end())
            it = cache.emplace(k, options.bytes ? options.bytes(group.members[k]) : "").first;
        return it->second;
    };
    PlannedSet plan;
    plan.tool = options.forced ? options.forced : &tools::detect_tool(view);
    std::vector<tools::MemberInfo> info = plan.tool->members(view);
    const tools::Rollbacks style = plan.tool->rollbacks();
    const bool plain = plan.tool->name() == "plain";
    const std::string accepted = options.naming ? options.naming->describe() : std::string();

    std::set<std::string> in_run;
    for (std::size_t i : group.members) in_run.insert(members[i].path);
    std::vector<std::size_t> ups, downs;
    for (std::size_t k = 0; k < group.members.size(); ++k) {
        std::size_t i = group.members[k];
        FileFacts& f = facts[i];
        const tools::MemberInfo& m = info[k];
        f.member = true;
        f.tool = std::string(plan.tool->name());
        f.tool_forced = options.forced != nullptr;
        if (options.naming) f.name = options.naming->match(members[i].path);
        f.naming_configured = options.naming_configured;
        f.accepted_names = accepted;
        f.key = m.key;
        f.down = m.down;
        f.repeatable = m.repeatable;
        f.reruns = !plan.tool->records_applied() || m.repeatable;
        f.rollback_style = style == tools::Rollbacks::sections ? RollbackStyle::sections
                           : style == tools::Rollbacks::none   ? RollbackStyle::none
                                                               : RollbackStyle::files;
        if (!m.migration && !m.skipped.empty()) {
            plan.skipped.push_back(i);
            plan.skip_reasons.push_back(m.skipped);
            continue;
        }
        if (!m.migration) {
            f.misnamed = m.problem.empty() ? std::string(plan.tool->summary()) : m.problem;
            plan.alone.push_back(i);
            continue;
        }
        (m.down ? downs : ups).push_back(k);
    }

    // Apply order; ties by path (the order a directory listing gives).
    auto before = [&](std::size_t a, std::size_t b) {
        if (tools::order_less(info[a].order, info[b].order)) return true;
        if (tools::order_less(info[b].order, info[a].order)) return false;
        return members[group.members[a]].path < members[group.members[b]].path;
    };
    std::sort(ups.begin(), ups.end(), before);

    // Pairs: by file name for plain sets (X.down.sql, X_rollback.sql, ...), by
    // the tool's key otherwise (golang-migrate's versions, sqitch's change names).
    std::map<std::size_t, std::size_t> down_of;  // up k -> down k
    std::map<std::string, std::size_t> up_by_path;
    for (std::size_t k : ups) up_by_path[members[group.members[k]].path] = k;
    std::map<std::string_view, std::vector<std::size_t>> ups_by_key;  // in apply order
    if (!plain)
        for (std::size_t k : ups) ups_by_key[info[k].key].push_back(k);
    for (std::size_t d : downs) {
        std::size_t up = kNoFile;
        if (plain) {
            for (const std::string& p : rollback_partners(members[group.members[d]].path))
                if (auto it = up_by_path.find(p); it != up_by_path.end() && up == kNoFile)
                    up = it->second;
        } else if (auto same = ups_by_key.find(info[d].key); same != ups_by_key.end()) {
            // The first up of its key, the first of its dialect variant too if any.
            up = same->second.front();
            for (std::size_t k : same->second)
                if (info[k].variant == info[d].variant) {
                    up = k;
                    break;
                }
        }
        if (up != kNoFile && !down_of.count(up)) {
            down_of[up] = d;
            facts[group.members[up]].partners.push_back(members[group.members[d]].path);
            facts[group.members[d]].partners.push_back(members[group.members[up]].path);
        } else {
            plan.alone.push_back(group.members[d]);
        }
    }
    // A plain up file's rollback may exist outside the run (--staged context).
    if (plain && options.exists)
        for (std::size_t k : ups) {
            FileFacts& f = facts[group.members[k]];
            if (!f.partners.empty()) continue;
            for (const std::string& p : rollback_partners(members[group.members[k]].path))
                if (!in_run.count(p) && options.exists(p)) f.partners.push_back(p);
        }
    for (std::size_t k : ups) {
        plan.ups.push_back(group.members[k]);
        auto d = down_of.find(k);
        plan.down_of_up.push_back(d == down_of.end() ? kNoFile : group.members[d->second]);
    }

    // Same key, same direction and variant: a real clash. (X.up.sql and
    // X.down.sql share a version; so do ory's X.postgres.up.sql and
    // X.mysql.up.sql, which are one migration for two databases.)
    using Key = std::tuple<std::string, bool, std::string>;
    std::map<Key, std::vector<std::size_t>> by_key;
    for (std::size_t k = 0; k < group.members.size(); ++k)
        if (info[k].migration && !info[k].key.empty())
            by_key[{info[k].key, info[k].down, info[k].variant}].push_back(group.members[k]);
    for (const auto& [key, same] : by_key) {
        if (same.size() < 2) continue;
        for (std::size_t i : same)
            for (std::size_t j : same)
                if (i != j) facts[i].same_version.push_back(members[j].path);
    }

    // version-order: a new migration must sort after every migration of its set
    // that already exists at the base, or environments that applied those skip it.
    if (options.ordered) {
        std::size_t latest = kNoFile;
        for (std::size_t k : ups)
            if (members[group.members[k]].at_base && !info[k].repeatable &&
                (latest == kNoFile || before(latest, k)))
                latest = k;
        for (std::size_t k : ups)
            if (latest != kNoFile && !members[group.members[k]].at_base && !info[k].repeatable &&
                before(k, latest))
                facts[group.members[k]].sorts_before = members[group.members[latest]].path;
    }
    return plan;
}

}  // namespace pgw
