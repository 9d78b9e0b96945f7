// alter-column-type: ALTER COLUMN ... TYPE rewrites the table (and its indexes)
// under an ACCESS EXCLUSIVE lock for most type changes, can fail or silently
// change values during the conversion, and breaks clients that expect the old type.
#include "support_destructive.h"

namespace pgw {
namespace {

// "varchar(20)[]" from a TypeName's fields; the pg_catalog prefix is dropped.
std::string render_type(node::Element type_name) {
    std::string out = rules::sql_type_name(type_name);
    std::string mods;
    for (node::Element mod : node::List(type_name, "typmods")) {
        node::Element c, ival;
        std::string value = "?";
        if (node::as(mod, "A_Const", c) && node::get(c, "ival", ival))
            value = std::to_string(node::integer(ival, "ival", 0));  // 0 is printed as {}
        mods += (mods.empty() ? "" : ", ") + value;
    }
    if (!mods.empty()) out += "(" + mods + ")";
    for (std::size_t i = 0; i < node::List(type_name, "arrayBounds").size(); ++i) out += "[]";
    return out;
}

class AlterColumnType final : public Rule {
  public:
    const RuleInfo& info() const override {
        static const RuleInfo i{
            "alter-column-type",
            Category::dangerous,
            Severity::error,
            Risk::medium,
            "ALTER COLUMN ... TYPE rewrites the table under an exclusive lock and may lose data",
            "add a new column with the new type, backfill it in batches, switch the code over "
            "(writing both columns meanwhile), then drop the old column in a later release. "
            "Only a few changes are free (varchar(n) to a longer varchar or to text). If the "
            "change is intended, acknowledge it with `-- @override-destructive <reason>` and "
            "`-- @rollback-plan: <how to convert back>`",
            "ALTER TABLE orders ALTER COLUMN amount TYPE integer;",
            "ALTER TABLE orders ADD COLUMN amount_cents bigint;\n"
            "-- backfill amount_cents in batches, switch the code, then drop amount later"};
        return i;
    }

    void check(const Statement& st, const Context& ctx, Emitter& out) const override {
        if (rules::alters_new_table(st, ctx)) return;
        std::string table = rules::display_relation(st.node);
        for (node::Element cmd : rules::alter_table_commands(st)) {
            if (node::str(cmd, "subtype") != "AT_AlterColumnType") continue;
            node::Element def, column, type;
            std::string to;
            if (node::get(cmd, "def", def) && node::as(def, "ColumnDef", column) &&
                node::get(column, "typeName", type))
                to = " TYPE " + render_type(type);
            // USING is required exactly when no cast converts the values implicitly:
            // the new type is incompatible with the old one, which is high risk.
            bool using_clause = node::get(column, "raw_default", type);
            out.emit(Emit{
                st.span,
                "ALTER TABLE " + table + " ALTER COLUMN " + std::string(node::str(cmd, "name")) +
                    to +
                    (using_clause ? " converts every value with USING" : " rewrites the table") +
                    " and may change or lose data",
                {},
                using_clause ? Risk::high : Risk::none});
        }
    }
};

PGW_REGISTER_RULE(AlterColumnType);

}  // namespace
}  // namespace pgw
