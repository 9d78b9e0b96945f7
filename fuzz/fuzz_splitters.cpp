// libFuzzer target: the migration tools' file splitters (goose's sections,
// dbmate's markers, liquibase's changesets and --rollback comments, sqitch,
// flyway...). The first byte picks the tool, the rest is the file. Each
// tool's layout must describe the file it was given (units sorted, inside
// the file, not overlapping; cuts sorted and inside), and the front end must
// then split and parse by it without reading outside the bytes.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "frontend/parse.h"
#include "frontend/placeholders.h"
#include "tools/tool.h"

namespace {

// Paths each tool reads as its own (a changelog, a folder-per-migration file).
const char* path_for(std::string_view tool) {
    if (tool == "liquibase") return "db/changelog/001_x.sql";
    if (tool == "prisma") return "migrations/20240101000000_x/migration.sql";
    if (tool == "diesel") return "migrations/2024-01-01-000000_x/up.sql";
    if (tool == "sqitch") return "deploy/x.sql";
    if (tool == "flyway") return "V1__x.sql";
    if (tool == "golang-migrate") return "000001_x.up.sql";
    if (tool == "synapse") return "schema/main/delta/01/x.sql";
    return "001_x.sql";
}

void check(const pgw::FileLayout& l, std::size_t size) {
    std::size_t last_end = 0;
    for (const pgw::Unit& u : l.units) {
        if (u.span.begin > u.span.end || u.span.end > size) std::abort();
        if (!u.embedded) {
            if (u.span.begin < last_end) std::abort();
            last_end = u.span.end;
        }
    }
    for (std::size_t i = 0; i < l.cuts.size(); ++i)
        if (l.cuts[i] > size || (i > 0 && l.cuts[i] < l.cuts[i - 1])) std::abort();
    for (const pgw::EmbeddedSql& e : l.embedded)
        if (e.span.begin > e.span.end || e.span.end > size || e.unit >= l.units.size())
            std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    if (size == 0) return 0;
    const auto& tools = pgw::tools::all_tools();
    const pgw::tools::Tool& tool = *tools[data[0] % tools.size()];
    std::string bytes(reinterpret_cast<const char*>(data) + 1, size - 1);
    pgw::tools::Project project{[](const std::string&) { return std::optional<std::string>(); }};
    std::string path = path_for(tool.name());
    pgw::FileLayout layout = tool.layout(path, bytes, project);
    check(layout, bytes.size());

    static const pgw::PlaceholderSet placeholders = [] {
        pgw::PlaceholderSet p;
        std::string error;
        p.compile(pgw::PlaceholderSet::default_patterns(), error);
        return p;
    }();
    auto m = pgw::parse_migration(pgw::SourceFile::from_bytes(path, bytes), placeholders, &layout);
    for (const pgw::Statement& st : m->statements)
        if (st.span.begin > st.span.end || st.span.end > bytes.size()) std::abort();
    return 0;
}
