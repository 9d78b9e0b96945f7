// Statement -> schema model: functions, procedures and aggregates, keyed by
// their signature.
#include <cctype>

#include "schema/replay.h"
#include "schema/text.h"

namespace pgw::schema {

namespace {

// Function bodies are compared as text: layout inside them is not a change.
std::string collapse_space(std::string_view s) {
    std::string out;
    for (char c : s) {
        if (!std::isspace(static_cast<unsigned char>(c)))
            out += c;
        else if (!out.empty() && out.back() != ' ')
            out += ' ';
    }
    if (!out.empty() && out.back() == ' ') out.pop_back();
    return out;
}

}  // namespace

std::string Replay::routine_args(node::Element holder, std::string_view key) {
    std::string out;
    for (node::Element p : node::List(holder, key)) {
        node::Element f, tn;
        if (node::as(p, "FunctionParameter", f)) {
            std::string_view mode = node::str(f, "mode");
            if (mode == "FUNC_PARAM_OUT" || mode == "FUNC_PARAM_TABLE") continue;
            if (!node::get(f, "argType", tn)) continue;
        } else if (!node::as(p, "TypeName", tn)) {
            continue;
        }
        out += (out.empty() ? "" : ", ") + type_text(tn, false);
    }
    return out;
}

std::string Replay::routine_key(node::Element owa) const {
    auto [schema, name] = split_names(string_list(owa, "objname"));
    std::string sig = "(";
    sig += routine_args(owa, "objargs");
    sig += ")";
    bool any_args = node::flag(owa, "args_unspecified");
    std::vector<std::string> candidates;
    if (!schema.empty()) candidates.push_back(normalize_relation(schema, name));
    for (const std::string& s : m_.search_path)
        if (schema.empty() && s != "$user") candidates.push_back(normalize_relation(s, name));
    for (const std::string& c : candidates) {
        if (!any_args) {
            if (m_.routines.count(c + sig)) return c + sig;
            continue;
        }
        auto it = m_.routines.lower_bound(c + "(");
        if (it != m_.routines.end() && it->second.name == c) return it->first;
    }
    return (candidates.empty() ? name : candidates.front()) + (any_args ? "()" : sig);
}

namespace {

// What CREATE OR REPLACE can change: the result type, the language, the body
// and the other options.
std::string routine_detail(node::Element f) {
    node::Element rt, body;
    std::string detail = node::get(f, "returnType", rt) ? "returns " + type_text(rt) : "";
    for (node::Element opt : node::List(f, "options")) {
        node::Element def, arg, list;
        if (!node::as(opt, "DefElem", def) || !node::get(def, "arg", arg)) continue;
        detail += ';';
        detail += node::str(def, "defname");
        detail += '=';
        if (node::str(def, "defname") == "as" && node::as(arg, "List", list))
            for (const std::string& part : string_list(list, "items"))
                detail += collapse_space(part) + " ";
        else
            detail += fingerprint(arg);
    }
    if (node::get(f, "sql_body", body)) detail += ";body=" + fingerprint(body);
    return detail;
}

}  // namespace

void Replay::create_routine(node::Element f) {
    auto [schema, name] = split_names(string_list(f, "funcname"));
    std::string fname = m_.creation_key(schema, name);
    std::string args = routine_args(f, "parameters");
    std::string key = fname + "(" + args + ")";
    std::string detail = m_.details ? routine_detail(f) : std::string();
    if (m_.routines.count(key) && (node::flag(f, "replace") || lenient_)) {
        // CREATE OR REPLACE keeps the function (and whether the change created it).
        Routine& existing = *m_.routines.edit(key);
        if (!lenient_) existing.detail = detail;
        touch(existing);
        return;
    }
    Routine r;
    static_cast<Origin&>(r) = m_.origin();
    r.name = fname;
    r.args = args;
    r.kind = node::flag(f, "is_procedure") ? 'p' : 'f';
    r.detail = detail;
    m_.routines[key] = r;
}

void Replay::create_aggregate(node::Element f) {
    auto [schema, name] = split_names(string_list(f, "defnames"));
    std::string args;
    for (node::Element a : node::List(f, "args")) {
        node::Element list;
        if (node::as(a, "List", list)) args = routine_args(list, "items");
        break;
    }
    // Old syntax: CREATE AGGREGATE a (BASETYPE = int4, ...).
    for (node::Element d : node::List(f, "definition")) {
        node::Element def, arg, tn;
        if (node::as(d, "DefElem", def) && node::str(def, "defname") == "basetype" &&
            node::get(def, "arg", arg) && node::as(arg, "TypeName", tn))
            args = type_text(tn, false);
    }
    Routine r;
    static_cast<Origin&>(r) = m_.origin();
    r.name = m_.creation_key(schema, name);
    r.args = args;
    r.kind = 'a';
    node::Element definition;
    if (m_.details && node::get(f, "definition", definition)) r.detail = fingerprint(definition);
    std::string key = r.name + "(" + args + ")";
    if (m_.routines.count(key) && (lenient_ || node::flag(f, "replace"))) return;
    m_.routines[key] = r;
}

}  // namespace pgw::schema
