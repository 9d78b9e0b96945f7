// Comparing two snapshots: object by object on their normalised attributes,
// each difference named, and marked breaking when going from left to right
// removes something clients may rely on: a drop, a narrowing, a lost or
// changed constraint.
#include <algorithm>
#include <map>
#include <regex>
#include <set>
#include <tuple>

#include "verify/snapshot.h"

namespace pgw {

namespace {

struct TypeName {
    std::string base;          // "character varying", "timestamp without time zone"
    long long p = -1, s = -1;  // typmod numbers, -1 when absent
};

// "numeric(10,2)" -> {numeric, 10, 2}; "timestamp(3) with time zone" keeps
// its words around the modifier.
TypeName parse_type(const std::string& t) {
    static const std::regex mod(R"(^(.*?)\((\d+)(?:,(\d+))?\)(.*)$)");
    std::smatch m;
    if (!std::regex_match(t, m, mod)) return {t};
    return {m.str(1) + m.str(4), std::stoll(m.str(2)), m[3].matched ? std::stoll(m.str(3)) : -1};
}

// Type changes that keep every value the old type could hold. Anything else
// (a different type, a smaller length or precision) is a narrowing.
// https://www.postgresql.org/docs/15/datatype-numeric.html
bool widens(const std::string& from, const std::string& to) {
    static const std::map<std::string, int> integers = {
        {"smallint", 1}, {"integer", 2}, {"bigint", 3}};
    auto fi = integers.find(from), ti = integers.find(to);
    if (fi != integers.end() && ti != integers.end()) return ti->second >= fi->second;
    if (fi != integers.end() && to == "numeric") return true;
    if (from == "real" && to == "double precision") return true;
    TypeName a = parse_type(from), b = parse_type(to);
    bool text_like = a.base == "character varying" || a.base == "character";
    if (text_like && (to == "text" || (b.base == "character varying" && b.p < 0))) return true;
    if (a.base != b.base) return false;
    if (b.p < 0) return true;  // varchar(n) -> varchar, numeric(p,s) -> numeric
    if (a.p < 0) return false;
    if (a.base == "numeric") return b.s == a.s && b.p >= a.p;
    return b.p >= a.p;
}

std::vector<std::string> labels_of(const std::string& list) {
    std::vector<std::string> out;
    static const std::regex label(R"('((?:[^']|'')*)')");
    for (auto it = std::sregex_iterator(list.begin(), list.end(), label);
         it != std::sregex_iterator(); ++it)
        out.push_back(it->str(1));
    return out;
}

bool breaking_change(const SchemaObject& o, const std::string& key, const std::string* before,
                     const std::string* after) {
    if (o.kind == "constraint" || o.kind == "policy") return true;
    if (key == "type" && before && after) return !widens(*before, *after);
    if (key == "not null" && before && after) return *before == "no" && *after == "yes";
    if (key == "labels" && before && after) {
        auto now = labels_of(*after);
        for (const auto& l : labels_of(*before))
            if (std::find(now.begin(), now.end(), l) == now.end()) return true;
        return false;
    }
    if (key == "base type" && before && after) return !widens(*before, *after);
    if (key == "constraints") return true;
    if (key == "valid") return after != nullptr;
    return false;
}

std::string shown(const std::string& v) {
    return v.size() > 160 ? v.substr(0, 157) + "..." : v;
}

}  // namespace

std::vector<SchemaDifference> compare_snapshots(const std::vector<SchemaObject>& left,
                                                const std::vector<SchemaObject>& right) {
    using Key = std::tuple<std::string, std::string>;
    std::map<Key, const SchemaObject*> l, r;
    for (const auto& o : left) l[{o.kind, o.name}] = &o;
    for (const auto& o : right) r[{o.kind, o.name}] = &o;
    std::vector<SchemaDifference> out;
    // A column missing because its table is missing is said once, by the table.
    auto table_absent = [](const std::map<Key, const SchemaObject*>& side, const SchemaObject& o) {
        return !o.parent.empty() && !side.count({"table", o.parent}) &&
               !side.count({"view", o.parent}) && !side.count({"materialized view", o.parent});
    };
    for (const auto& [key, lo] : l) {
        auto it = r.find(key);
        if (it == r.end()) {
            if (table_absent(r, *lo) && l.count({"table", lo->parent})) continue;
            out.push_back({SchemaDifference::Change::missing,
                           lo->kind,
                           lo->name,
                           lo->parent,
                           {},
                           true,
                           lo->definition,
                           {}});
            continue;
        }
        const SchemaObject& ro = *it->second;
        if (lo->attributes == ro.attributes) continue;
        SchemaDifference d{SchemaDifference::Change::different,
                           lo->kind,
                           lo->name,
                           lo->parent,
                           {},
                           false,
                           lo->definition,
                           ro.definition};
        std::set<std::string> keys;
        for (const auto& [k, v] : lo->attributes) keys.insert(k);
        for (const auto& [k, v] : ro.attributes) keys.insert(k);
        for (const auto& k : keys) {
            auto a = lo->attributes.find(k), b = ro.attributes.find(k);
            const std::string* before = a == lo->attributes.end() ? nullptr : &a->second;
            const std::string* after = b == ro.attributes.end() ? nullptr : &b->second;
            if (before && after && *before == *after) continue;
            if (before && after)
                d.details.push_back(k + " " + shown(*before) + " -> " + shown(*after));
            else if (before)
                d.details.push_back(k + " " + shown(*before) + " -> none");
            else
                d.details.push_back(k + " none -> " + shown(*after));
            d.breaking = d.breaking || breaking_change(*lo, k, before, after);
        }
        out.push_back(std::move(d));
    }
    for (const auto& [key, ro] : r) {
        if (l.count(key)) continue;
        if (table_absent(l, *ro) && r.count({"table", ro->parent})) continue;
        out.push_back({SchemaDifference::Change::extra,
                       ro->kind,
                       ro->name,
                       ro->parent,
                       {},
                       false,
                       {},
                       ro->definition});
    }
    std::sort(out.begin(), out.end(), [](const SchemaDifference& a, const SchemaDifference& b) {
        return std::tie(a.kind, a.name) < std::tie(b.kind, b.name);
    });
    return out;
}

std::string describe_difference(const SchemaDifference& d, const std::string& missing,
                                const std::string& extra) {
    std::string what = d.kind + " " + d.name;
    switch (d.change) {
        case SchemaDifference::Change::missing:
            return what + " " + missing;
        case SchemaDifference::Change::extra:
            return what + " " + extra;
        case SchemaDifference::Change::different:
            break;
    }
    std::string out = what + ": ";
    for (std::size_t i = 0; i < d.details.size(); ++i) out += (i ? "; " : "") + d.details[i];
    return out;
}

}  // namespace pgw
