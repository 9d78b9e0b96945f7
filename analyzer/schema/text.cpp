#include "schema/text.h"

#include <algorithm>
#include <cctype>

#include "schema/model.h"

namespace pgw::schema {

namespace {

// The parser spells built-in types by their internal names; show what users
// write, so that "int", "integer" and "int4" compare equal and read well.
std::string_view builtin_display(std::string_view internal) {
    static const std::pair<std::string_view, std::string_view> kNames[] = {
        {"int2", "smallint"},           {"int4", "integer"}, {"int8", "bigint"}, {"float4", "real"},
        {"float8", "double precision"}, {"bool", "boolean"}, {"bpchar", "char"},
    };
    for (auto [name, shown] : kNames)
        if (name == internal) return shown;
    return internal;
}

std::string quote_literal(std::string_view s) {
    std::string out = "'";
    for (char c : s) {
        if (c == '\'') out += '\'';
        out += c;
    }
    return out + "'";
}

// An integer constant as written: {"ival": {}} stands for 0 *and* for any
// negative number in libpg_query's JSON, so the digits are read from the text.
std::string integer_at(node::Element a_const, std::string_view source) {
    int64_t loc = node::integer(a_const, "location");
    if (loc < 0 || static_cast<std::size_t>(loc) >= source.size()) return "0";
    std::size_t i = static_cast<std::size_t>(loc);
    std::string out;
    if (source[i] == '-') {
        out += '-';
        ++i;
        while (i < source.size() && std::isspace(static_cast<unsigned char>(source[i]))) ++i;
    }
    while (i < source.size() && std::isdigit(static_cast<unsigned char>(source[i])))
        out += source[i++];
    return out.empty() || out == "-" ? "0" : out;
}

class Printer {
  public:
    explicit Printer(std::string_view source) : source_(source) {}

    std::string print(node::Element wrapped) {
        if (wrapped.is_array()) {
            std::string out;
            for (node::Element item : wrapped.get_array()) {
                if (!out.empty()) out += ", ";
                out += print(item);
            }
            return out;
        }
        std::string_view type = node::type_of(wrapped);
        node::Element f = node::fields_of(wrapped);
        if (type == "A_Const") return constant(f);
        if (type == "TypeCast") {
            node::Element arg, tn;
            // pg_dump spells out the casts PostgreSQL adds to constants and
            // columns ('x'::text, (email)::text); migrations usually do not.
            // Both mean the same, so those casts are left out.
            std::string_view inner = node::get(f, "arg", arg) ? node::type_of(arg) : "";
            if (inner == "A_Const" || inner == "ColumnRef") return print(arg);
            return child(f, "arg") + "::" + (node::get(f, "typeName", tn) ? type_text(tn) : "");
        }
        if (type == "FuncCall") return func_call(f);
        if (type == "ColumnRef") return column_ref(f);
        if (type == "A_Expr") return a_expr(f);
        if (type == "BoolExpr") return bool_expr(f);
        if (type == "NullTest") {
            bool is_null = node::str(f, "nulltesttype") == "IS_NULL";
            return child(f, "arg") + (is_null ? " IS NULL" : " IS NOT NULL");
        }
        if (type == "SQLValueFunction") {
            std::string op(node::str(f, "op"));
            return op.starts_with("SVFOP_") ? op.substr(6) : op;
        }
        if (type == "A_ArrayExpr") return "ARRAY[" + list(f, "elements") + "]";
        if (type == "CoalesceExpr") return "COALESCE(" + list(f, "args") + ")";
        if (type == "ParamRef") return "$" + std::to_string(node::integer(f, "number", 0));
        if (type == "List") return "(" + list(f, "items") + ")";
        return canonical(wrapped);
    }

  private:
    std::string_view source_;

    // The array field `key` of `f` (absent fields print nothing: a default
    // simdjson element must never be read).
    std::string list(node::Element f, std::string_view key) {
        std::string out;
        for (node::Element item : node::List(f, key)) {
            if (!out.empty()) out += ", ";
            out += print(item);
        }
        return out;
    }
    std::string child(node::Element f, std::string_view key) {
        node::Element c;
        return node::get(f, key, c) ? print(c) : std::string();
    }

