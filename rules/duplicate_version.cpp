// duplicate-version: two migrations of one folder with the same version. Tools
// that key on the version apply only one of them, or refuse to start.
#include "engine/rule.h"
#include "sets/migration_set.h"

namespace pgw {
namespace {

class DuplicateVersion final : public Rule {
  public:
    const RuleInfo& info() const override {
        static const RuleInfo i{
            "duplicate-version",
            Category::naming,
            Severity::error,
            Risk::none,
            "two migrations with the same version",
            "give each migration its own version: renumber the newer one (usually the one from "
            "the branch that merged last) so it sorts after every migration already applied. An "
            "up file and its down file share a version; that is not a duplicate.",
            "-- 004_add_tags.sql and 004_add_index.sql in one folder",
            "-- 004_add_tags.sql and 005_add_index.sql"};
        return i;
    }

    StatementFilter statements() const override { return StatementFilter::none(); }

    void check_file(const Context& ctx, Emitter& out) const override {
        const FileFacts& f = *ctx.facts;
        if (!f.member || f.same_version.empty()) return;
        std::string others;
        for (const auto& p : f.same_version) others += (others.empty() ? "" : ", ") + p;
        std::string version = f.name && f.name->version ? f.name->version->text : f.key;
        out.emit({0, 0}, "version " + version + " is also used by " + others + " (" + f.tool +
                             " keys migrations by it)");
    }
};

PGW_REGISTER_RULE(DuplicateVersion);

}  // namespace
}  // namespace pgw
