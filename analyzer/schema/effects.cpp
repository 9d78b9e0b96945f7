#include <algorithm>
#include <set>

#include "schema/effects_predictor.h"
#include "schema/replay.h"
#include "schema/text.h"
#include "schema/type_change.h"
#include "schema/volatility.h"

namespace pgw::schema {

namespace {

// pg_locks' mode names, in LockMode order.
constexpr std::string_view kNames[] = {"",
                                       "AccessShareLock",
                                       "RowShareLock",
                                       "RowExclusiveLock",
                                       "ShareUpdateExclusiveLock",
                                       "ShareLock",
                                       "ShareRowExclusiveLock",
                                       "ExclusiveLock",
                                       "AccessExclusiveLock"};
constexpr std::string_view kSql[] = {
    "",      "ACCESS SHARE",        "ROW SHARE", "ROW EXCLUSIVE",   "SHARE UPDATE EXCLUSIVE",
    "SHARE", "SHARE ROW EXCLUSIVE", "EXCLUSIVE", "ACCESS EXCLUSIVE"};

}  // namespace

namespace detail {

bool option_on(node::Element fields, std::string_view list, std::string_view name) {
    for (node::Element item : node::List(fields, list)) {
        node::Element def, arg, v;
        if (!node::as(item, "DefElem", def) || node::str(def, "defname") != name) continue;
        if (!node::get(def, "arg", arg)) return true;
        if (node::as(arg, "String", v)) {
            std::string_view s = node::str(v, "sval");
            return s != "false" && s != "off" && s != "no" && s != "0";
        }
        if (node::as(arg, "Integer", v)) return node::integer(v, "ival", 0) != 0;
        if (node::as(arg, "Boolean", v)) return node::flag(v, "boolval");
        return true;
    }
    return false;
}

Effects Predictor::run() {
    const std::string_view k = st_.kind;
    const node::Element n = st_.node;
    if (k == "AlterTableStmt") {
        alter_table();
    } else if (k == "IndexStmt") {
        create_index();
    } else if (k == "DropStmt") {
        drop();
    } else if (k == "CreateStmt") {
        create_table();
    } else if (k == "TruncateStmt") {
        bool cascade = node::str(n, "behavior") == "DROP_CASCADE";
        for (node::Element item : node::List(n, "relations")) {
            node::Element rv;
            if (!node::as(item, "RangeVar", rv)) continue;
            std::string table = key(rv);
            std::vector<std::string> emptied{table};
            if (node::flag(rv, "inh"))
                for (std::string& p : partitions(table)) emptied.push_back(std::move(p));
            // CASCADE empties the tables whose foreign keys point here.
            if (cascade)
                for (const auto& [other, r] : m_.relations)
                    for (const Constraint& c : r.constraints)
                        if (c.type == 'f' && c.references == table && other != table)
                            emptied.push_back(other);
            for (const std::string& t : emptied)
                touch(t, LockMode::access_exclusive, "TRUNCATE").rewrite = !partitioned(t);
        }
    } else if (k == "VacuumStmt") {
        bool full = option_on(n, "options", "full");
        bool vacuum = node::flag(n, "is_vacuumcmd");
        out_.concurrent = vacuum;  // VACUUM cannot run in a transaction block
        for (node::Element item : node::List(n, "rels")) {
            node::Element vr;
            if (!node::as(item, "VacuumRelation", vr)) continue;
            std::string rel = key_of(vr, "relation");
            if (full)
                touch(rel, LockMode::access_exclusive, "VACUUM FULL").rewrite = true;
            else
                touch(rel, LockMode::share_update_exclusive, vacuum ? "VACUUM" : "ANALYZE");
        }
    } else if (k == "ClusterStmt") {
        std::string rel = key_of(n, "relation");
        if (!rel.empty()) touch(rel, LockMode::access_exclusive, "CLUSTER").rewrite = true;
    } else if (k == "ReindexStmt") {
        bool concurrently = option_on(n, "params", "concurrently");
        out_.concurrent = concurrently;
        std::string_view what = node::str(n, "kind");
        std::string rel = key_of(n, "relation");
        LockMode lock = concurrently ? LockMode::share_update_exclusive : LockMode::share;
        if (what == "REINDEX_OBJECT_TABLE" && !rel.empty()) {
            touch(rel, lock, "REINDEX TABLE").scan = true;
        } else if (what == "REINDEX_OBJECT_INDEX" && !rel.empty()) {
            const Relation* ix = find(rel);
            if (ix && !ix->table.empty()) touch(ix->table, lock, "REINDEX INDEX").scan = true;
        }
    } else if (k == "RefreshMatViewStmt") {
        bool concurrently = node::flag(n, "concurrent");
        RelationEffect& e = touch(key_of(n, "relation"),
                                  concurrently ? LockMode::exclusive : LockMode::access_exclusive,
                                  "REFRESH MATERIALIZED VIEW");
        e.rewrite = !concurrently;
        // Its query reads the tables it is built on, as its plan likes
        // (touch() may move `e`: its key is copied first).
        const std::string view = e.relation;
        if (const Relation* mv = find(view))
            for (const std::string& name : mv->uses)
                if (const Relation* t = m_.relation(name);
                    t && t->kind == RelKind::table && t->key != view)
                    touch(t->key, LockMode::access_share, "REFRESH MATERIALIZED VIEW").maybe_scan =
                        true;
    } else if (k == "LockStmt") {
        auto mode = static_cast<LockMode>(std::clamp<int64_t>(node::integer(n, "mode", 8), 0, 8));
        for (node::Element item : node::List(n, "relations")) {
            node::Element rv;
            if (node::as(item, "RangeVar", rv)) touch(key(rv), mode, "LOCK TABLE");
        }
    } else if (k == "CreateTrigStmt") {
        std::string table = key_of(n, "relation");
        touch(table, LockMode::share_row_exclusive, "CREATE TRIGGER");
        // A row trigger on a partitioned table is cloned onto each partition.
        if (node::flag(n, "row") && partitioned(table))
            for (const std::string& p : partitions(table))
                touch(p, LockMode::share_row_exclusive, "CREATE TRIGGER");
    } else if (k == "CreatePolicyStmt" || k == "AlterPolicyStmt") {
        touch(key_of(n, "table"), LockMode::access_exclusive, "CREATE POLICY");
    } else if (k == "CreateStatsStmt") {
        for (node::Element item : node::List(n, "relations")) {
            node::Element rv;
            if (node::as(item, "RangeVar", rv))
                touch(key(rv), LockMode::share_update_exclusive, "CREATE STATISTICS");
        }
    } else if (k == "CommentStmt" && node::str(n, "objtype") == "OBJECT_TABLE") {
        node::Element obj, list;
        if (node::get(n, "object", obj) && node::as(obj, "List", list))
            touch(m_.relation_key(schema_of(normalize_relation(node::dotted_names(list, "items"))),
                                  bare_name(normalize_relation(node::dotted_names(list, "items")))),
                  LockMode::share_update_exclusive, "COMMENT ON TABLE");
    } else if (k == "RenameStmt") {
        std::string_view type = node::str(n, "renameType");
        std::string rel = key_of(n, "relation");
        if (type == "OBJECT_INDEX")
            touch(rel, LockMode::share_update_exclusive, "ALTER INDEX ... RENAME");
        else if (!rel.empty() && (type == "OBJECT_TABLE" || type == "OBJECT_COLUMN" ||
                                  type == "OBJECT_TABCONSTRAINT" || type == "OBJECT_VIEW" ||
                                  type == "OBJECT_MATVIEW")) {
            touch(rel, LockMode::access_exclusive, "RENAME");
            // A column is renamed in every partition too.
            if (type == "OBJECT_COLUMN" && partitioned(rel))
                for (const std::string& p : partitions(rel))
                    touch(p, LockMode::access_exclusive, "RENAME");
        }
    } else if (k == "AlterObjectSchemaStmt" && node::str(n, "objectType") == "OBJECT_TABLE") {
        touch(key_of(n, "relation"), LockMode::access_exclusive, "SET SCHEMA");
    } else if (k == "AlterDomainStmt") {
        alter_domain();
    } else if (k == "InsertStmt" || k == "UpdateStmt" || k == "DeleteStmt" || k == "MergeStmt") {
        touch(key_of(n, "relation"), LockMode::row_exclusive);
        out_.opaque = true;  // what the query reads is its plan's business
    } else if (k == "CopyStmt" && node::flag(n, "is_from")) {
        touch(key_of(n, "relation"), LockMode::row_exclusive);
        out_.opaque = true;
    } else if (k == "DoStmt" || k == "SelectStmt" || k == "CallStmt" || k == "ExecuteStmt" ||
               k == "CopyStmt" || k == "CreateTableAsStmt" || k == "ExplainStmt") {
        // Code and queries: which functions run, under which guards, and
        // what the plans read cannot be told from the statement.
        out_.opaque = true;
    }
    std::erase_if(out_.relations, [](const RelationEffect& e) { return e.relation.empty(); });
    return out_;
}

void Predictor::create_index() {
    const node::Element n = st_.node;
    bool concurrently = node::flag(n, "concurrent");
    out_.concurrent = concurrently;
    node::Element rv;
    if (!node::get(n, "relation", rv)) return;
    std::string table = key(rv);
    LockMode lock = concurrently ? LockMode::share_update_exclusive : LockMode::share;
    const Relation* t = find(table);
    bool only = !node::flag(rv, "inh");
    // ON ONLY a partitioned parent builds nothing: an invalid index, instantly.
    RelationEffect& e = touch(table, lock, "CREATE INDEX");
    e.scan = !(only && t && t->partitioned) && !(t && t->partitioned);
    if (t && t->partitioned && !only)
        for (const std::string& p : partitions(table)) touch(p, lock, "CREATE INDEX").scan = true;
}

void Predictor::drop() {
    const node::Element n = st_.node;
    std::string_view type = node::str(n, "removeType");
    bool concurrently = node::flag(n, "concurrent");
    out_.concurrent = concurrently;
    for (node::Element obj : node::List(n, "objects")) {
        node::Element list;
        if (!node::as(obj, "List", list)) continue;
        std::string dotted = normalize_relation(node::dotted_names(list, "items"));
        std::string rel = m_.relation_key(schema_of(dotted), bare_name(dotted));
        if (type == "OBJECT_INDEX") {
            const Relation* ix = find(rel);
            if (ix && !ix->table.empty()) {
                touch(ix->table,
                      concurrently ? LockMode::share_update_exclusive : LockMode::access_exclusive,
                      "DROP INDEX");
                // CASCADE drops the foreign keys that rely on a unique index,
                // and their triggers on the tables holding them.
                if (node::str(n, "behavior") == "DROP_CASCADE" && ix->unique) {
                    const std::string table = ix->table;
                    std::vector<std::string> key = ix->index_columns;
                    std::sort(key.begin(), key.end());
                    auto same_key = [&](std::vector<std::string> cols) {
                        std::sort(cols.begin(), cols.end());
                        return cols == key;
                    };
                    for (const auto& [k, r] : m_.relations)
                        for (const Constraint& c : r.constraints)
                            if (c.type == 'f' && c.references == table && k != table &&
                                same_key(c.ref_columns))
                                touch(k, LockMode::access_exclusive, "DROP INDEX ... CASCADE");
                }
            }
        } else if (type == "OBJECT_TABLE" || type == "OBJECT_VIEW" || type == "OBJECT_MATVIEW" ||
                   type == "OBJECT_FOREIGN_TABLE" || type == "OBJECT_SEQUENCE") {
            touch(rel, LockMode::access_exclusive, "DROP");
            if (node::str(n, "behavior") == "DROP_CASCADE") lock_dependent_views(rel);
            if (type == "OBJECT_TABLE") {
                for (const std::string& p : partitions(rel))
                    touch(p, LockMode::access_exclusive, "DROP");
                lock_references(rel, node::str(n, "behavior") == "DROP_CASCADE");
            }
        } else if (type == "OBJECT_TRIGGER") {
            auto dot = dotted.rfind('.');
            if (dot == std::string::npos) continue;
            std::string table = normalize_relation(dotted.substr(0, dot));
            // DROP TRIGGER IF EXISTS of a trigger that is not there keeps no
            // lock (observed on PostgreSQL 15); the model can say so only for
            // a table it saw created, with nothing it could not follow.
            const Relation* t = find(table);
            bool absent = node::flag(n, "missing_ok") && t && !t->uncertain &&
                          t->creator != Origin::kBefore && m_.unknown_effects() == 0 &&
                          !m_.triggers.count({table, dotted.substr(dot + 1)});
            if (!absent) touch(table, LockMode::access_exclusive, "DROP TRIGGER");
        } else if (type == "OBJECT_POLICY") {
            auto dot = dotted.rfind('.');
            if (dot != std::string::npos)
                touch(normalize_relation(dotted.substr(0, dot)), LockMode::access_exclusive,
                      "DROP POLICY");
        }
    }
}

// DROP ... CASCADE drops the views and materialized views built on the
// relation, and those built on them, each under ACCESS EXCLUSIVE (observed
// on PostgreSQL 15). A view's `uses` are the names its query mentions.
void Predictor::lock_dependent_views(const std::string& relation) {
    std::set<std::string> seen{relation};
    std::vector<std::string> todo{relation};
    while (!todo.empty()) {
        std::string name(bare_name(todo.back()));
        todo.pop_back();
        for (const auto& [k, r] : m_.relations) {
            if ((r.kind != RelKind::view && r.kind != RelKind::matview) || seen.count(k)) continue;
            if (!std::binary_search(r.uses.begin(), r.uses.end(), name)) continue;
            seen.insert(k);
            todo.push_back(k);
            touch(k, LockMode::access_exclusive, "DROP ... CASCADE");
        }
    }
}

// Dropping a table drops its foreign keys' triggers on the tables they
// reference, and with CASCADE the foreign keys pointing at it: each of those
// tables is locked ACCESS EXCLUSIVE (observed on PostgreSQL 15).
void Predictor::lock_references(const std::string& table, bool cascade) {
    const Relation* t = find(table);
    if (t)
        for (const Constraint& c : t->constraints)
            if (c.type == 'f' && !c.references.empty() && c.references != table)
                touch(c.references, LockMode::access_exclusive, "DROP TABLE (its foreign keys)");
    if (!cascade) return;
    for (const auto& [other, r] : m_.relations)
        for (const Constraint& c : r.constraints)
            if (c.type == 'f' && c.references == table && other != table)
                touch(other, LockMode::access_exclusive, "DROP TABLE ... CASCADE");
}

void Predictor::create_table() {
    const node::Element n = st_.node;
    std::string self = key_of(n, "relation");
    node::Element bound;
    bool partition = node::get(n, "partbound", bound);
    for (node::Element parent : node::List(n, "inhRelations")) {
        node::Element rv;
        if (!node::as(parent, "RangeVar", rv)) continue;
        // PARTITION OF locks the parent exclusively; INHERITS does not.
        touch(key(rv), partition ? LockMode::access_exclusive : LockMode::share_update_exclusive,
              partition ? "CREATE TABLE ... PARTITION OF" : "CREATE TABLE ... INHERITS");
    }
    // A foreign key locks the table it references against writes.
    auto reference = [&](node::Element con) {
        if (node::str(con, "contype") != "CONSTR_FOREIGN") return;
        std::string ref = key_of(con, "pktable");
        if (!ref.empty() && ref != self)
            touch(ref, LockMode::share_row_exclusive, "a FOREIGN KEY to it");
    };
    for (node::Element elt : node::List(n, "tableElts")) {
        node::Element e;
        if (node::as(elt, "Constraint", e)) reference(e);
        if (node::as(elt, "ColumnDef", e))
            for (node::Element c : node::List(e, "constraints")) {
                node::Element con;
                if (node::as(c, "Constraint", con)) reference(con);
            }
    }
}

void Predictor::alter_domain() {
    const node::Element n = st_.node;
    // ADD CONSTRAINT (unless NOT VALID), VALIDATE CONSTRAINT and SET NOT NULL
    // check every stored value under SHARE on each table using the domain, on
    // PostgreSQL 15 (typecmds.c validateDomainConstraint, get_rels_with_domain).
    std::string_view subtype = node::str(n, "subtype");
    node::Element def, con;
    if (subtype == "C" && (!node::get(n, "def", def) || !node::as(def, "Constraint", con) ||
                           node::flag(con, "skip_validation")))
        return;
    if (subtype != "C" && subtype != "V" && subtype != "O") return;
    std::string domain = normalize_relation(node::dotted_names(n, "typeName"));
    std::string type_key = m_.type_key(schema_of(domain), bare_name(domain));
    // Every column of the domain is checked, under SHARE on its table.
    for (const auto& [k, r] : m_.relations)
        for (const Column& c : r.columns)
            if (c.type == type_key || c.type == domain) {
                touch(k, LockMode::share, "ALTER DOMAIN").scan = true;
                break;
            }
}

}  // namespace detail

std::string_view lock_name(LockMode mode) {
    return kNames[static_cast<int>(mode)];
}
std::string_view lock_sql(LockMode mode) {
    return kSql[static_cast<int>(mode)];
}
LockMode lock_from_name(std::string_view name) {
    for (int i = 0; i < 9; ++i)
        if (kNames[i] == name) return static_cast<LockMode>(i);
    return LockMode::none;
}

const RelationEffect* Effects::on(std::string_view relation) const {
    for (const RelationEffect& e : relations)
        if (e.relation == relation) return &e;
    return nullptr;
}

Effects predict_effects(const Statement& st, const SchemaModel& model, int pg_version) {
    if (!st.parsed()) return {};
    return detail::Predictor(st, model, pg_version).run();
}

}  // namespace pgw::schema