    std::string constant(node::Element f) {
        node::Element v;
        if (node::flag(f, "isnull")) return "NULL";
        if (node::get(f, "ival", v)) {
            int64_t i = node::integer(v, "ival", 0);
            return i != 0 ? std::to_string(i) : integer_at(f, source_);
        }
        if (node::get(f, "fval", v)) return std::string(node::str(v, "fval"));
        if (node::get(f, "sval", v)) return quote_literal(node::str(v, "sval"));
        if (node::get(f, "boolval", v)) return node::flag(v, "boolval") ? "true" : "false";
        if (node::get(f, "bsval", v)) return std::string(node::str(v, "bsval"));
        return canonical(f);
    }

    std::string func_call(node::Element f) {
        std::string name = node::dotted_names(f, "funcname");
        if (name.starts_with("pg_catalog.")) name = name.substr(11);
        name = normalize_relation(name);
        std::string inner = node::flag(f, "agg_star") ? "*" : list(f, "args");
        // nextval('public.t_id_seq'::regclass) is nextval('t_id_seq').
        if ((name == "nextval" || name == "currval" || name == "setval") && inner.size() > 2 &&
            inner.front() == '\'') {
            std::size_t close = inner.find('\'', 1);
            if (close != std::string::npos)
                inner = "'" + normalize_relation(inner.substr(1, close - 1)) + inner.substr(close);
        }
        return name + "(" + inner + ")";
    }

    std::string column_ref(node::Element f) {
        std::string out;
        for (node::Element field : node::List(f, "fields")) {
            node::Element s;
            if (!out.empty()) out += '.';
            out += node::as(field, "String", s) ? std::string(node::str(s, "sval")) : "*";
        }
        return out;
    }

    std::string a_expr(node::Element f) {
        node::Element l, r;
        bool has_l = node::get(f, "lexpr", l), has_r = node::get(f, "rexpr", r);
        std::string op = node::dotted_names(f, "name");
        std::string_view kind = node::str(f, "kind");
        std::string left = has_l ? print(l) + " " : "";
        std::string right = has_r ? print(r) : "";
        if (kind == "AEXPR_IN") return left + (op == "=" ? "IN " : "NOT IN ") + right;
        if (kind == "AEXPR_OP_ANY") return left + op + " ANY (" + right + ")";
        if (kind == "AEXPR_OP_ALL") return left + op + " ALL (" + right + ")";
        if (kind != "AEXPR_OP") return canonical(f);
        return "(" + left + op + (has_r ? " " : "") + right + ")";
    }

    // a AND (b AND c) is a AND b AND c: pg_dump nests, people do not.
    void bool_args(node::Element f, std::string_view op, std::string& out) {
        for (node::Element arg : node::List(f, "args")) {
            node::Element inner;
            if (node::as(arg, "BoolExpr", inner) && node::str(inner, "boolop") == op) {
                bool_args(inner, op, out);
                continue;
            }
            if (!out.empty()) out += op == "AND_EXPR" ? " AND " : " OR ";
            out += print(arg);
        }
    }

    std::string bool_expr(node::Element f) {
        std::string_view op = node::str(f, "boolop");
        if (op == "NOT_EXPR") return "(NOT " + list(f, "args") + ")";
        std::string out;
        bool_args(f, op, out);
        return "(" + out + ")";
    }
};

}  // namespace

std::string type_text(node::Element tn, bool with_typmods) {
    std::string out;
    std::string_view last = node::last_name(tn, "names");
    std::string dotted = node::dotted_names(tn, "names");
    if (dotted == last || dotted == "pg_catalog." + std::string(last))
        out = builtin_display(last);
    else
        out = normalize_relation(dotted);
    if (node::flag(tn, "pct_type")) out += "%TYPE";
    if (with_typmods) {
        std::string mods;
        Printer p({});
        for (node::Element m : node::List(tn, "typmods")) {
            if (!mods.empty()) mods += ',';
            mods += p.print(m);
        }
        if (!mods.empty()) out += "(" + mods + ")";
    }
    for (std::size_t i = 0; i < node::List(tn, "arrayBounds").size(); ++i) out += "[]";
    if (node::flag(tn, "setof")) out = "SETOF " + out;
    return out;
}

std::string expr_text(node::Element expr, std::string_view source) {
    std::string out = Printer(source).print(expr);
    return out == "NULL" ? std::string() : out;  // DEFAULT NULL is no default
}

}  // namespace pgw::schema
