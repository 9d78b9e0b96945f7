#include "verify/static_mismatch.h"

#include <algorithm>

#include "schema/text.h"

namespace pgw {

namespace {

using schema::LockMode;

bool table_like(const std::string& kind) {
    return kind == "table" || kind == "partitioned table" || kind == "materialized view";
}

// The strongest mode the statement took on the relation.
LockMode strongest(const RelationTrace& r) {
    LockMode best = LockMode::none;
    for (const std::string& m : r.locks) best = std::max(best, schema::lock_from_name(m));
    return best;
}

std::string unquote(std::string_view part) {
    if (part.size() >= 2 && part.front() == '"' && part.back() == '"') {
        std::string out;
        for (std::size_t i = 1; i + 1 < part.size(); ++i) {
            out += part[i];
            if (part[i] == '"' && part[i + 1] == '"') ++i;
        }
        return out;
    }
    return std::string(part);
}

std::string held_text(LockMode mode) {
    return mode == LockMode::none ? "no lock" : "only " + std::string(schema::lock_sql(mode));
}

}  // namespace

std::string model_key(const std::string& traced_name) {
    // Split at the first dot outside quotes.
    bool quoted = false;
    for (std::size_t i = 0; i < traced_name.size(); ++i) {
        if (traced_name[i] == '"') quoted = !quoted;
        if (traced_name[i] == '.' && !quoted)
            return normalize_relation(unquote(std::string_view(traced_name).substr(0, i)),
                                      unquote(std::string_view(traced_name).substr(i + 1)));
    }
    return unquote(traced_name);
}

std::map<std::size_t, schema::Effects> StaticReplay::replay(const VerifyScript& script) {
    std::map<std::size_t, schema::Effects> out;
    existed_.clear();
    for (const auto& [key, r] : model_.relations) existed_.insert(key);
    // verify names a relation as it was when the migration began: a
    // relation renamed by an earlier statement is still traced under its old
    // name, so predictions are keyed the same way.
    std::map<std::string, std::string> original;
    auto traced_as = [&](const std::string& key) {
        auto it = original.find(key);
        return it == original.end() ? key : it->second;
    };
    scripts_.push_back(&script);
    // Relations that existed and that this migration dropped: one created
    // again under the name is new, and verify does not trace it.
    std::set<std::string> gone;
    model_.begin_migration(ordinal_++, true);
    if (!script.source) return out;
    const Migration& m = *script.source;
    std::size_t top = 0;
    for (std::size_t i = 0; i < m.statements.size(); ++i) {
        const Statement& st = m.statements[i];
        // Statements run by a DO block count towards the DO statement.
        if (st.do_depth == 0) top = st.span.begin;
        if (m.is_down(st)) continue;
        schema::Effects e = schema::predict_effects(st, model_, pg_version_);
        std::erase_if(e.relations,
                      [&](const schema::RelationEffect& r) { return gone.count(r.relation) > 0; });
        schema::Effects& into = out[top];
        into.concurrent = into.concurrent || e.concurrent;
        into.opaque = into.opaque || e.opaque;
        for (schema::RelationEffect& r : e.relations) {
            r.relation = traced_as(r.relation);
            auto it = std::find_if(
                into.relations.begin(), into.relations.end(),
                [&](const schema::RelationEffect& x) { return x.relation == r.relation; });
            if (it == into.relations.end()) {
                into.relations.push_back(std::move(r));
            } else {
                it->lock = std::max(it->lock, r.lock);
                it->rewrite = it->rewrite || r.rewrite;
                it->scan = it->scan || r.scan;
                it->maybe_scan = it->maybe_scan || r.maybe_scan;
                it->maybe_rewrite = it->maybe_rewrite || r.maybe_rewrite;
            }
        }
        // A renamed relation keeps the name it was traced under.
        std::string renamed_from, renamed_to;
        if (st.kind == "RenameStmt" || st.kind == "AlterObjectSchemaStmt") {
            node::Element rv;
            if (node::get(st.node, "relation", rv)) {
                renamed_from =
                    model_.relation_key(node::str(rv, "schemaname"), node::str(rv, "relname"));
            }
        }
        model_.step(m, i);
        if (st.kind == "DropStmt" || st.kind == "DropOwnedStmt")
            for (const std::string& k : existed_)
                if (!model_.relations.count(k)) gone.insert(k);
        if (!renamed_from.empty() && !model_.relations.count(renamed_from)) {
            std::string_view newname = node::str(st.node, "newname");
            std::string_view newschema = node::str(st.node, "newschema");
            renamed_to = st.kind == "RenameStmt"
                             ? normalize_relation(schema::schema_of(renamed_from), newname)
                             : normalize_relation(newschema, schema::bare_name(renamed_from));
            if (model_.relations.count(renamed_to)) original[renamed_to] = traced_as(renamed_from);
        }
    }
    model_.end_migration();
    model_.settle(ordinal_ - 1);
    return out;
}

namespace {

// One statement's disagreements, appended to `out`.
void compare(const StatementTrace& t, const schema::Effects& p,
             const std::set<std::string>& existed, std::vector<Mismatch>& out) {
    // Data changes, queries and code lock and scan as their plans like: not
    // a schema claim. A failed statement did not finish what it would do.
    if (p.opaque || !t.error.empty() || t.kind.empty()) return;
    // What the transaction holds once the statement ended, per relation.
    std::map<std::string, LockMode> now;
    for (const auto& [name, mode] : t.held_before)
        now[model_key(name)] = schema::lock_from_name(mode);
    for (const RelationTrace& r : t.relations)
        for (const std::string& m : r.held)
            now[model_key(r.name)] = std::max(now[model_key(r.name)], schema::lock_from_name(m));
    std::vector<std::string> said;
    std::set<std::string> seen;
    for (const RelationTrace& r : t.relations) {
        if (!table_like(r.kind)) continue;
        std::string key = model_key(r.name);
        seen.insert(key);
        const schema::RelationEffect* e = p.on(key);
        LockMode got = strongest(r);
        LockMode want = e ? e->lock : LockMode::none;
        // Locks that let writes through differ in harmless ways (ACCESS SHARE
        // for a catalog lookup): only the blocking ones are claims. A weaker
        // mode newly taken beside a stronger one already held is no news.
        if (schema::blocks_writes(got) && got > want)
            said.push_back(
                "took " + std::string(schema::lock_sql(got)) + " on " + key + ", predicted " +
                std::string(want == LockMode::none ? "no lock" : schema::lock_sql(want)));
        // A statement outside a transaction is watched from another session,
        // which may miss a brief lock: only what it saw is a claim.
        else if (!t.concurrent && schema::blocks_writes(want) && now[key] < want)
            said.push_back("held " + held_text(now[key]) + " on " + key + ", predicted " +
                           std::string(schema::lock_sql(want)));
        if (e && e->maybe_rewrite && !e->rewrite) {
            // Either answer agrees with "a rewrite unless TimeZone is UTC".
        } else if (r.rewritten != (e && e->rewrite))
            said.push_back(std::string(r.rewritten ? "rewrote " : "did not rewrite ") + key +
                           (r.rewritten ? ", not predicted" : ", predicted a rewrite"));
        // A scan nobody predicted, under a lock that stops writes. A predicted
        // scan that did not show may have read through an index.
        else if (!r.rewritten && r.seq_scans > 0 && schema::blocks_writes(now[key]) &&
                 !(e && (e->scan || e->maybe_scan)))
            said.push_back("scanned " + key + " under " + std::string(schema::lock_sql(now[key])) +
                           ", not predicted");
    }
    // Predicted on a relation that existed, and PostgreSQL did nothing there.
    for (const schema::RelationEffect& e : p.relations) {
        if (seen.count(e.relation) || !existed.count(e.relation)) continue;
        if (!t.concurrent && schema::blocks_writes(e.lock) && now[e.relation] < e.lock)
            said.push_back("held " + held_text(now[e.relation]) + " on " + e.relation +
                           ", predicted " + std::string(schema::lock_sql(e.lock)));
        else if (e.rewrite)
            said.push_back("did not rewrite " + e.relation + ", predicted a rewrite");
    }
    if (said.empty()) return;
    std::string msg;
    for (const std::string& s : said) msg += (msg.empty() ? "" : "; ") + s;
    out.push_back({t.span, "PostgreSQL " + msg});
}

}  // namespace

std::vector<Mismatch> static_mismatches(const std::vector<StatementTrace>& traces,
                                        const std::map<std::size_t, schema::Effects>& predicted,
                                        const std::set<std::string>& existed) {
    std::vector<Mismatch> out;
    static const schema::Effects none;
    for (const StatementTrace& t : traces) {
        auto it = predicted.find(t.span.begin);
        compare(t, it == predicted.end() ? none : it->second, existed, out);
    }
    return out;
}

}  // namespace pgw
