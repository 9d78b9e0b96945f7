#include "schema/volatility.h"

#include <algorithm>
#include <cctype>
#include <iterator>
#include <string_view>

namespace pgw::schema {

namespace {

// Built-in functions that pg_proc marks immutable or stable and migrations use
// as defaults, with the numbers of arguments their built-in forms take
// (pronargs, read on PostgreSQL 15; variadic ones: `max` -1). Anything else
// (random(), nextval(), gen_random_uuid(), user functions) is volatile.
struct Builtin {
    std::string_view name;
    int min, max;
};
constexpr Builtin kNonVolatile[] = {
    // date and time: stable, fixed for the transaction
    {"now", 0, 0},
    {"transaction_timestamp", 0, 0},
    {"statement_timestamp", 0, 0},
    {"timezone", 2, 2},
    {"date_trunc", 2, 3},
    {"date_part", 2, 2},
    {"extract", 2, 2},
    {"make_date", 3, 3},
    {"make_time", 3, 3},
    {"make_timestamp", 6, 6},
    {"make_timestamptz", 6, 7},
    {"make_interval", 0, 7},
    {"to_timestamp", 1, 2},
    {"to_date", 2, 2},
    {"to_char", 2, 2},
    {"age", 1, 2},
    {"date_bin", 3, 3},
    // strings
    {"lower", 1, 1},
    {"upper", 1, 1},
    {"length", 1, 2},
    {"char_length", 1, 1},
    {"concat", 1, -1},
    {"concat_ws", 2, -1},
    {"substr", 2, 3},
    {"substring", 2, 3},
    {"trim", 1, 2},
    {"btrim", 1, 2},
    {"ltrim", 1, 2},
    {"rtrim", 1, 2},
    {"replace", 3, 3},
    {"left", 2, 2},
    {"right", 2, 2},
    {"md5", 1, 1},
    {"format", 1, -1},
    {"lpad", 2, 3},
    {"rpad", 2, 3},
    {"repeat", 2, 2},
    {"initcap", 1, 1},
    {"encode", 2, 2},
    {"decode", 2, 2},
    {"split_part", 3, 3},
    // numbers
    {"abs", 1, 1},
    {"round", 1, 2},
    {"floor", 1, 1},
    {"ceil", 1, 1},
    {"ceiling", 1, 1},
    {"trunc", 1, 2},
    {"power", 2, 2},
    {"sqrt", 1, 1},
    {"mod", 2, 2},
    // json, arrays and other constructors
    {"jsonb_build_object", 0, -1},
    {"json_build_object", 0, -1},
    {"jsonb_build_array", 0, -1},
    {"json_build_array", 0, -1},
    {"to_jsonb", 1, 1},
    {"to_json", 1, 1},
    {"array_fill", 2, 3},
    {"string_to_array", 2, 3},
    {"array_to_string", 2, 3},
    {"cardinality", 1, 1},
    // settings and session information
    {"current_setting", 1, 2},
    {"current_schema", 0, 0},
    {"current_database", 0, 0},
    {"txid_current", 0, 0},
    {"pg_current_xact_id", 0, 0},
    {"inet_client_addr", 0, 0},
    // casts written as calls, one argument: date(now()), text(42), uuid('...')
    {"int2", 1, 1},
    {"int4", 1, 1},
    {"int8", 1, 1},
    {"text", 1, 1},
    {"varchar", 1, 1},
    {"numeric", 1, 1},
    {"float8", 1, 1},
    {"bool", 1, 1},
    {"date", 1, 1},
    {"timestamp", 1, 1},
    {"timestamptz", 1, 1},
    {"interval", 1, 1},
    {"json", 1, 1},
    {"jsonb", 1, 1},
    {"uuid", 1, 1}};

std::string lower(std::string_view s) {
    std::string out(s);
    for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

void visit(node::Element e, Volatility& v) {
    if (v.is_volatile) return;
    if (e.is_array()) {
        for (node::Element child : e.get_array()) visit(child, v);
        return;
    }
    if (!e.is_object()) return;
    node::Element f;
    if (node::as(e, "FuncCall", f)) {
        std::string name = lower(node::last_name(f, "funcname"));
        if (!known_non_volatile_function(name, node::List(f, "args").size())) {
            v.is_volatile = true;
            v.culprit = name + "()";
            return;
        }
    } else if (node::as(e, "SubLink", f)) {
        // A subquery's result can change from row to row.
        v.is_volatile = true;
        v.culprit = "a subquery";
        return;
    }
    // Constants, casts, operators, CASE, COALESCE, SQL value functions
    // (CURRENT_TIMESTAMP, CURRENT_USER, ...): volatile only through what they contain.
    for (auto [key, value] : e.get_object()) visit(value, v);
}

}  // namespace

bool known_non_volatile_function(const std::string& lowercase_name, std::size_t args) {
    for (const Builtin& b : kNonVolatile)
        if (b.name == lowercase_name && static_cast<int>(args) >= b.min &&
            (b.max < 0 || static_cast<int>(args) <= b.max))
            return true;
    return false;
}

Volatility classify_volatility(node::Element expr) {
    Volatility v;
    visit(expr, v);
    return v;
}

}  // namespace pgw::schema
