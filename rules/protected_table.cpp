// protected-table: the tables listed in `protected_tables` (users, payments, ...)
// may only change through a migration someone explicitly signed off. Any DDL or
// DML on them is gated like a contract rule (the engine special-cases this id):
// it fails the check until an @override-destructive acknowledges it.
#include "engine/config.h"
#include "support_destructive.h"

namespace pgw {
namespace {

// A relation a statement acts on.
struct TouchedRelation {
    std::string normalized;  // "users", "audit.users"
    int64_t location = -1;   // of its name in the statement text, -1 if not known
    std::string action;      // what touches it: "ALTER TABLE", "INSERT", ...
};

// What a statement does, for messages: "ALTER TABLE", "DROP TRIGGER", "INSERT".
std::string statement_label(std::string_view k, node::Element n) {
    if (k == "AlterTableStmt") {
        std::string_view type = node::str(n, "objtype");
        return "ALTER " + (type.empty() ? std::string("TABLE") : rules::object_kind_label(type));
    }
    if (k == "DropStmt") return "DROP " + rules::object_kind_label(node::str(n, "removeType"));
    if (k == "RenameStmt") return "RENAME " + rules::object_kind_label(node::str(n, "renameType"));
    if (k == "CommentStmt")
        return "COMMENT ON " + rules::object_kind_label(node::str(n, "objtype"));
    if (k == "GrantStmt") return node::flag(n, "is_grant") ? "GRANT" : "REVOKE";
    if (k == "VacuumStmt") return "VACUUM FULL";
    node::Element bound;
    if (k == "CreateStmt")
        return node::get(n, "partbound", bound) ? "CREATE TABLE ... PARTITION OF"
                                                : "CREATE TABLE ... INHERITS";
    static const std::pair<std::string_view, std::string_view> kLabels[] = {
        {"IndexStmt", "CREATE INDEX"},
        {"TruncateStmt", "TRUNCATE"},
        {"InsertStmt", "INSERT"},
        {"UpdateStmt", "UPDATE"},
        {"DeleteStmt", "DELETE"},
        {"MergeStmt", "MERGE"},
        {"CreateTrigStmt", "CREATE TRIGGER"},
        {"RuleStmt", "CREATE RULE"},
        {"ClusterStmt", "CLUSTER"},
        {"ReindexStmt", "REINDEX"},
        {"CopyStmt", "COPY"},
        {"LockStmt", "LOCK TABLE"},
        {"CreateStatsStmt", "CREATE STATISTICS"},
        {"CreatePolicyStmt", "CREATE POLICY"},
        {"AlterPolicyStmt", "ALTER POLICY"},
        {"SecLabelStmt", "SECURITY LABEL"},
        {"AlterObjectSchemaStmt", "ALTER TABLE ... SET SCHEMA"},
    };
    for (auto [kind, label] : kLabels)
        if (kind == k) return std::string(label);
    return "statement";
}

std::vector<TouchedRelation> touched_relations(const Statement& st) {
    std::vector<TouchedRelation> out;
    const node::Element n = st.node;
    const std::string_view k = st.kind;
    std::string action = statement_label(k, n);
    auto add_range_var = [&](node::Element rel) {
        out.push_back({normalize_relation(node::str(rel, "schemaname"), node::str(rel, "relname")),
                       node::integer(rel, "location"), action});
    };
    auto add_field = [&](node::Element fields, std::string_view key) {
        node::Element rel;
        if (node::get(fields, key, rel)) add_range_var(rel);
    };
    auto add_list = [&](std::string_view key) {
        for (node::Element item : node::List(n, key)) {
            node::Element rel;
            if (node::as(item, "RangeVar", rel)) add_range_var(rel);
        }
    };
    std::string_view objtype = node::str(n, "objtype");
    if (k == "AlterTableStmt" || k == "IndexStmt" || k == "RenameStmt" || k == "CreateTrigStmt" ||
        k == "RuleStmt" || k == "ClusterStmt" ||
        (k == "ReindexStmt" && node::str(n, "kind") == "REINDEX_OBJECT_TABLE") ||
        (k == "AlterObjectSchemaStmt" && node::str(n, "objectType") == "OBJECT_TABLE") ||
        (k == "CopyStmt" && node::flag(n, "is_from"))) {
        add_field(n, "relation");
    } else if (k == "CreatePolicyStmt" || k == "AlterPolicyStmt") {
        add_field(n, "table");
    } else if (k == "TruncateStmt" || k == "LockStmt" || k == "CreateStatsStmt") {
        add_list("relations");
    } else if (k == "CreateStmt") {
        add_list("inhRelations");  // INHERITS / PARTITION OF: the parent, not the new table
    } else if (k == "GrantStmt" && objtype == "OBJECT_TABLE" &&
               node::str(n, "targtype") == "ACL_TARGET_OBJECT") {
        add_list("objects");
    } else if (k == "VacuumStmt") {
        // Only VACUUM FULL rewrites the table; plain VACUUM and ANALYZE change nothing.
        bool full = false;
        for (node::Element opt : node::List(n, "options")) {
            node::Element d;
            full |= node::as(opt, "DefElem", d) && node::str(d, "defname") == "full";
        }
        for (node::Element item : node::List(n, "rels")) {
            node::Element vr;
            if (full && node::as(item, "VacuumRelation", vr)) add_field(vr, "relation");
        }
    } else if (k == "DropStmt") {
        std::string_view type = node::str(n, "removeType");
        std::vector<std::string> keys = rules::drop_keys(st);
        for (const std::string& key : keys) {
            if (type == "OBJECT_TABLE" || type == "OBJECT_FOREIGN_TABLE")
                out.push_back({key, -1, action});
            else if (rules::on_table(type))
                out.push_back({rules::split_last(key).first, -1, action});
        }
    } else if (k == "CommentStmt" || k == "SecLabelStmt") {
        node::Element obj, list;
        if (node::get(n, "object", obj) && node::as(obj, "List", list)) {
            std::string dotted = node::dotted_names(list, "items");
            if (objtype == "OBJECT_TABLE" || objtype == "OBJECT_FOREIGN_TABLE")
                out.push_back({normalize_relation(dotted), -1, action});
            else if (objtype == "OBJECT_COLUMN" || objtype == "OBJECT_TABCONSTRAINT" ||
                     rules::on_table(objtype))
                out.push_back({normalize_relation(rules::split_last(dotted).first), -1, action});
        }
    }
    // DML, also in data-modifying CTEs (WITH d AS (DELETE ...) SELECT ...).
    for (const rules::DataChange& d : rules::all_data_changes(st)) {
        action = statement_label(d.kind, d.fields);
        add_field(d.fields, "relation");
    }
    return out;
}

class ProtectedTable final : public Rule {
  public:
    const RuleInfo& info() const override {
        static const RuleInfo i{
            "protected-table",
            Category::policy,
            Severity::error,
            Risk::high,
            "any DDL or DML on a table listed in the `protected_tables` configuration",
            "changes to protected tables need an explicit sign-off: get the approvals your "
            "process requires, then acknowledge the statement with "
            "`-- @override-destructive <reason, approver, ticket>` directly above it",
            "-- .pgwarden.json: {\"protected_tables\": [\"users\"]}\n"
            "ALTER TABLE users ADD COLUMN nickname text;",
            "-- @override-destructive approved by the data owner (TICKET-12)\n"
            "ALTER TABLE users ADD COLUMN nickname text;"};
        return i;
    }

    void check(const Statement& st, const Context& ctx, Emitter& out) const override {
        if (ctx.config.protected_tables.empty()) return;
        std::vector<std::string> hit;
        const TouchedRelation* first = nullptr;
        std::vector<TouchedRelation> touched = touched_relations(st);
        for (const TouchedRelation& r : touched) {
            if (!ctx.config.is_protected(r.normalized)) continue;
            if (std::find(hit.begin(), hit.end(), r.normalized) != hit.end()) continue;
            if (!first) first = &r;
            hit.push_back(r.normalized);
        }
        if (!first) return;
        // One finding per statement (one override acknowledges it), pointing at the
        // first protected table's name when the parser says where it is.
        Span span = first->location >= 0 ? rules::name_span(st, first->location) : st.span;
        out.emit(span, first->action + " on " + rules::plural("protected table", hit.size()) + " " +
                           rules::join_names(hit) + " needs an explicit override");
    }
};

PGW_REGISTER_RULE(ProtectedTable);

}  // namespace
}  // namespace pgw
