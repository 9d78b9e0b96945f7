// alter-domain-constraint: ALTER DOMAIN ... ADD CONSTRAINT checks every value of the
// domain already stored: each table with a column of the domain is scanned under
// a SHARE lock (validateDomainConstraint), blocking its writes. NOT VALID skips
// the check of existing rows; VALIDATE CONSTRAINT then checks them later.
// https://www.postgresql.org/docs/15/sql-alterdomain.html
// https://github.com/postgres/postgres/blob/REL_15_STABLE/src/backend/commands/typecmds.c
#include "locking_support.h"

namespace pgw {
namespace {

class AlterDomainConstraint final : public Rule {
  public:
    const RuleInfo& info() const override {
        static const RuleInfo i{
            "alter-domain-constraint",
            Category::locking,
            Severity::warning,
            Risk::medium,
            "ALTER DOMAIN ... ADD CONSTRAINT without NOT VALID scans every column of the domain",
            "add the CHECK with NOT VALID (only new values are checked, nothing is scanned), "
            "then run ALTER DOMAIN ... VALIDATE CONSTRAINT in a later migration at a quiet "
            "time: on PostgreSQL 15 the validation still scans each table under SHARE, which "
            "blocks its writes (SHARE UPDATE EXCLUSIVE from PostgreSQL 18), but in a short "
            "transaction of its own; SET NOT NULL has no NOT VALID form, so add a CHECK "
            "(VALUE IS NOT NULL) NOT VALID instead",
            "ALTER DOMAIN email_address ADD CONSTRAINT email_has_at CHECK (VALUE LIKE '%@%');",
            "ALTER DOMAIN email_address ADD CONSTRAINT email_has_at CHECK (VALUE LIKE '%@%') "
            "NOT VALID;\n-- next migration:\n"
            "ALTER DOMAIN email_address VALIDATE CONSTRAINT email_has_at;"};
        return i;
    }

    StatementFilter statements() const override { return StatementFilter::of({"AlterDomainStmt"}); }

    void check(const Statement& st, const Context& ctx, Emitter& out) const override {
        if (st.kind != "AlterDomainStmt") return;
        std::string domain = node::dotted_names(st.node, "typeName");
        // A domain the change created is used only by columns the change created.
        const schema::Type* t = ctx.catalog.model().type(domain);
        if (t && ctx.catalog.model().by_change(*t)) return;
        std::string_view subtype = node::str(st.node, "subtype");
        node::Element def, c;
        if (subtype == "C" && node::get(st.node, "def", def) && node::as(def, "Constraint", c)) {
            if (node::flag(c, "skip_validation")) return;
            std::string_view name = node::str(c, "conname");
            out.emit(st.span, "ALTER DOMAIN " + quote_name(domain) + " ADD CONSTRAINT" +
                                  (name.empty() ? "" : " " + quote_identifier(name)) +
                                  " checks every stored value of the domain, scanning each "
                                  "table that uses it under a lock that blocks writes");
        } else if (subtype == "O") {  // 'N' is DROP NOT NULL
            out.emit(st.span, "ALTER DOMAIN " + domain +
                                  " SET NOT NULL checks every stored value of the domain, "
                                  "scanning each table that uses it under a lock that blocks "
                                  "writes");
        }
    }
};

PGW_REGISTER_RULE(AlterDomainConstraint);

}  // namespace
}  // namespace pgw
