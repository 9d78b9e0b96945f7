#include "verify/plan.h"

#include <algorithm>
#include <functional>
#include <map>
#include <optional>
#include <set>

#include "engine/engine.h"
#include "frontend/node.h"
#include "sets/migration_set.h"
#include "tools/tool.h"

namespace pgw {

namespace {

// Relations a statement names: every RangeVar, and the objects of DROP.
// libpg_query's JSON wraps a RangeVar in {"RangeVar": ...} only where the
// field is a generic Node; a field typed RangeVar* (VacuumRelation.relation,
// IndexStmt.relation, ReindexStmt.relation, AlterTableStmt.relation, ...)
// holds its members directly, so a RangeVar is any object with a relname.
// https://github.com/pganalyze/libpg_query/blob/15-latest/src/pg_query_outfuncs_defs.c
// A statement's own node is the inside of its wrapper: `kind` says when it
// is a DROP.
void drop_objects(node::Element drop, std::set<std::string>& out) {
    std::string_view type = node::str(drop, "removeType");
    if (type == "OBJECT_INDEX" || type == "OBJECT_TABLE" || type == "OBJECT_MATVIEW")
        for (node::Element obj : node::List(drop, "objects")) {
            node::Element list;
            if (node::as(obj, "List", list)) out.insert(node::dotted_names(list, "items"));
        }
}

void collect_names(node::Element e, std::set<std::string>& out, int depth = 0) {
    if (depth > 200) return;
    if (e.is_array()) {
        for (node::Element item : e.get_array()) collect_names(item, out, depth + 1);
        return;
    }
    if (!e.is_object()) return;
    std::string_view relname;
    if (!e["relname"].get(relname)) {
        out.insert(node::range_var_name(e));
        return;
    }
    for (auto [key, value] : e.get_object()) {
        if (key == "DropStmt") drop_objects(value, out);
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

// The statements of `m` in the units `take` selects, as the server gets them.
VerifyScript script_from(std::shared_ptr<const Migration> m,
                         const std::function<bool(const Unit&)>& take, bool assume_in_transaction) {
    VerifyScript script;
    script.path = m->source.path;
    script.note = m->layout_note;
    if (!m->source.problem.empty()) script.problem = m->source.problem;
    const std::string& file = m->source.bytes;
    // Which of the file's units this script runs, renumbered from 0.
    std::map<std::uint32_t, std::size_t> units;
    script.in_transaction = true;
    for (const Statement& st : m->statements) {
        if (st.do_depth != 0 || !take(m->units[st.unit])) continue;
        const Unit& unit = m->units[st.unit];
        if (!units.count(st.unit)) {
            units[st.unit] = script.unit_transaction.size();
            std::size_t statements = 0;  // of this unit, for implicit blocks
            for (const Statement& other : m->statements)
                if (other.do_depth == 0 && other.unit == st.unit) ++statements;
            // PostgreSQL runs a multi-statement query as one implicit transaction
            // block; one statement alone runs outside any block.
            // https://www.postgresql.org/docs/15/protocol-flow.html#PROTOCOL-FLOW-MULTI-STATEMENT
            bool txn = unit.tx == TxMode::wrapped || unit.tx == TxMode::wrapped_batch ||
                       (unit.tx == TxMode::implicit_block && statements > 1) ||
                       (unit.tx == TxMode::assumed && assume_in_transaction);
            script.unit_transaction.push_back(txn);
            script.in_transaction = script.in_transaction && txn;
        }
        VerifyStatement s;
        s.span = st.span;
        s.unit = units[st.unit];
        s.start = m->source.position_at(st.span.begin);
        s.end = m->source.position_at(std::max(st.span.end, st.span.begin + 1) - 1);
        s.sql = file.substr(st.span.begin, st.span.end - st.span.begin);
        if (st.parsed()) {
            s.kind = std::string(st.kind);
            s.transaction_control = st.kind == "TransactionStmt";
            std::string_view var = node::str(st.node, "name");
            s.sets_transaction =
                st.kind == "VariableSetStmt" &&
                (var.rfind("TRANSACTION", 0) == 0 || var.rfind("transaction_", 0) == 0);
            s.non_transactional = refuses_transaction_block(st);
            std::set<std::string> names;
            if (st.kind == "DropStmt") drop_objects(st.node, names);
            collect_names(st.node, names);
            s.names.assign(names.begin(), names.end());
        }
        if (is_copy_from_stdin(s)) s.copy_data = copy_data_after(file, st.span.end);
        script.statements.push_back(std::move(s));
    }
    if (script.unit_transaction.empty()) script.in_transaction = assume_in_transaction;
    script.source = std::move(m);
    return script;
}

// Marker and configuration files of the project (migration_lock.toml,
// metadata.toml, flyway.conf, ...), read from disk.
std::optional<std::string> read_project_file(const std::string& path) {
    std::string bytes, error;
    if (!read_file_bytes(path.empty() ? "." : path, bytes, error)) return std::nullopt;
    return bytes;
}

}  // namespace

VerifyScript script_of(const std::string& path, std::string bytes, const Config& config) {
    std::shared_ptr<Migration> m = parse_migration(SourceFile::from_bytes(path, std::move(bytes)),
                                                   config.compiled_placeholders);
    return script_from(
        std::move(m), [](const Unit&) { return true; }, config.assume_in_transaction);
}

std::vector<VerifySet> plan_verify(const std::vector<VerifyInput>& inputs, const Config& config) {
    std::vector<SetMember> members;
    for (const VerifyInput& in : inputs) members.push_back({in.path, in.base, !in.base, true});
    tools::Project project{read_project_file};
    std::vector<FileFacts> facts(inputs.size());
    static const Naming any_preset({});
    PlanOptions options;
    options.naming = config.compiled_naming ? config.compiled_naming.get() : &any_preset;
    options.naming_configured = !config.naming.empty();
    options.forced = config.tool == "auto" ? nullptr : tools::find_tool(config.tool);
    options.project = &project;
    options.bytes = [&](std::size_t i) { return inputs[i].bytes; };
    Engine engine(config);  // the placeholders of each tool

    // Re-running migrations is the team's concern where the tool re-runs them
    // (plain files, flyway's R__) or where idempotent-ddl is turned on.
    auto configured = config.rule_severity.find("idempotent-ddl");
    bool idempotent_policy =
        configured != config.rule_severity.end() && configured->second != Severity::off;

    std::vector<VerifySet> sets;
    for (const SetGroup& group : group_sets(members, project)) {
        PlannedSet plan = plan_set(group, members, facts, options);
        VerifySet set;
        set.name = group.root.empty() ? "." : group.root;
        set.tool = std::string(plan.tool->name());
        const PlaceholderSet& placeholders = engine.placeholders(plan.tool->name());
        auto parse = [&](std::size_t i) -> std::shared_ptr<const Migration> {
            FileLayout layout = plan.tool->layout(inputs[i].path, inputs[i].bytes, project);
            return parse_migration(SourceFile::from_bytes(inputs[i].path, inputs[i].bytes),
                                   placeholders, &layout);
        };
        auto runs_up = [](const Unit& u) { return u.section == Section::up; };
        auto runs_down = [](const Unit& u) { return u.section == Section::down; };
        for (std::size_t k = 0; k < plan.ups.size(); ++k) {
            std::size_t i = plan.ups[k];
            VerifyMigration vm;
            std::shared_ptr<const Migration> up = parse(i);
            vm.up = script_from(up, runs_up, config.assume_in_transaction);
            if (!inputs[i].error.empty()) vm.up.problem = inputs[i].error;
            if (plan.down_of_up[k] != kNoFile) {
                std::size_t d = plan.down_of_up[k];
                // A down file runs whole, whatever its units say.
                vm.down = script_from(
                    parse(d), [](const Unit&) { return true; }, config.assume_in_transaction);
                if (!inputs[d].error.empty()) vm.down.problem = inputs[d].error;
            } else if (plan.tool->rollbacks() == tools::Rollbacks::sections) {
                VerifyScript down = script_from(up, runs_down, config.assume_in_transaction);
                if (!down.statements.empty()) vm.down = std::move(down);
            }
            vm.at_base = inputs[i].base;
            vm.check_idempotent = facts[i].reruns || facts[i].repeatable || idempotent_policy;
            set.migrations.push_back(std::move(vm));
        }
        // The base is the existing schema: it goes first, whatever it sorts as.
        std::stable_partition(set.migrations.begin(), set.migrations.end(),
                              [](const VerifyMigration& m) { return m.at_base; });
        if (!set.migrations.empty()) sets.push_back(std::move(set));
    }
    return sets;
}

}  // namespace pgw
