// Differences between two schema models, and the rollback check built on them.
#include <algorithm>
#include <set>

#include "frontend/parse.h"
#include "schema/compare.h"

namespace pgw::schema {

namespace {

std::string kind_label(RelKind k) {
    switch (k) {
        case RelKind::table:
            return "table";
        case RelKind::foreign_table:
            return "foreign table";
        case RelKind::view:
            return "view";
        case RelKind::matview:
            return "materialized view";
        case RelKind::index:
            return "index";
        case RelKind::sequence:
            return "sequence";
    }
    return "relation";
}

std::string or_none(const std::string& s) {
    return s.empty() ? "none" : s;
}

std::string joined(const std::vector<std::string>& v) {
    std::string out;
    for (const std::string& s : v) out += (out.empty() ? "" : ", ") + s;
    return out;
}

// "UNIQUE ON users (email) WHERE (deleted IS NULL)".
std::string describe_index(const Relation& ix) {
    std::string out =
        (ix.unique ? "UNIQUE ON " : "ON ") + ix.table + " (" + joined(ix.index_columns) + ")";
    if (!ix.detail.empty()) out += " " + ix.detail;
    if (!ix.constraint.empty()) out += " for constraint " + ix.constraint;
    return out;
}

// "FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE".
std::string describe_constraint(const Constraint& c) {
    std::string cols = "(";
    cols += joined(c.columns);
    cols += ")";
    switch (c.type) {
        case 'p':
            return "PRIMARY KEY " + cols;
        case 'u':
            return "UNIQUE " + cols;
        case 'x':
            return "EXCLUDE " + cols;
        case 'f':
            return "FOREIGN KEY " + cols + " REFERENCES " + c.references + " (" +
                   joined(c.ref_columns) + ")" + (c.detail.empty() ? "" : " " + c.detail);
        case 'c':
            return "CHECK " + c.detail;
    }
    return cols;
}

bool skipped(const Origin& o) {
    return o.uncertain;
}
bool skipped(const Relation& r) {
    return r.uncertain || r.temporary;
}

template <class Key, class Value, class Tomb>
std::vector<std::string> tombs(const Key& k, const Value& v, Tomb tomb) {
    return {tomb(k, v)};
}
template <class Tomb>
std::vector<std::string> tombs(const std::string& k, const Relation& r, Tomb tomb) {
    if (r.table.empty()) return {tomb(k, r)};
    return {tomb(k, r), "relation:" + r.table};
}
template <class Tomb>
std::vector<std::string> tombs(const TableObjectKey& k, const Simple& s, Tomb tomb) {
    return {tomb(k, s), "relation:" + k.first};
}

bool buried(const SchemaModel& m, const std::vector<std::string>& names) {
    for (const std::string& n : names)
        if (m.dropped_unknown.count(n)) return true;
    return false;
}

class Differ {
  public:
    std::vector<std::string> out;

    // Objects present on one side only, or on both: `same` compares them.
    // `tomb` names an object in SchemaModel::dropped_unknown (and the table
    // it belongs to: a table's implicit index comes back with the table).
    // `before`: entries of a map sorted like `after` (ModelPart).
    template <class Map, class Name, class Same, class Tomb>
    void objects(const Entries<Map>& before, const Map& after, const SchemaModel& to, Name name,
                 Same same, Tomb tomb) {
        // Both sides are sorted the same way: walk them side by side.
        auto bi = before.begin();
        auto a = after.begin();
        auto less = after.key_comp();
        while (bi != before.end() || a != after.end()) {
            bool only_b = a == after.end() || (bi != before.end() && less((*bi)->first, a->first));
            bool only_a = !only_b && (bi == before.end() || less(a->first, (*bi)->first));
            if (only_b) {
                const auto& b = **bi;
                if (!skipped(b.second)) out.push_back(name(b.first, b.second) + " was removed");
                ++bi;
            } else if (only_a) {
                if (!skipped(a->second) && !buried(to, tombs(a->first, a->second, tomb)))
                    out.push_back(name(a->first, a->second) + " is left over");
                ++a;
            } else {
                const auto& b = **bi;
                // Most objects are untouched: skip them before building any text.
                if (!skipped(b.second) && !skipped(a->second) && !(b.second == a->second))
                    same(name(b.first, b.second), b.second, a->second);
                ++bi;
                ++a;
            }
        }
    }

