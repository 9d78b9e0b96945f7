// lock-held-across-statements: a table lock lasts until the transaction ends, not
// until the statement that took it does. After an ALTER TABLE takes ACCESS
// EXCLUSIVE on an existing table, every later statement of the same transaction
// runs with that table closed to readers and writers: a backfill, an index build,
// or a wait for another table's lock turns a brief ALTER into an outage.
// https://www.postgresql.org/docs/15/explicit-locking.html ("Once acquired, a lock
// is normally held until the end of the transaction")
#include <set>

#include "locking_support.h"
#include "schema/effects.h"

namespace pgw {
namespace {

// Statements that end the transaction or only change session state: holding the
// lock through them costs nothing.
bool harmless(const Statement& st) {
    return st.kind == "TransactionStmt" || st.kind == "VariableSetStmt" ||
           st.kind == "VariableShowStmt" || st.kind == "CommentStmt" || st.kind == "GrantStmt" ||
           st.kind == "GrantRoleStmt" || st.kind == "AlterOwnerStmt";
}

bool inserts_values(const Statement& st) {
    node::Element select, fields;
    return node::get(st.node, "selectStmt", select) && node::as(select, "SelectStmt", fields) &&
           node::List(fields, "valuesLists").size() > 0;
}

bool ends_transaction(const Statement& st) {
    if (st.kind != "TransactionStmt" || st.do_depth != 0) return false;
    std::string_view kind = node::str(st.node, "kind");
    return kind == "TRANS_STMT_COMMIT" || kind == "TRANS_STMT_ROLLBACK" ||
           kind == "TRANS_STMT_PREPARE";
}

class LockHeldAcrossStatements final : public Rule {
  public:
    const RuleInfo& info() const override {
        static const RuleInfo i{
            "lock-held-across-statements",
            Category::locking,
            Severity::warning,
            Risk::medium,
            "in one transaction, slow statements run after one took ACCESS EXCLUSIVE on an "
            "existing table",
            "the ACCESS EXCLUSIVE lock is held until COMMIT: put the statement that takes it "
            "last in its transaction, or commit right after it and run the backfill, index "
            "build or other table's change in a transaction (or migration) of its own",
            "BEGIN;\nALTER TABLE orders ADD COLUMN region text;\n"
            "UPDATE orders SET region = 'eu' WHERE region IS NULL;\nCOMMIT;",
            "BEGIN;\nALTER TABLE orders ADD COLUMN region text;\nCOMMIT;\n"
            "-- next migration, in batches:\n"
            "UPDATE orders SET region = 'eu' WHERE id BETWEEN 1 AND 10000 AND region IS NULL;"};
        return i;
    }

    void check(const Statement& st, const Context& ctx, Emitter& out) const override {
        // A dropped table's readers fail once the DROP commits anyway.
        if (!ctx.in_transaction || st.do_depth != 0 || st.kind == "DropStmt") return;
        // Once per transaction: its first such lock is held through all the
        // rest, so one finding says what to split (and a transaction already
        // reported needs no look at the statements after this one).
        const std::string note = "transaction " + std::to_string(ctx.transaction_begin);
        if (ctx.notes->seen(this, note)) return;
        const schema::SchemaModel& model = ctx.catalog.model();
        schema::Effects effects = schema::predict_effects(st, model, ctx.config.pg_version);
        std::string locked;
        for (const schema::RelationEffect& r : effects.relations)
            if (r.lock == schema::LockMode::access_exclusive &&
                !rules::created_by_change(ctx, r.relation)) {
                locked = r.relation;
                break;
            }
        if (locked.empty()) return;
        const Statement* slow = first_slow_statement_after(ctx, locked);
        if (!slow) return;
        ctx.notes->remember(this, note);
        out.emit(st.span,
                 "ACCESS EXCLUSIVE on " + locked +
                     " is held until the transaction "
                     "ends, through the " +
                     describe(*slow, ctx) + " that follows it on line " +
                     std::to_string(ctx.migration.source.position_at(slow->span.begin).line) +
                     ": " + locked + " is closed to reads and writes meanwhile");
    }

  private:
    // A later statement of the same transaction that may take long or wait:
    // data changes, scans, rewrites and index builds, locks on other existing
    // tables. Null when the transaction ends first.
    static const Statement* first_slow_statement_after(const Context& ctx,
                                                       const std::string& locked) {
        const auto& all = ctx.migration.statements;
        const Statement& self = all[ctx.statement_index];
        std::set<std::string> created_since;  // the model before `self` does not know them
        for (std::size_t i = ctx.statement_index + 1; i < all.size(); ++i) {
            const Statement& next = all[i];
            // The tool commits at the end of the unit.
            if (next.unit != self.unit) return nullptr;
            if (!next.parsed() || next.do_depth != 0) continue;
            if (ends_transaction(next)) return nullptr;
            if (harmless(next)) continue;
            if (next.kind == "CreateStmt" || next.kind == "CreateTableAsStmt" ||
                next.kind == "ViewStmt") {
                created_since.insert(rules::target_relation(next));
            }
            // Data changes run as long as the data is big (a plain INSERT ...
            // VALUES is as quick as the rows it lists).
            if (next.kind == "InsertStmt" && inserts_values(next)) continue;
            if (next.kind == "InsertStmt" || next.kind == "UpdateStmt" ||
                next.kind == "DeleteStmt" || next.kind == "MergeStmt" || next.kind == "CopyStmt" ||
                next.kind == "CallStmt")
                return &next;
            schema::Effects e =
                schema::predict_effects(next, ctx.catalog.model(), ctx.config.pg_version);
            for (const schema::RelationEffect& r : e.relations) {
                if (rules::created_by_change(ctx, r.relation) || created_since.count(r.relation))
                    continue;
                // A later change of the locked table needs that lock itself.
                if (r.relation == locked) continue;
                if (r.rewrite || r.scan || schema::blocks_writes(r.lock)) return &next;
            }
        }
        return nullptr;
    }

    static std::string describe(const Statement& st, const Context&) {
        if (st.kind == "UpdateStmt") return "UPDATE";
        if (st.kind == "InsertStmt") return "INSERT";
        if (st.kind == "DeleteStmt") return "DELETE";
        if (st.kind == "IndexStmt") return "CREATE INDEX";
        if (st.kind == "AlterTableStmt") return "ALTER TABLE " + rules::target_relation(st);
        std::string kind(st.kind);
        if (kind.ends_with("Stmt")) kind.resize(kind.size() - 4);
        return kind + " statement";
    }
};

PGW_REGISTER_RULE(LockHeldAcrossStatements);

}  // namespace
}  // namespace pgw
