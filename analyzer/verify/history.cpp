#include "verify/history.h"

#include <algorithm>
#include <map>
#include <set>

#include "frontend/sha256.h"
#include "tools/naming.h"

namespace pgw {

namespace {

struct Applied {
    std::string version;   // the tool's key
    std::string checksum;  // as recorded; empty: the tool records none
    std::string problem;   // "failed", "dirty": the tool's own failure marker
};

std::string base_name(const std::string& path) {
    auto slash = path.rfind('/');
    return slash == std::string::npos ? path : path.substr(slash + 1);
}

std::string digits_prefix(const std::string& s) {
    std::size_t n = 0;
    while (n < s.size() && std::isdigit(static_cast<unsigned char>(s[n]))) ++n;
    return s.substr(0, n);
}

std::string drop_zeros(std::string d) {
    d.erase(0, std::min(d.find_first_not_of('0'), d.size() ? d.size() - 1 : 0));
    return d;
}

std::string hex(std::string_view bytes) {
    static const char* digits = "0123456789abcdef";
    std::string out;
    for (unsigned char c : bytes) out += digits[c >> 4], out += digits[c & 15];
    return out;
}

std::string crlf_to_lf(std::string s) {
    std::string out;
    for (std::size_t i = 0; i < s.size(); ++i)
        if (!(s[i] == '\r' && i + 1 < s.size() && s[i + 1] == '\n')) out += s[i];
    return out;
}

std::string lf_to_crlf(const std::string& s) {
    std::string out;
    for (std::size_t i = 0; i < s.size(); ++i) {
        if (s[i] == '\n' && (i == 0 || s[i - 1] != '\r')) out += '\r';
        out += s[i];
    }
    return out;
}

struct Tool {
    std::string name, table;
    bool numeric = true;  // versions compare as numbers (leading zeros do not count)
};

// Which tool a history table belongs to; schema_migrations is golang-migrate's
// when it has golang-migrate's `dirty` column, else dbmate's.
std::optional<Tool> tool_of(const std::string& table, const std::string& columns) {
    if (table == "goose_db_version") return Tool{"goose", table};
    if (table == "schema_migrations")
        return columns.find("dirty") != std::string::npos ? Tool{"golang-migrate", table}
                                                          : Tool{"dbmate", table, false};
    if (table == "_prisma_migrations") return Tool{"prisma", table, false};
    if (table == "flyway_schema_history") return Tool{"flyway", table};
    if (table == "_sqlx_migrations") return Tool{"sqlx", table};
    if (table == "__diesel_schema_migrations") return Tool{"diesel", table, false};
    if (table == "__drizzle_migrations") return Tool{"drizzle", table, false};
    if (table == "schema_migration") return Tool{"pop", table, false};
    return std::nullopt;
}

// The rows of one history table, in the tool's terms.
std::vector<Applied> read_rows(pq::Connection& c, const Tool& tool, const std::string& qualified) {
    std::vector<Applied> out;
    auto rows = [&](const std::string& sql) { return c.exec(sql); };
    if (tool.name == "goose") {
        // pressly/goose database/dialect/postgres.go: one row per up (and, in
        // old versions, one with is_applied = false per down); the latest row
        // of a version says whether it is applied. Version 0 is goose's own.
        pq::Result r = rows(
            "SELECT version_id::text FROM (SELECT DISTINCT ON (version_id) version_id, "
            "is_applied FROM " +
            qualified + " ORDER BY version_id, id DESC) v WHERE is_applied AND version_id <> 0");
        for (int i = 0; i < r.rows(); ++i) out.push_back({r.str(i, 0), {}, {}});
    } else if (tool.name == "golang-migrate") {
        // golang-migrate database/postgres: one row, the current version.
        pq::Result r = rows("SELECT version::text, dirty FROM " + qualified);
        for (int i = 0; i < r.rows(); ++i)
            out.push_back(
                {r.str(i, 0), {}, r.get(i, 1) == "t" ? "dirty (a migration failed halfway)" : ""});
    } else if (tool.name == "prisma") {
        // prisma schema-engine sql_migration_persistence.rs: rolled-back rows do not count.
        pq::Result r = rows("SELECT migration_name, checksum, finished_at IS NULL FROM " +
                            qualified + " WHERE rolled_back_at IS NULL");
        for (int i = 0; i < r.rows(); ++i)
            out.push_back(
                {r.str(i, 0), r.str(i, 1), r.get(i, 2) == "t" ? "failed or still running" : ""});
    } else if (tool.name == "flyway") {
        // Flyway's createMetaDataTable DDL for PostgreSQL; versioned SQL rows only.
        pq::Result r = rows("SELECT version, checksum::text, success FROM " + qualified +
                            " WHERE version IS NOT NULL AND type = 'SQL'");
        for (int i = 0; i < r.rows(); ++i)
            out.push_back({r.str(i, 0), r.is_null(i, 1) ? "" : r.str(i, 1),
                           r.get(i, 2) == "t" ? "" : "failed"});
    } else if (tool.name == "sqlx") {
        // sqlx-postgres migrate.rs: checksum is the raw SHA-384 of the file.
        pq::Result r =
            rows("SELECT version::text, encode(checksum, 'hex'), success FROM " + qualified);
        for (int i = 0; i < r.rows(); ++i)
            out.push_back({r.str(i, 0), r.str(i, 1), r.get(i, 2) == "t" ? "" : "failed"});
    } else if (tool.name == "drizzle") {
        // drizzle-orm pg-core dialect.ts: no version, only the file's hash.
        pq::Result r = rows("SELECT hash FROM " + qualified);
        for (int i = 0; i < r.rows(); ++i) out.push_back({r.str(i, 0), r.str(i, 0), {}});
    } else {
        pq::Result r = rows("SELECT version::text FROM " + qualified);
        for (int i = 0; i < r.rows(); ++i) out.push_back({r.str(i, 0), {}, {}});
    }
    return out;
}

// The file's checksum as the tool computes it, and whether `recorded` matches.
bool checksum_matches(pq::Connection& c, const std::string& tool, const std::string& bytes,
                      const std::string& recorded) {
    if (recorded.empty()) return true;
    if (tool == "prisma")  // also accepted with CRLF->LF and LF->CRLF (checksum.rs)
        return recorded == sha256_hex(bytes) || recorded == sha256_hex(crlf_to_lf(bytes)) ||
               recorded == sha256_hex(lf_to_crlf(bytes));
    if (tool == "drizzle")  // CRLF->LF in newer drizzle-kit, raw before
        return recorded == sha256_hex(crlf_to_lf(bytes)) || recorded == sha256_hex(bytes);
    if (tool == "flyway") return recorded == std::to_string(flyway_checksum(bytes));
    if (tool == "sqlx")  // SHA-384 is a server builtin (PostgreSQL 11+)
        return recorded ==
               c.exec("SELECT encode(sha384(decode($1, 'hex')), 'hex')", {hex(bytes)}).str(0, 0);
    return true;
}

std::string shown_checksum(pq::Connection& c, const std::string& tool, const std::string& bytes) {
    if (tool == "flyway") return std::to_string(flyway_checksum(bytes));
    if (tool == "sqlx")
        return c.exec("SELECT encode(sha384(decode($1, 'hex')), 'hex')", {hex(bytes)}).str(0, 0);
    if (tool == "drizzle") return sha256_hex(crlf_to_lf(bytes));
    return sha256_hex(bytes);
}

}  // namespace

const std::vector<std::string>& history_table_names() {
    static const std::vector<std::string> names = {
        "goose_db_version",      "schema_migrations",     "_prisma_migrations",
        "flyway_schema_history", "_sqlx_migrations",      "__diesel_schema_migrations",
        "__drizzle_migrations",  "schema_migration",      "databasechangelog",
        "databasechangeloglock", "applied_schema_deltas", "schema_version",
        "schema_compat_version", "applied_module_schemas"};
    return names;
}

int32_t flyway_checksum(std::string_view file) {
    // Flyway ChecksumCalculator.calculateChecksumForResource (notes/tools.md §4):
    // BufferedReader.readLine drops \n, \r\n and \r; the first line loses a BOM.
    static const auto table = [] {
        std::vector<uint32_t> t(256);
        for (uint32_t i = 0; i < 256; ++i) {
            uint32_t c = i;
            for (int k = 0; k < 8; ++k) c = c & 1 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
            t[i] = c;
        }
        return t;
    }();
    if (file.substr(0, 3) == "\xEF\xBB\xBF") file.remove_prefix(3);
    uint32_t crc = 0xFFFFFFFFu;
    for (std::size_t i = 0; i < file.size(); ++i) {
        char ch = file[i];
        if (ch == '\n' || ch == '\r') continue;
        crc = table[(crc ^ static_cast<unsigned char>(ch)) & 0xFF] ^ (crc >> 8);
    }
    return static_cast<int32_t>(crc ^ 0xFFFFFFFFu);
}

std::string tool_version(const std::string& tool, const std::string& path) {
    std::string file = base_name(path);
    std::string folder = base_name(parent_folder(path));
    if (tool == "prisma") return folder;
    if (tool == "diesel") {
        // diesel_migrations: the folder name up to its first '_', dashes removed.
        std::string v = folder.substr(0, folder.find('_'));
        v.erase(std::remove(v.begin(), v.end(), '-'), v.end());
        return v;
    }
    if (tool == "flyway") {
        if (file.size() < 2 || (file[0] != 'V' && file[0] != 'v')) return {};
        std::string v = file.substr(1, file.find("__") - 1);
        std::replace(v.begin(), v.end(), '_', '.');
        return v;
    }
    std::string d = digits_prefix(file);
    bool numeric = tool == "goose" || tool == "golang-migrate" || tool == "sqlx";
    return numeric && !d.empty() ? drop_zeros(d) : d;
}

std::vector<HistoryReport> compare_history(pq::Connection& live, const std::string& label,
                                           const std::vector<VerifySet>& sets, FindingSink& sink) {
    std::string names;
    for (const auto& n : history_table_names())
        names += (names.empty() ? "" : ", ") + pq::quote_literal(n);
    pq::Result tables = live.exec(
        "SELECT quote_ident(n.nspname) || '.' || quote_ident(c.relname), c.relname, (SELECT "
        "string_agg(a.attname, ',') FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attnum > 0 "
        "AND NOT a.attisdropped) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
        "WHERE c.relkind IN ('r', 'p') AND n.nspname NOT IN ('pg_catalog', 'information_schema') "
        "AND c.relname IN (" +
        names + ") ORDER BY 1");
    std::vector<const VerifyScript*> files;
    for (const auto& s : sets)
        for (const auto& m : s.migrations) files.push_back(&m.up);
    std::vector<HistoryReport> reports;
    for (int t = 0; t < tables.rows(); ++t) {
        auto tool = tool_of(tables.str(t, 1), tables.str(t, 2));
        if (!tool || files.empty()) continue;
        HistoryReport report{label, tables.str(t, 0), tool->name, {}};
        std::vector<Applied> rows = read_rows(live, *tool, tables.str(t, 0));
        auto key = [&](const std::string& v) {
            if (!tool->numeric || tool->name == "flyway") {
                if (tool->name != "flyway") return v;
                std::string k;
                for (const auto& p : Version::parse(v).parts) k += p + ".";
                return k;
            }
            return drop_zeros(v);
        };
        std::map<std::string, const Applied*> applied;
        for (const Applied& a : rows) applied[key(a.version)] = &a;
        std::set<std::string> matched;
        // golang-migrate keeps only the current version: everything up to it is applied.
        long long current = tool->name == "golang-migrate" && !rows.empty()
                                ? std::atoll(rows[0].version.c_str())
                                : -1;
        for (const VerifyScript* f : files) {
            std::string bytes = f->source ? f->source->source.bytes : std::string();
            std::string v = tool->name == "drizzle" ? shown_checksum(live, "drizzle", bytes)
                                                    : tool_version(tool->name, f->path);
            if (v.empty()) continue;
            auto it = applied.find(key(v));
            if (tool->name == "golang-migrate") {
                bool done = std::atoll(v.c_str()) <= current;
                if (it != applied.end()) matched.insert(it->first);
                if (done && (it == applied.end() || it->second->problem.empty())) {
                    report.entries.push_back({v, f->path, "applied", ""});
                    continue;
                }
            }
            if (it == applied.end() && tool->name != "golang-migrate") {
                report.entries.push_back({v, f->path, "not applied", ""});
                sink.add(*f, "drift-history",
                         "not applied in " + label + " yet (" + report.table + ")");
                continue;
            }
            if (it == applied.end()) {
                report.entries.push_back({v, f->path, "not applied", ""});
                sink.add(*f, "drift-history",
                         "not applied in " + label + " yet (" + report.table + " is at version " +
                             std::to_string(current) + ")");
                continue;
            }
            matched.insert(it->first);
            const Applied& a = *it->second;
            if (!a.problem.empty()) {
                report.entries.push_back({v, f->path, a.problem, ""});
                sink.add(*f, "drift-history",
                         report.table + " in " + label + " marks it " + a.problem);
            } else if (!checksum_matches(live, tool->name, bytes, a.checksum)) {
                std::string now = shown_checksum(live, tool->name, bytes);
                report.entries.push_back(
                    {v, f->path, "checksum differs", "recorded " + a.checksum + ", file " + now});
                sink.add(*f, "drift-history",
                         "changed since it was applied in " + label + ": " + report.table +
                             " records checksum " + a.checksum + ", the file's is " + now);
            } else {
                report.entries.push_back({v, f->path, "applied", ""});
            }
        }
        for (const Applied& a : rows) {
            if (matched.count(key(a.version))) continue;
            report.entries.push_back({a.version, "", "applied, file missing", ""});
            sink.add_unplaced(label, "drift-history",
                              "migration " + a.version + " is applied in " + label + " (" +
                                  report.table + ") but no file has that " +
                                  (tool->name == "drizzle" ? "hash" : "version"));
        }
        reports.push_back(std::move(report));
    }
    return reports;
}

}  // namespace pgw
