// drop-constraint: ALTER TABLE ... DROP CONSTRAINT removes a guarantee (unique,
// foreign key, check, primary key) that the application and the data rely on;
// rows that break it can be written as soon as the migration commits.
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

    void check(const Statement& st, const Context& ctx, Emitter& out) const override {
        // A down migration drops the constraints its up migration added.
        if (ctx.rollback_file || rules::alters_new_table(st, ctx)) return;
        std::vector<std::string> names = rules::alter_subcommand_names(st, "AT_DropConstraint");
        if (names.empty()) return;
        // The default name of a primary key: dropping it is a primary key change (HIGH).
        bool primary_key = false;
        for (const auto& n : names) primary_key |= n.ends_with("_pkey");
        out.emit(Emit{st.span,
                      "ALTER TABLE " + rules::display_relation(st.node) + " DROP CONSTRAINT " +
                          rules::join_names(names) + " removes the " +
                          rules::plural("constraint", names.size()) + ": rows that break " +
                          (names.size() > 1 ? "them" : "it") + " can be written",
                      {},
                      primary_key ? Risk::high : Risk::none});
    }
};

PGW_REGISTER_RULE(DropConstraint);

}  // namespace
}  // namespace pgw
