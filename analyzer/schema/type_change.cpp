#include "schema/type_change.h"

#include <algorithm>
#include <cctype>
#include <vector>

#include "schema/text.h"

namespace pgw::schema {

namespace {

// "numeric(10,2)[]" -> base "numeric", mods {10, 2}, one array level.
struct TypeText {
    std::string base;
    std::vector<long> mods;
    int arrays = 0;
};

TypeText parse_type(std::string_view text) {
    TypeText t;
    while (text.size() >= 2 && text.substr(text.size() - 2) == "[]") {
        ++t.arrays;
        text.remove_suffix(2);
    }
    auto open = text.find('(');
    t.base = std::string(text.substr(0, open));
    if (open != std::string_view::npos) {
        std::string_view mods = text.substr(open + 1);
        long n = 0;
        bool digits = false;
        for (char c : mods) {
            if (std::isdigit(static_cast<unsigned char>(c))) {
                n = n * 10 + (c - '0');
                digits = true;
            } else if (digits) {
                t.mods.push_back(n);
                n = 0;
                digits = false;
            }
        }
    }
    return t;
}

bool one_of(std::string_view s, std::initializer_list<std::string_view> list) {
    return std::find(list.begin(), list.end(), s) != list.end();
}

// Digits an integer type needs: numeric(p, s) holds it when p - s reaches them.
int integer_digits(std::string_view base) {
    return base == "smallint" ? 5 : base == "integer" ? 10 : base == "bigint" ? 19 : 0;
}

// A typmod that is the same or wider, for types whose typmod is a length or a precision.
bool wider_or_unlimited(const TypeText& from, const TypeText& to) {
    if (to.mods.empty()) return true;
    if (from.mods.empty()) return false;
    return to.mods[0] >= from.mods[0];
}

TypeChange scalar_change(const TypeText& from, const TypeText& to, std::string& why) {
    const std::string& a = from.base;
    const std::string& b = to.base;
    // The same type with a typmod the support functions accept as no change.
    if (a == b && one_of(a, {"varchar", "varbit", "timestamp", "timestamptz", "time", "timetz",
                             "interval"})) {
        if (wider_or_unlimited(from, to)) return TypeChange::catalog;
        why = "narrows " + a + ": values that do not fit make the migration fail or are rounded";
        return TypeChange::data_change;
    }
    if (a == b && a == "numeric") {
        if (to.mods.empty()) return TypeChange::catalog;
        if (from.mods.empty())
            return why = "limits numeric's precision: values are rounded or do not fit",
                   TypeChange::data_change;
        long p = from.mods[0], s = from.mods.size() > 1 ? from.mods[1] : 0;
        long p2 = to.mods[0], s2 = to.mods.size() > 1 ? to.mods[1] : 0;
        if (s2 == s && p2 >= p) return TypeChange::catalog;
        if (s2 >= s && p2 - s2 >= p - s) return why = "adds decimal places", TypeChange::rewrite;
        return why = "narrows numeric: values are rounded or do not fit", TypeChange::data_change;
    }
    if (a == b && a == "char") {
        if (wider_or_unlimited(from, to)) return why = "widens char", TypeChange::rewrite;
        return why = "narrows char: longer values make the migration fail", TypeChange::data_change;
    }
    if (a == b && from.mods == to.mods) return TypeChange::catalog;
    // Binary-coercible casts (pg_cast castmethod 'b', assignment or implicit).
    if ((a == "varchar" && b == "text") || (a == "text" && b == "varchar" && to.mods.empty()) ||
        (a == "cidr" && b == "inet") ||
        (a == "xml" && one_of(b, {"text", "varchar"}) && to.mods.empty()) ||
        (a == "integer" && b == "oid") || (a == "oid" && b == "integer") ||
        (a == "bit" && b == "varbit" && wider_or_unlimited(from, to)))
        return TypeChange::catalog;
    // Widening casts: every value converts exactly, into a rewritten table.
    int digits = integer_digits(a);
    if (digits && b == "numeric") {
        long room = to.mods.empty() ? 1000 : to.mods[0] - (to.mods.size() > 1 ? to.mods[1] : 0);
        if (room >= digits) return why = "widens " + a + " to numeric", TypeChange::rewrite;
        return why = "numeric(" + std::to_string(to.mods[0]) + ") cannot hold every " + a +
                     ": larger values make the migration fail",
               TypeChange::data_change;
    }
    struct Widening {
        std::string_view from;
        std::initializer_list<std::string_view> to;
    };
    static const Widening kWidenings[] = {
        {"smallint", {"integer", "bigint", "real", "double precision"}},
        {"integer", {"bigint", "double precision"}},
        {"real", {"double precision", "numeric"}},
        {"double precision", {"numeric"}},
        {"date", {"timestamp", "timestamptz"}},
        {"json", {"jsonb"}},
        {"jsonb", {"json"}},
        {"char", {"varchar", "text"}},
    };
    for (const Widening& w : kWidenings)
        if (a == w.from && one_of(b, w.to) && (to.mods.empty() || b != "numeric"))
            if (b != "varchar" || wider_or_unlimited(from, to))
                return why = "widens " + a + " to " + b, TypeChange::rewrite;
    // timestamp <-> timestamptz: values are read in the session TimeZone; the
    // table is rewritten unless it is UTC (PostgreSQL 12+).
    // https://www.postgresql.org/docs/release/12.0/ ("avoid a table rewrite
    // when the session time zone is UTC"); tablecmds.c ATColumnChangeRequiresRewrite.
    if ((a == "timestamp" && b == "timestamptz") || (a == "timestamptz" && b == "timestamp"))
        return why = "converts " + a + " to " + b + " in the session TimeZone", TypeChange::rewrite;
    // Every value has a text form.
    if (one_of(b, {"text", "varchar"}) && to.mods.empty() &&
        one_of(a, {"smallint", "integer", "bigint", "numeric", "uuid", "inet", "cidr", "macaddr",
                   "date", "boolean", "varchar", "char"}))
        return why = "converts " + a + " to its text", TypeChange::rewrite;
    static const std::pair<std::string_view, std::string_view> kNarrowings[] = {
        {"bigint", "integer"},   {"bigint", "smallint"},
        {"integer", "smallint"}, {"double precision", "real"},
        {"numeric", "integer"},  {"numeric", "bigint"},
        {"numeric", "smallint"}, {"timestamp", "date"},
        {"timestamptz", "date"}, {"text", "char"},
        {"varchar", "char"}};
    for (auto [x, y] : kNarrowings)
        if (a == x && b == y)
            return why = "narrows " + a + " to " + b +
                         ": values that do not fit make the migration fail or lose precision",
                   TypeChange::data_change;
    why = "casts " + a + " to " + b + ": values may fail to convert or change";
    return TypeChange::data_change;
}

// USING that only restates the conversion (`USING c`, `USING c::bigint`)
// changes nothing: PostgreSQL treats it as the implicit cast.
bool plain_using(node::Element using_expr, std::string_view column, const std::string& to) {
    node::Element e = using_expr, cast, arg, tn, ref;
    if (node::as(e, "TypeCast", cast)) {
        if (!node::get(cast, "typeName", tn) || type_text(tn) != to) return false;
        if (!node::get(cast, "arg", arg)) return false;
        e = arg;
    }
    if (!node::as(e, "ColumnRef", ref)) return false;
    std::vector<std::string> fields = node::string_list(ref, "fields");
    return !fields.empty() && fields.back() == column;
}

}  // namespace

const char* catalog_only_type_changes() {
    return "varchar(n) to varchar(m >= n), unlimited varchar or text; text to varchar; "
           "numeric(p,s) to numeric(p' >= p, s) or numeric; timestamp, timestamptz, time, "
           "timetz and interval to a greater or no precision; varbit(n) to varbit(m >= n); "
           "bit to varbit; cidr to inet; xml to text; integer to oid and back; a domain to its "
           "base type";
}

TypeChangeVerdict classify_type_change(node::Element cmd, const std::string& table,
                                       const SchemaModel& model) {
    TypeChangeVerdict v;
    std::string column(node::str(cmd, "name"));
    node::Element def, coldef, tn, using_expr;
    if (!node::get(cmd, "def", def) || !node::as(def, "ColumnDef", coldef) ||
        !node::get(coldef, "typeName", tn))
        return v;
    v.to = type_text(tn);
    const Relation* t = model.relation(table);
    const Column* c = nullptr;
    if (t)
        for (const Column& col : t->columns)
            if (col.name == column && !col.dropped) c = &col;
    if (!c || c->uncertain || c->type.empty()) return v;  // unknown
    v.from = c->type;
    if (node::get(coldef, "raw_default", using_expr) && !plain_using(using_expr, column, v.to)) {
        v.kind = TypeChange::data_change;
        v.why = "converts every value with USING: the values change";
        return v;
    }
    if (v.from == v.to) {
        v.kind = TypeChange::catalog;
        return v;
    }
    // A domain becomes its base type: nothing to check or convert.
    if (const Type* t = model.type(v.from);
        t && t->kind == TypeKind::domain && !t->uncertain && t->base == v.to) {
        v.kind = TypeChange::catalog;
        return v;
    }
    // An enum's labels are text.
    if (const Type* t = model.type(v.from); t && t->kind == TypeKind::enumeration &&
                                            !t->uncertain &&
                                            (v.to == "text" || v.to == "varchar")) {
        v.kind = TypeChange::rewrite;
        v.why = "converts enum " + v.from + " to its labels";
        return v;
    }
    TypeText from = parse_type(v.from), to = parse_type(v.to);
    if (from.arrays != to.arrays) {
        v.kind = TypeChange::data_change;
        v.why = "changes the number of array dimensions: values may fail to convert";
        return v;
    }
    v.kind = scalar_change(from, to, v.why);
    v.depends_on_timezone = from.arrays == 0 && v.kind == TypeChange::rewrite &&
                            ((from.base == "timestamp" && to.base == "timestamptz") ||
                             (from.base == "timestamptz" && to.base == "timestamp"));
    // Arrays of a changed element type are always rewritten (the array
    // coercion is never binary), even when the elements' change is free.
    if (from.arrays > 0 && v.kind == TypeChange::catalog && v.from != v.to) {
        v.kind = TypeChange::rewrite;
        v.why = "converts every array element";
    }
    return v;
}

}  // namespace pgw::schema
