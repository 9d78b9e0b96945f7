// mixed-ddl-and-data (opt-in): schema changes and data changes in one migration. The
// data change holds the schema change's locks for as long as it runs, and the two
// cannot be rolled back or retried separately.
#include "engine/rule.h"

namespace pgw {
namespace {

bool is_data_change(std::string_view kind) {
    return kind == "InsertStmt" || kind == "UpdateStmt" || kind == "DeleteStmt" ||
           kind == "MergeStmt";
}

// Roles, databases and server settings are not the schema the data lives in.
bool is_schema_change(std::string_view kind) {
    if (kind == "CreateRoleStmt" || kind == "AlterRoleStmt" || kind == "AlterRoleSetStmt" ||
        kind == "DropRoleStmt" || kind == "AlterSystemStmt" || kind == "CreatedbStmt" ||
        kind == "DropdbStmt" || kind == "AlterDatabaseStmt" || kind == "AlterDatabaseSetStmt")
        return false;
    return kind.starts_with("Create") || kind.starts_with("Alter") || kind.starts_with("Drop") ||
           kind == "IndexStmt" || kind == "ViewStmt" || kind == "RenameStmt" ||
           kind == "DefineStmt" || kind == "CompositeTypeStmt" || kind == "RuleStmt";
}

std::string keyword(std::string_view kind) {
    if (kind == "InsertStmt") return "INSERT";
    if (kind == "UpdateStmt") return "UPDATE";
    if (kind == "DeleteStmt") return "DELETE";
    return "MERGE";
}

class MixedDdlAndData final : public Rule {
  public:
    const RuleInfo& info() const override {
        static const RuleInfo i{
            "mixed-ddl-and-data",
            Category::data,
            Severity::off,
            Risk::none,
            "schema changes and data changes (INSERT/UPDATE/DELETE/MERGE) in one migration",
            "put the data change (backfill, seed, cleanup) in its own migration after the schema "
            "change: it then runs without the schema change's locks, can be batched, and can be "
            "retried on its own. Seed rows for a table the migration creates can stay, with a "
            "`-- pgwarden-ignore mixed-ddl-and-data` explaining why",
            "ALTER TABLE bookings ADD COLUMN IF NOT EXISTS status text;\n"
            "UPDATE bookings SET status = 'confirmed' WHERE status IS NULL;",
            "-- 001_add_status.sql\n"
            "ALTER TABLE bookings ADD COLUMN IF NOT EXISTS status text;\n"
            "-- 002_backfill_status.sql\n"
            "UPDATE bookings SET status = 'confirmed' WHERE status IS NULL;"};
        return i;
    }

    StatementFilter statements() const override { return StatementFilter::none(); }

    void check_file(const Context& ctx, Emitter& out) const override {
        const Statement* ddl = nullptr;
        const Statement* data = nullptr;
        for (const Statement& st : ctx.migration.statements) {
            if (!st.parsed()) continue;
            if (!ddl && is_schema_change(st.kind)) ddl = &st;
            if (!data && is_data_change(st.kind)) data = &st;
        }
        if (!ddl || !data) return;
        int line = ctx.migration.source.position_at(ddl->span.begin).line;
        out.emit(data->span, keyword(data->kind) +
                                 " changes data in a migration that also changes the schema "
                                 "(line " +
                                 std::to_string(line) + ")");
    }
};

PGW_REGISTER_RULE(MixedDdlAndData);

}  // namespace
}  // namespace pgw
