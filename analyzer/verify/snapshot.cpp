// Snapshot queries, part two: types, views, routines, triggers, policies;
// and the transaction a snapshot is read in.
#include "verify/snapshot.h"

#include <algorithm>
#include <set>

#include "verify/snapshot_reader.h"

namespace pgw {

namespace snapshot_detail {

void Reader::types() {
    // Enums, domains, ranges and free-standing composite types; not the row
    // types of tables, not arrays, not the multiranges ranges bring along.
    pq::Result r = query(
        "SELECT t.oid::regtype::text, t.typtype, CASE t.typtype "
        "WHEN 'e' THEN (SELECT string_agg(quote_literal(e.enumlabel), ', ' ORDER BY "
        "e.enumsortorder) FROM pg_enum e WHERE e.enumtypid = t.oid) "
        "WHEN 'd' THEN format_type(t.typbasetype, t.typtypmod) "
        "WHEN 'r' THEN (SELECT format_type(g.rngsubtype, NULL) FROM pg_range g WHERE g.rngtypid = "
        "t.oid) "
        "WHEN 'c' THEN (SELECT string_agg(quote_ident(a.attname) || ' ' || format_type(a.atttypid, "
        "a.atttypmod), ', ' ORDER BY a.attnum) FROM pg_attribute a WHERE a.attrelid = t.typrelid "
        "AND a.attnum > 0 AND NOT a.attisdropped) END, "
        "t.typnotnull, t.typdefault, (SELECT string_agg('CONSTRAINT ' || quote_ident(k.conname) || "
        "' ' || pg_get_constraintdef(k.oid), ' ' ORDER BY k.conname) FROM pg_constraint k WHERE "
        "k.contypid = t.oid), t.xmin::text::bigint "
        "FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace WHERE " +
        std::string(kUserSchema) +
        "AND (t.typtype IN ('e', 'd', 'r') OR (t.typtype = 'c' AND (SELECT relkind FROM pg_class "
        "WHERE oid = t.typrelid) = 'c'))" +
        not_extension_member("pg_type", "t.oid"));
    for (int i = 0; i < r.rows(); ++i) {
        std::string name = r.str(i, 0), kind = r.str(i, 1), body = r.str(i, 2);
        SchemaObject& o = add("type", name, "", r.integer(i, 6));
        if (kind == "e") {
            o.attributes = {{"kind", "enum"}, {"labels", body}};
            o.definition = "CREATE TYPE " + name + " AS ENUM (" + body + ");";
        } else if (kind == "d") {
            o.attributes = {{"kind", "domain"}, {"base type", body}};
            std::string def = "CREATE DOMAIN " + name + " AS " + body;
            if (!r.is_null(i, 4))
                o.attributes["default"] = r.str(i, 4), def += " DEFAULT " + r.str(i, 4);
            if (r.get(i, 3) == "t") o.attributes["not null"] = "yes", def += " NOT NULL";
            if (!r.is_null(i, 5))
                o.attributes["constraints"] = r.str(i, 5), def += " " + r.str(i, 5);
            o.definition = def + ";";
        } else if (kind == "r") {
            o.attributes = {{"kind", "range"}, {"subtype", body}};
            o.definition = "CREATE TYPE " + name + " AS RANGE (SUBTYPE = " + body + ");";
        } else {
            o.attributes = {{"kind", "composite"}, {"attributes", body}};
            o.definition = "CREATE TYPE " + name + " AS (" + body + ");";
        }
    }
}

void Reader::views() {
    // pg_get_viewdef takes ACCESS SHARE on the view and every relation its
    // query reads, until the transaction ends (ruleutils.c get_query_def ->
    // AcquireRewriteLocks:
    // https://github.com/postgres/postgres/blob/REL_15_STABLE/src/backend/utils/adt/ruleutils.c);
    // query() rolls its savepoint back, which releases them at once. A view
    // reading a busy relation is not deparsed.
    std::string reads_busy =
        options.live ? "EXISTS (SELECT 1 FROM pg_rewrite w JOIN pg_depend d ON d.classid = "
                       "'pg_rewrite'::regclass AND d.objid = w.oid AND d.refclassid = "
                       "'pg_class'::regclass WHERE w.ev_class = c.oid AND d.refobjid = ANY('" +
                           busy + "'::oid[]))"
                     : "false";
    pq::Result r = query(
        "SELECT c.oid::regclass::text, c.relkind, array_to_string(c.reloptions, ', '), "
        "c.xmin::text::bigint, CASE WHEN " +
        reads_busy +
        " THEN NULL ELSE pg_get_viewdef(c.oid) END FROM pg_class c JOIN pg_namespace n ON "
        "n.oid = c.relnamespace WHERE c.relkind IN ('v', 'm') AND " +
        std::string(kUserSchema) + not_extension_member("pg_class", "c.oid") + free("c.oid") +
        "ORDER BY 1");
    for (int i = 0; i < r.rows(); ++i) {
        std::string name = r.str(i, 0);
        if (r.is_null(i, 4)) {
            snap.skipped.push_back(name);
            continue;
        }
        bool matview = r.get(i, 1) == "m";
        SchemaObject& o = add(matview ? "materialized view" : "view", name, "", r.integer(i, 3));
        if (!r.is_null(i, 2) && !r.get(i, 2).empty()) o.attributes["options"] = r.str(i, 2);
        std::string def = r.str(i, 4);
        o.attributes["definition"] = def;
        o.definition =
            std::string("CREATE ") + (matview ? "MATERIALIZED VIEW " : "VIEW ") + name +
            (o.attributes.count("options") ? " WITH (" + o.attributes["options"] + ")" : "") +
            " AS\n" + def;
    }
}

void Reader::routines() {
    // Functions, procedures and window functions (prokind, PostgreSQL 11+).
    // Aggregates have no pg_get_functiondef.
    pq::Result r = query(
        "SELECT p.oid::regprocedure::text, pg_get_functiondef(p.oid), p.xmin::text::bigint FROM "
        "pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace WHERE p.prokind IN ('f', 'p', "
        "'w') AND " +
        std::string(kUserSchema) + not_extension_member("pg_proc", "p.oid"));
    for (int i = 0; i < r.rows(); ++i) {
        SchemaObject& o = add("function", r.str(i, 0), "", r.integer(i, 2));
        std::string def = r.str(i, 1);
        while (!def.empty() && def.back() == '\n') def.pop_back();
        o.attributes["definition"] = def;
        o.definition = def + ";";
    }
}

void Reader::triggers() {
    // Internal triggers (foreign keys' RI triggers) belong to their constraint.
    pq::Result r = query(
        "SELECT t.tgrelid::regclass::text, quote_ident(t.tgname), pg_get_triggerdef(t.oid), "
        "t.tgenabled, t.xmin::text::bigint FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
        "JOIN pg_namespace n ON n.oid = c.relnamespace WHERE NOT t.tgisinternal AND " +
        std::string(kUserSchema) + not_extension_member("pg_class", "c.oid") + free("c.oid"));
    for (int i = 0; i < r.rows(); ++i) {
        std::string table = r.str(i, 0);
        SchemaObject& o = add("trigger", table + "." + r.str(i, 1), table, r.integer(i, 4));
        o.attributes["definition"] = r.str(i, 2);
        std::string enabled = r.str(i, 3);
        if (enabled != "O")
            o.attributes["enabled"] = enabled == "D"   ? "disabled"
                                      : enabled == "R" ? "replica"
                                                       : "always";
        o.definition = r.str(i, 2) + ";";
    }
}

void Reader::policies() {
    pq::Result r = query(
        "SELECT p.polrelid::regclass::text, quote_ident(p.polname), p.polcmd, p.polpermissive, "
        "(SELECT string_agg(CASE WHEN x = 0 THEN 'PUBLIC' ELSE quote_ident(pg_get_userbyid(x)) "
        "END, ', ' ORDER BY 1) FROM unnest(p.polroles) x), pg_get_expr(p.polqual, p.polrelid), "
        "pg_get_expr(p.polwithcheck, p.polrelid), p.xmin::text::bigint FROM pg_policy p JOIN "
        "pg_class c ON c.oid = p.polrelid JOIN pg_namespace n ON n.oid = c.relnamespace WHERE " +
        std::string(kUserSchema) + free("c.oid"));
    static const std::map<std::string, std::string> commands = {
        {"r", "SELECT"}, {"a", "INSERT"}, {"w", "UPDATE"}, {"d", "DELETE"}, {"*", "ALL"}};
    for (int i = 0; i < r.rows(); ++i) {
        std::string table = r.str(i, 0), name = r.str(i, 1);
        SchemaObject& o = add("policy", table + "." + name, table, r.integer(i, 7));
        auto cmd = commands.find(r.str(i, 2));
        o.attributes["command"] = cmd == commands.end() ? r.str(i, 2) : cmd->second;
        o.attributes["as"] = r.get(i, 3) == "t" ? "PERMISSIVE" : "RESTRICTIVE";
        o.attributes["roles"] = r.str(i, 4);
        std::string def = "CREATE POLICY " + name + " ON " + table + " AS " + o.attributes["as"] +
                          " FOR " + o.attributes["command"] + " TO " + r.str(i, 4);
        if (!r.is_null(i, 5))
            o.attributes["using"] = r.str(i, 5), def += " USING (" + r.str(i, 5) + ")";
        if (!r.is_null(i, 6))
            o.attributes["with check"] = r.str(i, 6), def += " WITH CHECK (" + r.str(i, 6) + ")";
        o.definition = def + ";";
    }
}

}  // namespace snapshot_detail

namespace {

// Objects of the excluded tables (a tool's history table, its sequence,
// indexes and constraints) and, for drizzle, the schema that holds only it.
bool excluded(const SchemaObject& o, const std::set<std::string>& tables) {
    auto unqualified = [](const std::string& name) {
        auto dot = name.rfind('.');
        std::string n = dot == std::string::npos ? name : name.substr(dot + 1);
        if (n.size() >= 2 && n.front() == '"') n = n.substr(1, n.size() - 2);
        return n;
    };
    if (o.kind == "table") return tables.count(unqualified(o.name)) > 0;
    if (!o.parent.empty()) return tables.count(unqualified(o.parent)) > 0;
    return o.kind == "schema" && o.name == "drizzle" && tables.count("__drizzle_migrations");
}

}  // namespace

namespace {

void read_all(pq::Connection& c, const SnapshotOptions& options, Snapshot& snap) {
    snapshot_detail::Reader reader{c, options, snap};
    if (options.live) {
        // Relations another session holds or waits for in ACCESS EXCLUSIVE.
        pq::Result busy = c.exec(
            "SELECT coalesce(array_agg(DISTINCT l.relation), '{}')::text, coalesce(string_agg("
            "DISTINCT l.relation::regclass::text, ', '), '') FROM pg_locks l WHERE l.locktype = "
            "'relation' AND l.mode = 'AccessExclusiveLock' AND l.pid <> pg_backend_pid() AND "
            "l.relation >= 16384 AND l.database = (SELECT oid FROM pg_database WHERE datname = "
            "current_database())");
        reader.busy = busy.str(0, 0);
        if (!busy.get(0, 1).empty()) {
            for (std::string_view rest = busy.get(0, 1); !rest.empty();) {
                auto comma = rest.find(", ");
                snap.skipped.emplace_back(rest.substr(0, comma));
                rest = comma == std::string_view::npos ? "" : rest.substr(comma + 2);
            }
        }
    }
    reader.schemas();
    reader.extensions();
    reader.tables();
    reader.indexes();
    reader.constraints();
    reader.sequences();
    reader.types();
    reader.views();
    reader.routines();
    reader.triggers();
    reader.policies();
}

}  // namespace

Snapshot read_snapshot(pq::Connection& c, const SnapshotOptions& options) {
    Snapshot snap;
    bool outer = c.transaction_status() != pq::TxStatus::idle;
    // A lock taken by another session between the busy check and a deparse
    // call makes that call time out: read again, with the new busy set.
    for (int attempt = 0;; ++attempt) {
        // Names come out schema-qualified with an empty search_path (pg_catalog
        // is still searched), so the text does not depend on the session.
        // https://www.postgresql.org/docs/15/functions-info.html#FUNCTIONS-INFO-CATALOG-TABLE
        if (outer)
            c.exec("SAVEPOINT pgw_snapshot");
        else if (options.live)
            c.exec("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
        else
            c.exec("BEGIN");
        const char* end = outer
                              ? "ROLLBACK TO SAVEPOINT pgw_snapshot; RELEASE SAVEPOINT pgw_snapshot"
                              : "ROLLBACK";
        try {
            if (options.live)
                c.exec("SET LOCAL lock_timeout = '200ms'; SET LOCAL statement_timeout = '60s'");
            c.exec("SET LOCAL search_path = ''");
            snap = Snapshot{};
            read_all(c, options, snap);
            c.exec(end);
            break;
        } catch (const pq::PgError& e) {
            c.exec(end);
            if (!options.live || e.sqlstate != "55P03" || attempt >= 4) throw;
        }
    }
    std::set<std::string> tables(options.exclude_tables.begin(), options.exclude_tables.end());
    if (!tables.empty())
        snap.objects.erase(
            std::remove_if(snap.objects.begin(), snap.objects.end(),
                           [&](const SchemaObject& o) { return excluded(o, tables); }),
            snap.objects.end());
    std::sort(snap.objects.begin(), snap.objects.end(),
              [](const SchemaObject& a, const SchemaObject& b) {
                  return std::tie(a.kind, a.name) < std::tie(b.kind, b.name);
              });
    return snap;
}

}  // namespace pgw
