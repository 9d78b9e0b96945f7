#include "verify/plan.h"

#include <algorithm>
#include <fstream>
#include <map>
#include <set>

#include "engine/rule.h"
#include "frontend/node.h"
#include "sets/migration_set.h"
#include "sets/naming.h"

namespace pgw {

namespace {

// Relations a statement names: every RangeVar, and the objects of DROP.
void collect_names(node::Element e, std::set<std::string>& out, int depth = 0) {
    if (depth > 200) return;
    if (e.is_array()) {
        for (node::Element item : e.get_array()) collect_names(item, out, depth + 1);
        return;
    }
    if (!e.is_object()) return;
    for (auto [key, value] : e.get_object()) {
        if (key == "RangeVar") {
            out.insert(node::range_var_name(value));
            continue;
        }
        if (key == "DropStmt") {
            std::string_view type = node::str(value, "removeType");
            if (type == "OBJECT_INDEX" || type == "OBJECT_TABLE" || type == "OBJECT_MATVIEW")
                for (node::Element obj : node::List(value, "objects")) {
                    node::Element list;
                    if (node::as(obj, "List", list)) out.insert(node::dotted_names(list, "items"));
                }
        }
        collect_names(value, out, depth + 1);
    }
}

// Statements PostgreSQL refuses inside a transaction block
// (PreventInTransactionBlock callers in src/backend, PostgreSQL 15:
// https://github.com/postgres/postgres/blob/REL_15_STABLE/src/backend/tcop/utility.c).
// verify also retries a statement outside a block when the server answers
// 25001, so this list only saves that round trip.
bool refuses_transaction_block(const Statement& st) {
    std::string_view k = st.kind;
    if (k == "IndexStmt" || k == "DropStmt") return node::flag(st.node, "concurrent");
    if (k == "ReindexStmt") {
        for (node::Element p : node::List(st.node, "params")) {
            node::Element def;
            if (node::as(p, "DefElem", def) && node::str(def, "defname") == "concurrently")
                return true;
        }
        return false;
    }
    if (k == "VacuumStmt") return node::flag(st.node, "is_vacuumcmd");
    if (k == "AlterTableStmt") {
        for (node::Element c : node::List(st.node, "cmds")) {
            node::Element cmd, def, part;
            if (node::as(c, "AlterTableCmd", cmd) &&
                node::str(cmd, "subtype") == "AT_DetachPartition" && node::get(cmd, "def", def) &&
                node::as(def, "PartitionCmd", part) && node::flag(part, "concurrent"))
                return true;
        }
        return false;
    }
    if (k == "ClusterStmt") {
        node::Element relation;
        return !node::get(st.node, "relation", relation);
    }
    return k == "CreatedbStmt" || k == "DropdbStmt" || k == "CreateTableSpaceStmt" ||
           k == "DropTableSpaceStmt" || k == "AlterSystemStmt" || k == "CreateSubscriptionStmt" ||
           k == "DropSubscriptionStmt";
}

// `COPY ... FROM STDIN;` is followed by its rows, up to a line `\.`.
std::string copy_data_after(const std::string& bytes, std::size_t stmt_end) {
    std::size_t nl = bytes.find('\n', stmt_end);
    if (nl == std::string::npos) return {};
    std::string data;
    for (std::size_t b = nl + 1; b < bytes.size();) {
        std::size_t e = bytes.find('\n', b);
        std::string line = bytes.substr(b, (e == std::string::npos ? bytes.size() : e) - b);
        if (!line.empty() && line.back() == '\r') line.pop_back();
        if (line == "\\.") break;
        data += line + "\n";
        if (e == std::string::npos) break;
        b = e + 1;
    }
    return data;
}

bool is_copy_from_stdin(const VerifyStatement& s) {
    if (s.kind != "CopyStmt") return false;
    std::string lower = s.sql;
    for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return lower.find("from stdin") != std::string::npos;
}

}  // namespace

VerifyScript script_of(const std::string& path, std::string bytes, const Config& config) {
    VerifyScript script;
    script.path = path;
    std::shared_ptr<Migration> m = parse_migration(SourceFile::from_bytes(path, std::move(bytes)),
                                                   config.compiled_placeholders);
    if (!m->source.problem.empty()) script.problem = m->source.problem;
    const std::string& file = m->source.bytes;
    std::map<std::size_t, const Statement*> parsed;  // top-level statements by start
    for (const Statement& st : m->statements)
        if (st.do_depth == 0) parsed[st.span.begin] = &st;
    for (const RawStatement& raw : m->split.statements) {
        VerifyStatement s;
        s.span = raw.span;
        s.start = m->source.position_at(raw.span.begin);
        s.end = m->source.position_at(std::max(raw.span.end, raw.span.begin + 1) - 1);
        s.sql = file.substr(raw.span.begin, raw.span.end - raw.span.begin);
        auto it = parsed.find(raw.span.begin);
        if (it != parsed.end() && it->second->parsed()) {
            const Statement& st = *it->second;
            s.kind = std::string(st.kind);
            s.transaction_control = st.kind == "TransactionStmt";
            std::string_view var = node::str(st.node, "name");
            s.sets_transaction =
                st.kind == "VariableSetStmt" &&
                (var.rfind("TRANSACTION", 0) == 0 || var.rfind("transaction_", 0) == 0);
            s.non_transactional = refuses_transaction_block(st);
            std::set<std::string> names;
            collect_names(st.node, names);
            s.names.assign(names.begin(), names.end());
        }
        if (is_copy_from_stdin(s)) s.copy_data = copy_data_after(file, raw.span.end);
        script.statements.push_back(std::move(s));
    }
    script.source = std::move(m);
    return script;
}

std::vector<VerifySet> plan_verify(const std::vector<VerifyInput>& inputs, const Config& config) {
    std::vector<SetMember> members;
    for (const VerifyInput& in : inputs) members.push_back({in.path, in.base, !in.base, true});
    static const Naming any_preset({});
    const Naming& naming = config.compiled_naming ? *config.compiled_naming : any_preset;
    std::vector<FileFacts> facts = compute_facts(members, naming, nullptr, false);

    std::map<std::string, std::size_t> index_of;
    for (std::size_t i = 0; i < inputs.size(); ++i) index_of[inputs[i].path] = i;

    const Rule* idem = find_rule("idempotent-ddl");
    bool idempotent_policy =
        config.severity_of("idempotent-ddl",
                           idem ? idem->info().default_severity : Severity::off) != Severity::off;

    struct Unit {
        std::size_t up, down;
        bool has_version;
        Version version;
    };
    std::map<std::string, std::vector<Unit>> by_set;
    constexpr std::size_t none = static_cast<std::size_t>(-1);
    for (std::size_t i = 0; i < inputs.size(); ++i) {
        const FileFacts& f = facts[i];
        if (f.down) continue;  // applied with its up file
        Unit u{i, none, false, {}};
        for (const std::string& p : rollback_partners(inputs[i].path)) {
            auto it = index_of.find(p);
            if (it != index_of.end() && facts[it->second].down) {
                u.down = it->second;
                break;
            }
        }
        if (f.name && f.name->version) u.has_version = true, u.version = *f.name->version;
        std::string set = f.name ? f.name->set : parent_folder(inputs[i].path);
        by_set[set].push_back(std::move(u));
    }

    std::vector<VerifySet> sets;
    for (auto& [name, units] : by_set) {
        // Base first (that is the existing schema), then by version; files
        // without a version (flyway's repeatable R__, unknown names) after the
        // versioned ones, by path.
        std::stable_sort(units.begin(), units.end(), [&](const Unit& a, const Unit& b) {
            bool ab = inputs[a.up].base, bb = inputs[b.up].base;
            if (ab != bb) return ab;
            if (a.has_version != b.has_version) return a.has_version;
            if (a.has_version && !(a.version == b.version)) return a.version < b.version;
            return inputs[a.up].path < inputs[b.up].path;
        });
        VerifySet set;
        set.name = name;
        for (const Unit& u : units) {
            VerifyMigration vm;
            auto script = [&](std::size_t i) {
                VerifyScript s = script_of(inputs[i].path, inputs[i].bytes, config);
                if (!inputs[i].error.empty()) s.problem = inputs[i].error;
                s.in_transaction = config.assume_in_transaction;
                return s;
            };
            vm.up = script(u.up);
            if (u.down != none) vm.down = script(u.down);
            vm.at_base = inputs[u.up].base;
            // Flyway re-runs a repeatable migration whenever it changes.
            bool repeatable = facts[u.up].name && !facts[u.up].name->version;
            vm.check_idempotent = idempotent_policy || repeatable;
            set.migrations.push_back(std::move(vm));
        }
        sets.push_back(std::move(set));
    }
    return sets;
}

namespace {

std::size_t real_statements(const VerifyScript& s) {
    return s.statements.size();
}

bool any_non_transactional(const VerifyScript& s) {
    for (const auto& st : s.statements)
        if (st.non_transactional) return true;
    return false;
}

// `key = false` in a small TOML or properties file beside the migration.
bool setting_false(const std::string& file, const std::string& key) {
    std::ifstream in(file);
    for (std::string line; std::getline(in, line);) {
        line.erase(std::remove_if(line.begin(), line.end(), ::isspace), line.end());
        if (line == key + "=false") return true;
    }
    return false;
}

}  // namespace

void apply_tool(std::vector<VerifySet>& sets, const std::string& tool) {
    // How each tool runs a file (notes/tools.md; PostgreSQL's rule that one
    // multi-statement simple query is one implicit transaction:
    // https://www.postgresql.org/docs/15/protocol-flow.html#PROTOCOL-FLOW-MULTI-STATEMENT):
    // - prisma, golang-migrate: the whole file as one query, no BEGIN of their own;
    // - sqlx: BEGIN + the whole file, unless its first bytes are `-- no-transaction`;
    // - diesel: BEGIN + the whole file, unless metadata.toml says run_in_transaction = false;
    // - flyway: one transaction per script, none when a statement cannot run in
    //   one (or the script's .conf says executeInTransaction=false);
    // - synapse: one transaction per delta file.
    static const std::set<std::string> known = {"prisma", "flyway",         "sqlx",
                                                "diesel", "golang-migrate", "synapse"};
    static const std::set<std::string> autocommit = {"plain", "auto", "sqitch"};
    if (autocommit.count(tool)) return;
    if (!known.count(tool))
        throw std::invalid_argument(
            "--tool " + tool +
            ": verify applies plain, prisma, flyway, sqlx, diesel, golang-migrate, synapse and "
            "sqitch files; goose, dbmate and liquibase sections are not split yet");
    auto mode = [&](const VerifyScript& s) {
        bool several = real_statements(s) > 1;
        if (tool == "prisma" || tool == "golang-migrate") return several;
        if (tool == "sqlx")
            return several ||
                   !(s.source && s.source->source.bytes.rfind("-- no-transaction", 0) == 0);
        if (tool == "diesel")
            return several ||
                   !setting_false(parent_folder(s.path) + "/metadata.toml", "run_in_transaction");
        if (tool == "flyway")
            return !any_non_transactional(s) &&
                   !setting_false(s.path + ".conf", "executeInTransaction");
        return true;
    };
    if (tool == "prisma") {
        // Every <name>/migration.sql of one folder is one sequence, whatever its
        // name looks like (prisma keys by the folder name, 14 digits or not).
        std::map<std::string, VerifySet> by_folder;
        for (VerifySet& set : sets)
            for (VerifyMigration& m : set.migrations) {
                std::string folder = set.name;
                if (m.up.path.size() > 14 &&
                    m.up.path.compare(m.up.path.size() - 14, 14, "/migration.sql") == 0)
                    folder = parent_folder(parent_folder(m.up.path));
                by_folder[folder].name = folder;
                by_folder[folder].migrations.push_back(std::move(m));
            }
        sets.clear();
        for (auto& [name, set] : by_folder) sets.push_back(std::move(set));
    }
    for (VerifySet& set : sets) {
        for (VerifyMigration& m : set.migrations) {
            m.up.in_transaction = mode(m.up);
            if (!m.down.path.empty()) m.down.in_transaction = mode(m.down);
        }
        // prisma and diesel order by name as a string (prisma: the folder name;
        // diesel: MigrationVersion's derived Ord), not by the version's numbers.
        if (tool == "prisma" || tool == "diesel")
            std::stable_sort(set.migrations.begin(), set.migrations.end(),
                             [](const VerifyMigration& a, const VerifyMigration& b) {
                                 if (a.at_base != b.at_base) return a.at_base;
                                 return a.up.path < b.up.path;
                             });
    }
}

}  // namespace pgw
