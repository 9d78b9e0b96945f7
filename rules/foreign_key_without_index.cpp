// foreign-key-without-index: PostgreSQL indexes the referenced side of a foreign
// key (it must be unique) but not the referencing side. Every DELETE or key
// UPDATE on the referenced table then looks for referencing rows with a scan of
// the referencing table, and ON DELETE CASCADE with one per deleted row.
// https://www.postgresql.org/docs/15/ddl-constraints.html#DDL-CONSTRAINTS-FK
// ("the declaration of a foreign key constraint does not automatically create an
// index on the referencing columns")
#include <algorithm>
#include <map>
#include <set>
#include <tuple>

#include "locking_support.h"

namespace pgw {
namespace {

using Columns = std::vector<std::string>;

Columns string_list(node::Element fields, std::string_view key) {
    Columns out;
    for (node::Element item : node::List(fields, key)) {
        node::Element s;
        if (node::as(item, "String", s)) out.emplace_back(node::str(s, "sval"));
    }
    return out;
}

// An index whose leading columns are exactly the key's columns (in any order)
// serves the lookups of `WHERE a = $1 AND b = $2`.
bool leads_with(const Columns& index, const Columns& key) {
    if (key.empty() || index.size() < key.size()) return false;
    // The two sets are equal when each holds the other (no allocation: this
    // runs for every index of the table, per foreign key).
    auto lead_end = index.begin() + static_cast<long>(key.size());
    auto has = [](auto begin, auto end, const std::string& x) {
        return std::find(begin, end, x) != end;
    };
    for (auto it = index.begin(); it != lead_end; ++it)
        if (!has(key.begin(), key.end(), *it)) return false;
    for (const std::string& k : key)
        if (!has(index.begin(), lead_end, k)) return false;
    return true;
}

// Calls `f(constraint, column)` for every constraint a CREATE TABLE or an ALTER
// TABLE ADD CONSTRAINT / ADD COLUMN declares; `column` names the column for a
// constraint written on it (whose key columns the tree leaves empty).
template <class F>
void each_constraint(const Statement& st, F&& f) {
    auto column = [&](node::Element col) {
        for (node::Element item : node::List(col, "constraints")) {
            node::Element c;
            if (node::as(item, "Constraint", c)) f(c, std::string(node::str(col, "colname")));
        }
    };
    if (st.kind == "CreateStmt") {
        for (node::Element item : node::List(st.node, "tableElts")) {
            node::Element c, col;
            if (node::as(item, "Constraint", c)) f(c, std::string());
            if (node::as(item, "ColumnDef", col)) column(col);
        }
    } else if (st.kind == "AlterTableStmt") {
        for (node::Element c : rules::alter_table_defs(st, "AT_AddConstraint", "Constraint"))
            f(c, std::string());
        for (node::Element col : rules::alter_table_defs(st, "AT_AddColumn", "ColumnDef"))
            column(col);
    }
}

// The key columns of each index a statement creates on `table`: CREATE INDEX,
// and PRIMARY KEY / UNIQUE / EXCLUDE constraints of CREATE or ALTER TABLE.
std::vector<Columns> indexes_created(const Statement& st, const std::string& table) {
    std::vector<Columns> out;
    if (rules::target_relation(st) != table) return out;
    if (st.kind == "IndexStmt") {
        Columns keys;
        for (node::Element item : node::List(st.node, "indexParams")) {
            node::Element elem;
            if (node::as(item, "IndexElem", elem)) keys.emplace_back(node::str(elem, "name"));
        }
        out.push_back(keys);  // an expression leaves "" there: it serves no key lookup
        return out;
    }
    each_constraint(st, [&](node::Element c, const std::string& column) {
        std::string_view type = node::str(c, "contype");
        if (type != "CONSTR_PRIMARY" && type != "CONSTR_UNIQUE" && type != "CONSTR_EXCLUSION")
            return;
        Columns keys = string_list(c, "keys");
        if (keys.empty() && !column.empty()) keys.push_back(column);
        for (node::Element ex : node::List(c, "exclusions")) {  // EXCLUDE (col WITH =, ...)
            node::Element pair, elem;
            if (!node::as(ex, "List", pair)) continue;
            for (node::Element part : node::List(pair, "items"))
                if (node::as(part, "IndexElem", elem)) keys.emplace_back(node::str(elem, "name"));
        }
        if (!keys.empty()) out.push_back(keys);
    });
    return out;
}

// The set of an index's first `size` columns, as leads_with compares them.
using Lead = std::pair<std::size_t, std::set<std::string>>;

// Per file: where each (table, section, lead) is last created, so "an index
// built later in the migration" is one lookup instead of a pass over every
// later statement per foreign key.
struct LaterIndexes {
    bool built = false;
    std::map<std::tuple<std::string, Section, Lead>, std::size_t> last;

