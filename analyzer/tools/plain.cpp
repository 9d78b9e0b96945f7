// plain: no known migration tool. Files are ordered by the configured naming
// presets; transactions are what --assume-in-transaction says; up/down pairs
// by file name (X.up.sql/X.down.sql, up.sql/down.sql, X_rollback.sql, ...).
#include "tools/text.h"
#include "tools/tool.h"

namespace pgw::tools {

namespace {

class Plain final : public Tool {
  public:
    std::string_view name() const override { return "plain"; }
    std::string_view summary() const override {
        return "no known tool: naming presets order the files, transactions as configured";
    }
    int detect(const SetView&) const override { return 0; }
    bool records_applied() const override { return false; }

    MemberInfo member(std::string_view relative, const SetView& set) const override {
        static const Naming any({});
        const Naming& naming = set.naming ? *set.naming : any;
        MemberInfo m;
        std::string path =
            set.root.empty() ? std::string(relative) : set.root + "/" + std::string(relative);
        m.down = is_rollback_path(path);
        if (auto n = naming.match(path)) {
            m.down = m.down || n->down;
            m.variant = n->variant;
            if (n->version) {
                std::string joined;
                for (const std::string& part : n->version->parts) {
                    m.order.push_back(number_part(part));
                    joined += (joined.empty() ? "" : ".") + part;
                }
                // Every file of a version folder belongs to that one version.
                m.key = n->pattern == "versioned-folder" ? std::string(relative) : joined;
            }
        }
        // Within a version (and without one), by name: the order a shell glob gives.
        m.order.push_back(text_part(relative));
        if (m.key.empty()) m.key = std::string(relative);
        return m;
    }
};

}  // namespace

const Tool& plain() {
    static const Plain tool;
    return tool;
}

}  // namespace pgw::tools
