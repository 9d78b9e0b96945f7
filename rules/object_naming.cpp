// object-naming: table, index and constraint names against the team's patterns
// (`object_naming` in the config). Names are what later migrations, ORMs and
// incident runbooks refer to; a convention is only useful when it is kept.
// Unnamed indexes and constraints are judged by the name PostgreSQL gives them.
#include <re2/re2.h>

#include "schema/text.h"
#include "support.h"

namespace pgw {
namespace {

constexpr std::size_t kMaxIdentifierBytes = 63;  // longer names: identifier-too-long's job

// One object to judge: its kind (a key of `object_naming`), its name, and the
// values its pattern's placeholders stand for.
struct Named {
    std::string kind;
    std::string name;
    bool generated = false;  // no name written: PostgreSQL's default
    ObjectNamingValues values;
    int64_t location = -1;  // in the statement's text
};

class Collector {
  public:
    std::vector<Named> found;

    // A Constraint node of table `table`; `column` is set for a column constraint.
    void constraint(node::Element c, const std::string& table, const std::string& column) {
        std::string_view type = node::str(c, "contype");
        Named n;
        std::vector<std::string> columns =
            column.empty() ? node::string_list(c, type == "CONSTR_FOREIGN" ? "fk_attrs" : "keys")
                           : std::vector<std::string>{column};
        std::string label;
        if (type == "CONSTR_PRIMARY")
            n.kind = "primary_key", label = "pkey";
        else if (type == "CONSTR_UNIQUE")
            n.kind = "unique", label = "key";
        else if (type == "CONSTR_FOREIGN")
            n.kind = "foreign_key", label = "fkey";
        else if (type == "CONSTR_CHECK")
            n.kind = "check", label = "check";
        else if (type == "CONSTR_EXCLUSION")
            n.kind = "exclusion", label = "excl";
        else
            return;
        if (!node::str(c, "indexname").empty()) return;  // USING INDEX: the index's name
        n.values.table = table;
        n.values.columns = schema::name_addition(columns);
        node::Element pk;
        if (node::get(c, "pktable", pk)) n.values.ref_table = node::str(pk, "relname");
        n.name = node::str(c, "conname");
        n.location = node::integer(c, "location");
        if (n.name.empty()) {
            // A table CHECK's default name needs the columns its expression uses.
            if (n.kind == "check" && column.empty()) return;
            n.generated = true;
            std::string addition = n.kind == "primary_key"                       ? ""
                                   : n.kind == "foreign_key" && !columns.empty() ? columns[0]
                                                                                 : n.values.columns;
            n.name = schema::object_name(table, addition, label);
        }
        found.push_back(std::move(n));
    }

    void column(node::Element col, const std::string& table) {
        std::string name(node::str(col, "colname"));
        for (node::Element item : node::List(col, "constraints")) {
            node::Element c;
            if (node::as(item, "Constraint", c)) constraint(c, table, name);
        }
    }

    void table_elements(node::Element f, const std::string& table) {
        for (node::Element item : node::List(f, "tableElts")) {
            node::Element e;
            if (node::as(item, "ColumnDef", e))
                column(e, table);
            else if (node::as(item, "Constraint", e))
                constraint(e, table, "");
        }
    }

    void index(node::Element f) {
        node::Element rel;
        if (!node::get(f, "relation", rel)) return;
        Named n;
        n.kind = node::flag(f, "unique") ? "unique_index" : "index";
        n.values.table = node::str(rel, "relname");
        std::vector<std::string> columns;
        for (node::Element p : node::List(f, "indexParams")) {
            node::Element e, expr;
            if (!node::as(p, "IndexElem", e)) continue;
            std::string name(node::str(e, "name"));
            if (name.empty() && node::get(e, "expr", expr)) name = schema::figure_colname(expr);
            columns.push_back(name.empty() ? "expr" : name);
        }
        n.values.columns = schema::name_addition(columns);
        n.name = node::str(f, "idxname");
        if (n.name.empty()) {
            n.generated = true;
            n.name = schema::object_name(n.values.table, n.values.columns, "idx");
        }
        found.push_back(std::move(n));
    }

    void statement(const Statement& st) {
        node::Element rel;
        if (st.kind == "CreateStmt" && node::get(st.node, "relation", rel)) {
            std::string table(node::str(rel, "relname"));
            found.push_back(
                {"table", table, false, {table, "", ""}, node::integer(rel, "location")});
            table_elements(st.node, table);
        } else if (st.kind == "IndexStmt") {
            index(st.node);
        } else if (st.kind == "AlterTableStmt" && node::get(st.node, "relation", rel)) {
            std::string table(node::str(rel, "relname"));
            for (node::Element c : rules::alter_table_defs(st, "AT_AddConstraint", "Constraint"))
                constraint(c, table, "");
            for (node::Element c : rules::alter_table_defs(st, "AT_AddColumn", "ColumnDef"))
                column(c, table);
        } else if (st.kind == "RenameStmt" && node::str(st.node, "renameType") == "OBJECT_TABLE") {
            std::string name(node::str(st.node, "newname"));
            found.push_back({"table", name, false, {name, "", ""}, -1});
        }
    }
};

class ObjectNaming final : public Rule {
  public:
    const RuleInfo& info() const override {
        static const RuleInfo i{
            "object-naming",
            Category::naming,
            Severity::off,
            Risk::none,
            "table, index and constraint names that do not match the configured patterns",
            "set the patterns in `object_naming` (keys table, index, unique_index, primary_key, "
            "unique, foreign_key, check, exclusion; unique_index falls back to index). A pattern "
            "is a full-match RE2 where {table}, {columns} (joined with _) and {ref_table} stand "
            "for the object's own values, e.g. \"idx_{table}_{columns}\". An unnamed index or "
            "constraint is judged by the name PostgreSQL gives it: name it explicitly.",
            "-- object_naming: {\"index\": \"idx_{table}_{columns}\"}\n"
            "CREATE INDEX CONCURRENTLY IF NOT EXISTS users_by_email ON users (email);",
            "CREATE INDEX CONCURRENTLY IF NOT EXISTS idx_users_email ON users (email);"};
        return i;
    }

    void check(const Statement& st, const Context& ctx, Emitter& out) const override {
        const auto& patterns = ctx.config.object_naming;
        if (patterns.empty()) return;
        Collector c;
        c.statement(st);
        for (const Named& n : c.found) {
            auto it = patterns.find(n.kind);
            if (it == patterns.end() && n.kind == "unique_index") it = patterns.find("index");
            if (it == patterns.end() || n.name.size() >= kMaxIdentifierBytes) continue;
            std::string regex = object_naming_regex(it->second, n.values);
            re2::RE2::Options opts;
            opts.set_log_errors(false);
            re2::RE2 re(regex, opts);
            if (!re.ok() || re2::RE2::FullMatch(n.name, re)) continue;
            std::string what = n.kind == "primary_key"    ? "primary key"
                               : n.kind == "foreign_key"  ? "foreign key"
                               : n.kind == "unique_index" ? "unique index"
                               : n.kind == "unique"       ? "unique constraint"
                               : n.kind == "check"        ? "check constraint"
                               : n.kind == "exclusion"    ? "exclusion constraint"
                                                          : n.kind;
            out.emit(st.span_at(n.location),
                     n.generated ? "unnamed " + what + " gets PostgreSQL's name " + n.name +
                                       ", which does not match " + it->second + ": name it"
                                 : what + " " + n.name + " does not match " + it->second);
        }
    }
};

PGW_REGISTER_RULE(ObjectNaming);

}  // namespace
}  // namespace pgw