    void build(const Migration& m) {
        built = true;
        for (std::size_t j = 0; j < m.statements.size(); ++j) {
            const Statement& st = m.statements[j];
            if (!st.parsed()) continue;
            std::string table = rules::target_relation(st);
            Section section = m.unit_of(st).section;
            for (const Columns& ix : indexes_created(st, table))
                for (std::size_t k = 1; k <= ix.size(); ++k)
                    last[{table, section,
                          Lead{k, std::set<std::string>(ix.begin(),
                                                        ix.begin() + static_cast<long>(k))}}] = j;
        }
    }
    bool after(const std::string& table, Section section, const Columns& key,
               std::size_t statement) const {
        if (key.empty()) return false;
        auto it = last.find(
            {table, section, Lead{key.size(), std::set<std::string>(key.begin(), key.end())}});
        return it != last.end() && it->second > statement;
    }
};

struct ForeignKey {
    Columns columns;
    std::string references;
    int64_t location = -1;
};

std::vector<ForeignKey> foreign_keys(const Statement& st) {
    std::vector<ForeignKey> out;
    each_constraint(st, [&](node::Element c, const std::string& column) {
        if (node::str(c, "contype") != "CONSTR_FOREIGN") return;
        ForeignKey fk{string_list(c, "fk_attrs"), rules::locking::relation_field(c, "pktable"),
                      node::integer(c, "location")};
        if (fk.columns.empty() && !column.empty()) fk.columns.push_back(column);
        if (!fk.columns.empty()) out.push_back(std::move(fk));
    });
    return out;
}

class ForeignKeyWithoutIndex final : public Rule {
  public:
    const RuleInfo& info() const override {
        static const RuleInfo i{
            "foreign-key-without-index",
            Category::locking,
            Severity::warning,
            Risk::low,
            "a new foreign key whose referencing columns have no index",
            "index the referencing columns (CREATE INDEX CONCURRENTLY on an existing table, in "
            "its own migration): without it every DELETE on the referenced table, and every "
            "change of its key, scans the referencing table while holding its locks",
            "ALTER TABLE bookings ADD CONSTRAINT bookings_user_fk\n"
            "    FOREIGN KEY (user_id) REFERENCES users (id) NOT VALID;",
            "CREATE INDEX CONCURRENTLY IF NOT EXISTS bookings_user_id_idx ON bookings (user_id);\n"
            "ALTER TABLE bookings ADD CONSTRAINT bookings_user_fk\n"
            "    FOREIGN KEY (user_id) REFERENCES users (id) NOT VALID;"};
        return i;
    }

    StatementFilter statements() const override {
        return StatementFilter::of({"CreateStmt", "AlterTableStmt"});
    }

    void check(const Statement& st, const Context& ctx, Emitter& out) const override {
        std::vector<ForeignKey> keys = foreign_keys(st);
        if (keys.empty()) return;
        std::string table = rules::target_relation(st);
        const schema::Relation* t = ctx.catalog.relation(table);
        // A table the migrations never created may have indexes the model
        // cannot see: no verdict rather than a false alarm.
        if (!t && st.kind != "CreateStmt") return;
        std::string key = t ? t->key : table;
        std::vector<Columns> indexes = indexes_created(st, table);
        // An index built later in the migration counts (create, then index).
        LaterIndexes& later = ctx.notes->memo<LaterIndexes>(this);
        if (!later.built) later.build(ctx.migration);
        Section section = ctx.unit().section;
        bool model_read = false;
        for (const ForeignKey& fk : keys) {
            auto covered = [&] {
                return std::any_of(indexes.begin(), indexes.end(),
                                   [&](const Columns& ix) { return leads_with(ix, fk.columns); });
            };
            if (covered() || later.after(table, section, fk.columns, ctx.statement_index)) continue;
            if (!model_read) {  // the model's indexes, only when the file's own do not do
                model_read = true;
                for (const auto& [name, r] : ctx.catalog.model().relations)
                    if (r.kind == schema::RelKind::index && r.table == key)
                        indexes.push_back(r.index_columns);
            }
            if (covered()) continue;
            Span span = fk.location < 0           ? st.span
                        : st.kind == "CreateStmt" ? rules::clause_span(st, fk.location)
                                                  : rules::command_span_at(st, fk.location);
            out.emit(span, "foreign key " + quote_name(table) + " (" +
                               rules::join_names(fk.columns) + ") REFERENCES " +
                               quote_name(fk.references) +
                               " has no index on its columns: deletes and key updates on " +
                               quote_name(fk.references) + " scan " + quote_name(table));
        }
    }
};

PGW_REGISTER_RULE(ForeignKeyWithoutIndex);

}  // namespace
}  // namespace pgw
