// Drizzle (drizzle-kit migrate / drizzle-orm's migrator). Facts from
// drizzle-team/drizzle-orm:
// - src/migrator.ts (readMigrationFiles): <out>/meta/_journal.json is
//   required; its `entries` are applied in array order, each from
//   <out>/<entry.tag>.sql; .sql files not in the journal are ignored; a file
//   is split on the literal `--> statement-breakpoint`, each piece its own
//   execute.
// - src/pg-core/dialect.ts (migrate): every pending migration runs inside ONE
//   transaction, history inserts included.
#include <simdjson.h>

#include "tools/text.h"
#include "tools/tool.h"

namespace pgw::tools {

namespace {

// The journal's tags in order; empty when there is none or it cannot be read.
std::vector<std::string> journal_tags(const SetView& set) {
    std::vector<std::string> tags;
    if (!set.project) return tags;
    auto text = set.project->read(set.root.empty() ? "meta/_journal.json"
                                                   : set.root + "/meta/_journal.json");
    if (!text) return tags;
    simdjson::dom::parser parser;
    simdjson::dom::element doc;
    if (parser.parse(*text).get(doc)) return tags;
    simdjson::dom::array entries;
    if (doc["entries"].get(entries)) return tags;
    for (simdjson::dom::element e : entries) {
        std::string_view tag;
        if (!e["tag"].get(tag)) tags.emplace_back(tag);
    }
    return tags;
}

class Drizzle final : public Tool {
  public:
    std::string_view name() const override { return "drizzle"; }
    Rollbacks rollbacks() const override { return Rollbacks::none; }
    std::string_view outside_transaction() const override {
        return "drizzle runs every pending migration in one transaction: build the index outside "
               "drizzle (a script run before or after `drizzle-kit migrate`)";
    }
    std::string_view summary() const override {
        return "meta/_journal.json order, `--> statement-breakpoint` between statements, all "
               "pending migrations in one transaction";
    }

    int detect(const SetView& set) const override {
        if (!set.project) return 0;
        return set.project->read(set.root.empty() ? "meta/_journal.json"
                                                  : set.root + "/meta/_journal.json")
                   ? 100
                   : 0;
    }

    std::vector<MemberInfo> members(const SetView& set) const override {
        std::vector<std::string> tags = journal_tags(set);  // read once for the set
        std::vector<MemberInfo> out;
        for (const std::string& p : set.paths)
            out.push_back(in_journal(relative_to(p, set.root), tags));
        return out;
    }
    MemberInfo member(std::string_view relative, const SetView& set) const override {
        return in_journal(relative, journal_tags(set));
    }

  private:
    static MemberInfo in_journal(std::string_view relative, const std::vector<std::string>& tags) {
        MemberInfo m;
        std::string_view name = file_name(relative);
        m.migration = false;
        m.problem = "not in meta/_journal.json: drizzle never runs it";
        if (relative != name || !lower(name).ends_with(".sql")) return m;
        std::string tag(name.substr(0, name.size() - 4));
        for (std::size_t i = 0; i < tags.size(); ++i)
            if (tags[i] == tag) {
                m.migration = true;
                m.problem.clear();
                m.order = {number_part(std::to_string(i))};
                m.key = tag;
            }
        return m;
    }

  public:
    FileLayout layout(std::string_view, const std::string& bytes, const Project&) const override {
        FileLayout out = whole_file(bytes.size(), TxMode::wrapped);
        for (const Line& l : lines_of(bytes)) {
            std::size_t at = l.text.find("--> statement-breakpoint");
            if (at != std::string_view::npos) out.cuts.push_back(l.begin + at);
        }
        return out;
    }
};

}  // namespace

const Tool& drizzle() {
    static const Drizzle tool;
    return tool;
}

}  // namespace pgw::tools