    void change(const std::string& what, const std::string& aspect, const std::string& from,
                const std::string& to) {
        if (from != to)
            out.push_back(what + (aspect.empty() ? "" : " " + aspect) + " changed from " +
                          or_none(from) + " to " + or_none(to));
    }

    void columns(const std::string& owner, const std::string& label,
                 const std::vector<Column>& before, bool before_partial,
                 const std::vector<Column>& after, bool after_partial) {
        auto find = [](const std::vector<Column>& cols, const std::string& n) -> const Column* {
            for (const Column& c : cols)
                if (c.name == n) return &c;
            return nullptr;
        };
        std::set<std::string> names;
        for (const Column& c : before) names.insert(c.name);
        for (const Column& c : after) names.insert(c.name);
        for (const std::string& n : names) {
            const Column* b = find(before, n);
            const Column* a = find(after, n);
            if ((b && b->uncertain) || (a && a->uncertain) || (a && b && *a == *b)) continue;
            if (b && b->dropped) b = nullptr;
            if (a && a->dropped) a = nullptr;
            std::string what = label + " " + owner + "." + n;
            if (b && a) {
                change(what, "type", b->type, a->type);
                change(what, "nullability", b->not_null ? "NOT NULL" : "NULL",
                       a->not_null ? "NOT NULL" : "NULL");
                change(what, "default", b->default_expr, a->default_expr);
                change(what, "generated expression", b->generated, a->generated);
                change(what, "identity", b->identity, a->identity);
            } else if (b && !after_partial) {
                out.push_back(what + " was removed");
            } else if (a && !before_partial) {
                out.push_back(what + " is left over");
            }
        }
    }

    void constraints(const Relation& before, const Relation& after) {
        std::map<std::string, const Constraint*> b, a;
        for (const Constraint& c : before.constraints) b[c.name] = &c;
        for (const Constraint& c : after.constraints) a[c.name] = &c;
        std::set<std::string> names;
        for (auto& [n, c] : b) names.insert(n);
        for (auto& [n, c] : a) names.insert(n);
        for (const std::string& n : names) {
            const Constraint* cb = b.count(n) ? b[n] : nullptr;
            const Constraint* ca = a.count(n) ? a[n] : nullptr;
            if ((cb && cb->uncertain) || (ca && ca->uncertain)) continue;
            std::string what = "constraint " + n + " on " + after.key;
            if (cb && ca) {
                if (!(*cb == *ca))
                    change(what, "", describe_constraint(*cb), describe_constraint(*ca));
            } else {
                out.push_back(what + (cb ? " was removed" : " is left over"));
            }
        }
    }

    void relation(const std::string& what, const Relation& b, const Relation& a) {
        if (b.kind != a.kind) {
            out.push_back(b.key + " changed from " + kind_label(b.kind) + " to " +
                          kind_label(a.kind));
            return;
        }
        if (b.kind == RelKind::index) {
            change(what, "", describe_index(b), describe_index(a));
            return;
        }
        if (b.kind == RelKind::view || b.kind == RelKind::matview) {
            if (b.detail != a.detail) out.push_back(what + " definition changed");
            return;
        }
        if (b.kind == RelKind::sequence) return;
        columns(b.key, "column", b.columns, b.columns_partial, a.columns, a.columns_partial);
        constraints(b, a);
    }

