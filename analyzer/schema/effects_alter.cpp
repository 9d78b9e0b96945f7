// ALTER TABLE's effects, subcommand by subcommand. Lock levels from
// src/backend/commands/tablecmds.c (AlterTableGetLockLevel) and the ALTER TABLE
// docs; every level, rewrite and scan here was observed on PostgreSQL 15.
#include <algorithm>

#include "schema/effects_predictor.h"
#include "schema/text.h"
#include "schema/type_change.h"
#include "schema/volatility.h"

namespace pgw::schema::detail {

namespace {

bool one_of(std::string_view s, std::initializer_list<std::string_view> list) {
    return std::find(list.begin(), list.end(), s) != list.end();
}

// Subcommands that only need SHARE UPDATE EXCLUSIVE: reads and writes go on.
bool weak(std::string_view sub) {
    return one_of(sub, {"AT_SetStatistics", "AT_SetOptions", "AT_ResetOptions", "AT_SetRelOptions",
                        "AT_ResetRelOptions", "AT_ClusterOn", "AT_DropCluster",
                        "AT_ValidateConstraint", "AT_DetachPartitionFinalize"});
}

// Subcommands that stay on a partitioned parent; the others recurse to every
// partition with the same lock (observed on PostgreSQL 15; tablecmds.c
// ATPrepCmd's `recurse` cases).
bool stays_on_parent(std::string_view sub) {
    return one_of(sub, {"AT_ChangeOwner", "AT_EnableRowSecurity", "AT_DisableRowSecurity",
                        "AT_ForceRowSecurity", "AT_NoForceRowSecurity", "AT_ReplicaIdentity",
                        "AT_AttachPartition", "AT_DetachPartition", "AT_DetachPartitionFinalize",
                        "AT_SetRelOptions", "AT_ResetRelOptions", "AT_ReplaceRelOptions",
                        "AT_ClusterOn", "AT_DropCluster", "AT_SetTableSpace", "AT_SetLogged",
                        "AT_SetUnLogged", "AT_GenericOptions", "AT_SetAccessMethod"});
}

bool serial_type(node::Element coldef) {
    node::Element tn;
    if (!node::get(coldef, "typeName", tn)) return false;
    std::string_view name = node::last_name(tn, "names");
    return one_of(name, {"serial", "bigserial", "smallserial", "serial2", "serial4", "serial8"});
}

}  // namespace

void Predictor::alter_command(const std::string& table, node::Element cmd) {
    std::string_view sub = node::str(cmd, "subtype");
    node::Element def, fields;
    bool has_def = node::get(cmd, "def", def);
    if (sub == "AT_AddColumn" && has_def && node::as(def, "ColumnDef", fields)) {
        // ADD COLUMN IF NOT EXISTS of a column that is there does nothing
        // but lock the table (a notice says it was skipped).
        if (node::flag(cmd, "missing_ok"))
            if (const Relation* t = find(table); t && !t->uncertain)
                for (const Column& c : t->columns)
                    if (!c.dropped && !c.uncertain && c.name == node::str(fields, "colname"))
                        return void(touch(table, LockMode::access_exclusive, "ADD COLUMN"));
        return add_column(table, fields);
    }
    if (sub == "AT_AddConstraint" && has_def && node::as(def, "Constraint", fields))
        return add_constraint(table, fields, false, false);
    if (sub == "AT_DropConstraint") return drop_constraint(table, cmd);
    if (weak(sub)) {
        RelationEffect& e = touch(table, LockMode::share_update_exclusive, "ALTER TABLE");
        // VALIDATE CONSTRAINT reads every row, without blocking writes; a
        // foreign key's check also joins the referenced table, opened with ROW
        // SHARE (tablecmds.c ATExecValidateConstraint).
        if (sub == "AT_ValidateConstraint") {
            e.scan = true;
            if (const Relation* t = find(table))
                for (const Constraint& c : t->constraints)
                    if (c.type == 'f' && c.name == node::str(cmd, "name") &&
                        !c.references.empty() && c.references != table)
                        touch(c.references, LockMode::row_share, "VALIDATE CONSTRAINT").maybe_scan =
                            true;
        }
        return;
    }
    if (sub.starts_with("AT_EnableTrig") || sub.starts_with("AT_DisableTrig") ||
        sub == "AT_EnableAlwaysTrig" || sub == "AT_EnableReplicaTrig") {
        touch(table, LockMode::share_row_exclusive, "ENABLE/DISABLE TRIGGER");
        return;
    }
    if (sub == "AT_AttachPartition" || sub == "AT_DetachPartition") {
        node::Element part, rv;
        std::string child =
            has_def && node::as(def, "PartitionCmd", part) && node::get(part, "name", rv)
                ? key(rv)
                : std::string();
        bool concurrently = node::flag(part, "concurrent");
        if (sub == "AT_AttachPartition") {
            // The parent only needs SHARE UPDATE EXCLUSIVE (PostgreSQL 12+); the
            // partition is locked and scanned to check its rows fit the bound.
            touch(table, pg_ >= 12 ? LockMode::share_update_exclusive : LockMode::access_exclusive,
                  "ATTACH PARTITION");
            if (!child.empty())
                touch(child, LockMode::access_exclusive, "ATTACH PARTITION").scan = true;
        } else {
            LockMode lock =
                concurrently ? LockMode::share_update_exclusive : LockMode::access_exclusive;
            out_.concurrent = out_.concurrent || concurrently;
            touch(table, lock, "DETACH PARTITION");
            // CONCURRENTLY still takes ACCESS EXCLUSIVE on the partition itself,
            // briefly, in its second transaction (observed in pg_locks on 15).
            if (!child.empty()) touch(child, LockMode::access_exclusive, "DETACH PARTITION");
        }
        return;
    }
    RelationEffect& e = touch(table, LockMode::access_exclusive, "ALTER TABLE");
    std::string column(node::str(cmd, "name"));
    if (sub == "AT_AlterColumnType") {
        TypeChangeVerdict v = classify_type_change(cmd, table, m_);
        if (v.depends_on_timezone && pg_ >= 12)
            e.maybe_rewrite = true,
            e.why = "ALTER COLUMN ... TYPE (a rewrite unless TimeZone is UTC)";
        else if (v.kind != TypeChange::catalog)
            e.rewrite = true, e.why = "ALTER COLUMN ... TYPE";
        else
            // Without a rewrite, the indexes and CHECK constraints on the
            // column are still re-checked, which may read the table
            // (observed on 15: varchar to text under a unique index).
            e.maybe_scan = true;
        foreign_keys_rebuilt(table, column);
    } else if (sub == "AT_SetNotNull") {
        // A validated CHECK (col IS NOT NULL) spares the scan (PostgreSQL 12+).
        bool proven = false;
        if (const Relation* t = find(table); t && pg_ >= 12)
            for (const Constraint& c : t->constraints)
                proven = proven || (c.type == 'c' && c.valid && !c.uncertain &&
                                    std::count(c.proves_not_null.begin(), c.proves_not_null.end(),
                                               column) > 0);
        if (!proven) e.scan = true, e.why = "SET NOT NULL";
    } else if (sub == "AT_DropColumn") {
        // A foreign key on the column goes with it, and with it its triggers
        // on the referenced table, under ACCESS EXCLUSIVE (observed on 15).
        if (const Relation* t = find(table))
            for (const Constraint& c : t->constraints)
                if (c.type == 'f' && !c.references.empty() && c.references != table &&
                    std::count(c.columns.begin(), c.columns.end(), column) > 0)
                    touch(c.references, LockMode::access_exclusive, "DROP COLUMN (foreign key)");
    } else if (one_of(sub, {"AT_SetLogged", "AT_SetUnLogged", "AT_SetTableSpace",
                            "AT_SetAccessMethod"})) {
        e.rewrite = true;
        e.why = "ALTER TABLE ... SET";
    }
}

// ALTER COLUMN TYPE drops and re-adds the foreign keys on the column, and
// those pointing at it: their triggers on the other table are re-created
// under ACCESS EXCLUSIVE, and the re-added key may be checked against it
// (tablecmds.c ATPostAlterTypeCleanup; observed on PostgreSQL 15).
void Predictor::foreign_keys_rebuilt(const std::string& table, const std::string& column) {
    auto has = [&](const std::vector<std::string>& v) {
        return std::count(v.begin(), v.end(), column) > 0;
    };
    if (const Relation* t = find(table))
        for (const Constraint& c : t->constraints)
            if (c.type == 'f' && !c.references.empty() && c.references != table && has(c.columns))
                touch(c.references, LockMode::access_exclusive,
                      "ALTER COLUMN ... TYPE (foreign key)")
                    .maybe_scan = true;
    for (const auto& [k, r] : m_.relations) {
        if (k == table) continue;
        for (const Constraint& c : r.constraints)
            if (c.type == 'f' && c.references == table && has(c.ref_columns))
                touch(k, LockMode::access_exclusive, "ALTER COLUMN ... TYPE (foreign key)")
                    .maybe_scan = true;
    }
}

void Predictor::add_column(const std::string& table, node::Element coldef) {
    RelationEffect& e = touch(table, LockMode::access_exclusive, "ADD COLUMN");
    node::Element expr;
    bool has_default = node::get(coldef, "raw_default", expr);
    bool volatile_default = has_default && classify_volatility(expr).is_volatile;
    bool rewrite = serial_type(coldef);
    bool not_null = node::flag(coldef, "is_not_null");
    std::vector<node::Element> constraints;
    for (node::Element item : node::List(coldef, "constraints")) {
        node::Element con;
        if (!node::as(item, "Constraint", con)) continue;
        std::string_view type = node::str(con, "contype");
        node::Element raw;
        if (type == "CONSTR_DEFAULT" && node::get(con, "raw_expr", raw)) {
            has_default = true;
            volatile_default = volatile_default || classify_volatility(raw).is_volatile;
        } else if (type == "CONSTR_GENERATED" || type == "CONSTR_IDENTITY") {
            rewrite = true;  // computed, or drawn from a sequence, row by row
        } else {
            if (type == "CONSTR_NOTNULL") not_null = true;
            constraints.push_back(con);
        }
    }
    // A NOT NULL column without a default is checked row by row (it fails on
    // any row); with a default the value proves it.
    if (not_null && !has_default) e.scan = true;
    // Before PostgreSQL 11 any default was written into every row.
    if (volatile_default || (has_default && pg_ < 11)) rewrite = true;
    if (rewrite) e.rewrite = true, e.why = "ADD COLUMN";
    for (node::Element con : constraints) add_constraint(table, con, true, has_default);
}

void Predictor::add_constraint(const std::string& table, node::Element con, bool inline_column,
                               bool column_default) {
    std::string_view type = node::str(con, "contype");
    bool not_valid = node::flag(con, "skip_validation");
    if (type == "CONSTR_FOREIGN") {
        std::string ref = key_of(con, "pktable");
        // Both tables are locked against writes; the rows are checked unless NOT
        // VALID, or unless the column is new without a default (all NULL).
        bool checked = !not_valid && (!inline_column || column_default);
        RelationEffect& e =
            touch(table, inline_column ? LockMode::access_exclusive : LockMode::share_row_exclusive,
                  "ADD FOREIGN KEY");
        e.scan = e.scan || checked;
        // The check joins the referenced table as the planner likes.
        if (!ref.empty() && ref != table) {
            RelationEffect& r = touch(ref, LockMode::share_row_exclusive, "ADD FOREIGN KEY");
            r.maybe_scan = r.maybe_scan || checked;
        } else if (ref == table) {
            e.maybe_scan = true;
        }
        return;
    }
    RelationEffect& e = touch(table, LockMode::access_exclusive, "ADD CONSTRAINT");
    if (type == "CONSTR_CHECK") {
        // Even on a new column: PostgreSQL checks every row's value.
        if (!not_valid) e.scan = true;
    } else if (type == "CONSTR_PRIMARY" || type == "CONSTR_UNIQUE") {
        if (node::str(con, "indexname").empty()) {
            e.scan = true;  // the index is built
        } else if (type == "CONSTR_PRIMARY") {
            // USING INDEX: no build, but nullable key columns get SET NOT NULL.
            if (const Relation* ix =
                    find(m_.relation_key(schema_of(table), node::str(con, "indexname"))))
                for (const std::string& col : ix->index_columns)
                    if (const Column* c = column(table, col); !c || !c->not_null) e.scan = true;
        }
    } else if (type == "CONSTR_EXCLUSION") {
        e.scan = true;  // the index is built
    }
}

void Predictor::drop_constraint(const std::string& table, node::Element cmd) {
    touch(table, LockMode::access_exclusive, "DROP CONSTRAINT");
    const Relation* t = find(table);
    if (!t) return;
    std::string_view name = node::str(cmd, "name");
    for (const Constraint& c : t->constraints) {
        if (c.name != name) continue;
        // A foreign key's triggers on the referenced table go with it.
        if (c.type == 'f' && !c.references.empty() && c.references != table)
            touch(c.references, LockMode::access_exclusive, "DROP CONSTRAINT (foreign key)");
        // CASCADE drops the foreign keys that rely on a key's index.
        if ((c.type == 'p' || c.type == 'u') && node::str(cmd, "behavior") == "DROP_CASCADE")
            for (const auto& [k, r] : m_.relations)
                for (const Constraint& fk : r.constraints)
                    if (fk.type == 'f' && fk.references == table && k != table)
                        touch(k, LockMode::access_exclusive, "DROP CONSTRAINT ... CASCADE");
    }
}

void Predictor::alter_table() {
    const node::Element n = st_.node;
    std::string_view objtype = node::str(n, "objtype");
    node::Element rv;
    if (!node::get(n, "relation", rv)) return;
    std::string table = key(rv);
    if (table.empty()) return;
    if (objtype == "OBJECT_INDEX") {
        // ALTER INDEX ... SET/RESET and ATTACH PARTITION: SHARE UPDATE EXCLUSIVE.
        touch(table, LockMode::share_update_exclusive, "ALTER INDEX");
        return;
    }
    if (objtype != "OBJECT_TABLE" && objtype != "OBJECT_MATVIEW" &&
        objtype != "OBJECT_FOREIGN_TABLE")
        return;
    bool recurse = node::flag(rv, "inh") && partitioned(table);
    for (node::Element item : node::List(n, "cmds")) {
        node::Element cmd;
        if (!node::as(item, "AlterTableCmd", cmd)) continue;
        alter_command(table, cmd);
        if (recurse && !stays_on_parent(node::str(cmd, "subtype")))
            for (const std::string& p : partitions(table)) alter_command(p, cmd);
    }
    // A partitioned parent has no rows of its own to rewrite or read.
    if (RelationEffect* e = find_effect(table); e && partitioned(table))
        e->rewrite = e->scan = e->maybe_scan = e->maybe_rewrite = false;
}

}  // namespace pgw::schema::detail
