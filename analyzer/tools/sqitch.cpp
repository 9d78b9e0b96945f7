// Sqitch (sqitch.org, github.com/sqitchers/sqitch). Facts:
// - sqitch.plan: pragmas start with `%`, tags with `@`, and every other
//   non-blank, non-comment line names a change first (`name [deps] timestamp
//   planner <email> # note`); changes deploy in plan order (sqitchchanges,
//   App::Sqitch::Plan). A reworked change keeps its earlier scripts as
//   `name@tag.sql`.
// - deploy/<change>.sql deploys, revert/<change>.sql reverts, verify/ scripts
//   only check a deploy.
// - lib/App/Sqitch/Engine/pg.pm (_psql, run_file): each script runs with
//   `psql --file` and ON_ERROR_STOP, without --single-transaction: statements
//   autocommit unless the script says BEGIN ... COMMIT (as the templates do).
#include <algorithm>

#include "tools/text.h"
#include "tools/tool.h"

namespace pgw::tools {

namespace {

std::vector<std::string> plan_changes(const SetView& set) {
    std::vector<std::string> out;
    if (!set.project) return out;
    auto plan = set.project->read(set.root.empty() ? "sqitch.plan" : set.root + "/sqitch.plan");
    if (!plan) return out;
    for (const Line& l : lines_of(*plan)) {
        std::string_view t = trim(l.text);
        if (t.empty() || t[0] == '%' || t[0] == '@' || t[0] == '#') continue;
        std::size_t end = 0;
        while (end < t.size() && t[end] != ' ' && t[end] != '\t' && t[end] != '[') ++end;
        out.emplace_back(t.substr(0, end));
    }
    return out;
}

class Sqitch final : public Tool {
  public:
    std::string_view name() const override { return "sqitch"; }
    std::string_view summary() const override {
        return "sqitch.plan order, deploy/ and revert/ scripts run by psql (autocommit unless "
               "the script says BEGIN)";
    }

    int detect(const SetView& set) const override {
        if (!set.project) return 0;
        return set.project->read(set.root.empty() ? "sqitch.plan" : set.root + "/sqitch.plan") ? 100
                                                                                               : 0;
    }

    std::vector<MemberInfo> members(const SetView& set) const override {
        std::vector<std::string> changes = plan_changes(set);  // read once for the set
        std::vector<MemberInfo> out;
        for (const std::string& p : set.paths)
            out.push_back(in_plan(relative_to(p, set.root), changes));
        return out;
    }
    MemberInfo member(std::string_view relative, const SetView& set) const override {
        return in_plan(relative, plan_changes(set));
    }

    FileLayout layout(std::string_view, const std::string& bytes, const Project&) const override {
        return whole_file(bytes.size(), TxMode::none);
    }

  private:
    static MemberInfo in_plan(std::string_view relative, const std::vector<std::string>& changes) {
        MemberInfo m;
        std::string_view dir = folder_of(relative);
        std::string_view name = file_name(relative);
        m.migration = (dir == "deploy" || dir == "revert") && lower(name).ends_with(".sql");
        m.down = dir == "revert";
        if (dir == "verify") m.skipped = "a sqitch verify script: it checks a deploy";
        if (!m.migration && m.skipped.empty())
            m.problem = "sqitch runs only deploy/ and revert/ scripts";
        std::string change(name.substr(0, name.size() >= 4 ? name.size() - 4 : 0));
        // A reworked change's earlier script (`name@tag`) deploys at its first entry.
        std::string base = change.substr(0, change.find('@'));
        auto it = std::find(changes.begin(), changes.end(), base);
        if (it == changes.end()) {
            if (m.migration) m.problem = "not in sqitch.plan: sqitch never runs it";
            m.migration = false;
            return m;
        }
        std::size_t index = static_cast<std::size_t>(it - changes.begin());
        if (change == base) {  // the current script: the change's last entry
            auto last = std::find(changes.rbegin(), changes.rend(), base);
            index = changes.size() - 1 - static_cast<std::size_t>(last - changes.rbegin());
        }
        m.order = {number_part(std::to_string(index))};
        m.key = change;
        return m;
    }
};

}  // namespace

const Tool& sqitch() {
    static const Sqitch tool;
    return tool;
}

}  // namespace pgw::tools
