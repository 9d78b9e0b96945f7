// drop-constraint: ALTER TABLE ... DROP CONSTRAINT removes a guarantee (unique,
// foreign key, check, primary key) that the application and the data rely on;
// rows that break it can be written as soon as the migration commits.
#include <algorithm>

#include "support_destructive.h"

namespace pgw {
namespace {

class DropConstraint final : public Rule {
  public:
    const RuleInfo& info() const override {
        static const RuleInfo i{
            "drop-constraint",
            Category::contract,
            Severity::error,
            Risk::medium,
            "ALTER TABLE ... DROP CONSTRAINT removes a guarantee the data relies on",
            "make sure no code relies on the constraint (uniqueness, referential integrity, "
            "valid values); to change a constraint, add the new one first (NOT VALID, then "
            "VALIDATE CONSTRAINT) and drop the old one afterwards. Acknowledge the drop with "
            "`-- @override-destructive <reason>`",
            "ALTER TABLE orders DROP CONSTRAINT orders_amount_check;",
            "ALTER TABLE orders ADD CONSTRAINT orders_amount_nonneg\n"
            "    CHECK (amount >= 0) NOT VALID;\n"
            "ALTER TABLE orders VALIDATE CONSTRAINT orders_amount_nonneg;\n"
            "-- @override-destructive replaced by orders_amount_nonneg\n"
            "ALTER TABLE orders DROP CONSTRAINT orders_amount_check;"};
        return i;
    }

    StatementFilter statements() const override { return StatementFilter::of({"AlterTableStmt"}); }

    void check(const Statement& st, const Context& ctx, Emitter& out) const override {
        // A down migration drops the constraints its up migration added.
        if (ctx.rollback_file || rules::alters_new_table(st, ctx)) return;
        std::vector<std::string> names = rules::alter_subcommand_names(st, "AT_DropConstraint");
        if (names.empty()) return;
        std::string table = rules::target_relation(st);
        std::vector<std::string> lost;
        bool primary_key = false;
        for (const std::string& n : names) {
            if (folded(ctx, table, n)) continue;
            lost.push_back(n);
            // Dropping a primary key is a primary key change (HIGH).
            const schema::Constraint* c = ctx.catalog.constraint(table, n);
            primary_key = primary_key || (c ? c->type == 'p' : n.ends_with("_pkey"));
        }
        if (lost.empty()) return;
        out.emit(Emit{st.span,
                      "ALTER TABLE " + rules::display_relation(st.node) + " DROP CONSTRAINT " +
                          rules::join_names(lost) + " removes the " +
                          rules::plural("constraint", lost.size()) + ": rows that break " +
                          (lost.size() > 1 ? "them" : "it") + " can be written",
                      {},
                      primary_key ? Risk::high : Risk::none});
    }

  private:
    // Drops that take nothing away the migration does not take anyway:
    // - a constraint this migration (or the change) added;
    // - a constraint added again under the same name later in the migration
    //   (Prisma re-creates a foreign key to change its ON DELETE; the re-added
    //   constraint's locking is constraint-not-valid's to judge);
    // - a constraint whose table, whose constrained columns or (for a foreign
    //   key) whose referenced table is dropped later in it: that drop's finding
    //   stands and says it all (Prisma drops every foreign key before the table).
    static bool folded(const Context& ctx, const std::string& table, const std::string& name) {
        const schema::SchemaModel& model = ctx.catalog.model();
        const schema::Constraint* c = ctx.catalog.constraint(table, name);
        if (c && model.by_change(*c)) return true;
        std::string references = c && c->type == 'f' ? c->references : std::string();
        std::vector<std::string> columns = c ? c->columns : std::vector<std::string>{};
        std::vector<std::string> dropped;  // of the constraint's table, by later statements
        return ctx.any_later([&](const Statement& later) {
            if (later.kind == "DropStmt" && node::str(later.node, "removeType") == "OBJECT_TABLE") {
                for (const std::string& t : rules::drop_targets(later)) {
                    std::string key = normalize_relation(t);
                    if (key == table || (!references.empty() && key == references)) return true;
                }
                return false;
            }
            if (later.kind != "AlterTableStmt" || rules::target_relation(later) != table)
                return false;
            for (node::Element def :
                 rules::alter_table_defs(later, "AT_AddConstraint", "Constraint"))
                if (node::str(def, "conname") == name) return true;
            if (columns.empty()) return false;
            for (std::string& col : rules::alter_subcommand_names(later, "AT_DropColumn"))
                dropped.push_back(std::move(col));
            for (const std::string& col : columns)
                if (std::find(dropped.begin(), dropped.end(), col) == dropped.end()) return false;
            return true;
        });
    }
};

PGW_REGISTER_RULE(DropConstraint);

}  // namespace
}  // namespace pgw