    void type(const std::string& what, const Type& b, const Type& a) {
        if (b.kind != a.kind) {
            out.push_back(what + " changed kind");
            return;
        }
        for (const std::string& v : a.values)
            if (std::find(b.values.begin(), b.values.end(), v) == b.values.end())
                out.push_back("value '" + v + "' of " + what + " is left over");
        for (const std::string& v : b.values)
            if (std::find(a.values.begin(), a.values.end(), v) == a.values.end())
                out.push_back("value '" + v + "' of " + what + " was removed");
        columns(what.substr(what.find(' ') + 1), "attribute", b.attributes, false, a.attributes,
                false);
        change(what, "base type", b.base, a.base);
        change(what, "nullability", b.not_null ? "NOT NULL" : "NULL",
               a.not_null ? "NOT NULL" : "NULL");
        change(what, "default", b.default_expr, a.default_expr);
        change(what, "constraints", joined(b.checks), joined(a.checks));
    }
};

std::string type_label(TypeKind k) {
    switch (k) {
        case TypeKind::enumeration:
            return "enum";
        case TypeKind::composite:
            return "type";
        case TypeKind::domain:
            return "domain";
        case TypeKind::range:
            return "range type";
        case TypeKind::base:
            return "type";
    }
    return "type";
}

}  // namespace

std::vector<std::string> diff(const SchemaModel& before, const SchemaModel& after) {
    return diff(whole_model(before), after);
}

std::vector<std::string> diff(const ModelPart& before, const SchemaModel& after) {
    const SchemaModel& whole = *before.whole;
    Differ d;
    auto tomb = [](std::string kind) {
        return [kind](const std::string& k, const auto&) { return kind + ":" + k; };
    };
    auto nothing = [](const std::string&, const Simple&, const Simple&) {};
    d.objects(
        all_entries(whole.schemas), after.schemas, after,
        [](const std::string& k, const Simple&) { return "schema " + k; }, nothing, tomb("schema"));
    d.objects(
        all_entries(whole.extensions), after.extensions, after,
        [](const std::string& k, const Simple&) { return "extension " + k; }, nothing,
        tomb("extension"));
    d.objects(
        before.relations, after.relations, after,
        [](const std::string& k, const Relation& r) { return kind_label(r.kind) + " " + k; },
        [&](const std::string& what, const Relation& b, const Relation& a) {
            d.relation(what, b, a);
        },
        tomb("relation"));
    d.objects(
        all_entries(whole.types), after.types, after,
        [](const std::string& k, const Type& t) { return type_label(t.kind) + " " + k; },
        [&](const std::string& what, const Type& b, const Type& a) { d.type(what, b, a); },
        tomb("type"));
    auto routine_label = [](const std::string&, const Routine& r) {
        std::string kind = r.kind == 'p' ? "procedure" : r.kind == 'a' ? "aggregate" : "function";
        return kind + " " + r.name + "(" + r.args + ")";
    };
    d.objects(
        before.routines, after.routines, after, routine_label,
        [&](const std::string& what, const Routine& b, const Routine& a) {
            if (b.detail != a.detail) d.out.push_back(what + " definition changed");
        },
        [](const std::string&, const Routine& r) { return "routine:" + r.name; });
    auto on_table = [](std::string kind) {
        return [kind](const TableObjectKey& k, const Simple&) {
            return kind + " " + k.second + " on " + k.first;
        };
    };
    auto same_detail = [&](const std::string& what, const Simple& b, const Simple& a) {
        if (b.detail != a.detail) d.out.push_back(what + " definition changed");
    };
    auto on_table_tomb = [](std::string kind) {
        return [kind](const TableObjectKey& k, const Simple&) {
            return kind + ":" + k.first + "." + k.second;
        };
    };
    d.objects(before.triggers, after.triggers, after, on_table("trigger"), same_detail,
              on_table_tomb("trigger"));
    d.objects(before.policies, after.policies, after, on_table("policy"), same_detail,
              on_table_tomb("policy"));
    std::sort(d.out.begin(), d.out.end());
    d.out.erase(std::unique(d.out.begin(), d.out.end()), d.out.end());
    return d.out;
}

RollbackCheck check_rollback(SchemaModel& model, const Migration& up, const Migration& down,
                             Section up_part, Section down_part) {
    // What the history before `up` could not follow is already recorded as
    // uncertain objects; only what up and down themselves do decides whether
    // this check can be trusted (the trial starts with no unknown effects).
    SchemaModel::Trial trial(model);
    model.replay(up, up_part);
    model.replay(down, down_part);
    RollbackCheck r;
    if (model.unknown_effects() > 0) {
        r.uncertain = true;
        r.reasons = model.unknown_reasons();
        return r;
    }
    // Only what the trial touched can differ: the rest is the same object.
    SchemaModel before, after;
    model.trial_changes(before, after);
    r.differences = diff(before, after);
    return r;
}

RollbackCheck check_rollback_after(SchemaModel& model, const SchemaModel::Recording& up,
                                   const Migration& down) {
    SchemaModel::Trial trial(model);
    model.replay(down, Section::up);
    RollbackCheck r;
    if (up.unknown_effects() > 0 || model.unknown_effects() > 0) {
        // The reasons in the order met, as one trial of both would keep them.
        r.uncertain = true;
        r.reasons = up.unknown_reasons();
        for (const std::string& reason : model.unknown_reasons())
            if (r.reasons.size() < SchemaModel::kMaxReasons) r.reasons.push_back(reason);
        return r;
    }
    SchemaModel before, after;
    model.changes_since(up, before, after);
    r.differences = diff(before, after);
    return r;
}

}  // namespace pgw::schema
