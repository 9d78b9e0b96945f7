#include "volatility.h"

#include <algorithm>
#include <cctype>
#include <iterator>
#include <string_view>

namespace pgw::rules {

namespace {

// Built-in functions marked immutable or stable in pg_proc that migrations commonly
// use as defaults. Anything else (random(), nextval(), user functions) is volatile.
constexpr std::string_view kNonVolatile[] = {
    // date and time: stable, fixed for the transaction
    "now", "transaction_timestamp", "statement_timestamp", "current_timestamp", "current_date",
    "current_time", "localtimestamp", "localtime", "timezone", "date_trunc", "date_part", "extract",
    "make_date", "make_time", "make_timestamp", "make_timestamptz", "make_interval", "to_timestamp",
    "to_date", "to_char", "age", "date_bin",
    // strings
    "lower", "upper", "length", "char_length", "concat", "concat_ws", "substr", "substring", "trim",
    "btrim", "ltrim", "rtrim", "replace", "left", "right", "md5", "format", "lpad", "rpad",
    "repeat", "initcap", "encode", "decode", "split_part",
    // numbers
    "abs", "round", "floor", "ceil", "ceiling", "trunc", "power", "sqrt", "mod",
    // json, arrays and other constructors
    "jsonb_build_object", "json_build_object", "jsonb_build_array", "json_build_array", "to_jsonb",
    "to_json", "array_fill", "string_to_array", "array_to_string", "cardinality",
    // settings and session information
    "current_setting", "current_user", "current_schema", "session_user", "current_database",
    "txid_current", "pg_current_xact_id", "inet_client_addr",
    // casts written as calls: date(now()), text(42)
    "int2", "int4", "int8", "text", "varchar", "numeric", "float8", "bool", "date", "timestamp",
    "timestamptz", "interval", "json", "jsonb", "uuid"};

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
        if (!known_non_volatile_function(name)) {
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

bool known_non_volatile_function(const std::string& lowercase_name) {
    return std::find(std::begin(kNonVolatile), std::end(kNonVolatile), lowercase_name) !=
           std::end(kNonVolatile);
}

Volatility classify_volatility(node::Element expr) {
    Volatility v;
    visit(expr, v);
    return v;
}

}  // namespace pgw::rules
