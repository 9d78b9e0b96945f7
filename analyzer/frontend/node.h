// Small read-only helpers over libpg_query's JSON parse tree, held by simdjson.
// A node is printed as {"TypeName": {fields}}; `fields` is what rules read.
#pragma once

#include <simdjson.h>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace pgw::node {

using Element = simdjson::dom::element;

// The field `key` of an object, if present.
inline bool get(Element e, std::string_view key, Element& out) {
    return e.is_object() && !e.get_object().at_key(key).get(out);
}

inline std::string_view str(Element e, std::string_view key) {
    Element v;
    std::string_view s;
    return get(e, key, v) && !v.get(s) ? s : std::string_view{};
}

inline bool flag(Element e, std::string_view key) {
    Element v;
    bool b = false;
    return get(e, key, v) && !v.get(b) && b;
}

inline int64_t integer(Element e, std::string_view key, int64_t fallback = -1) {
    Element v;
    int64_t i = 0;
    return get(e, key, v) && !v.get(i) ? i : fallback;
}

// {"TypeName": {...}}: the type name, and its fields.
inline std::string_view type_of(Element wrapped) {
    if (!wrapped.is_object()) return {};
    for (auto [k, v] : wrapped.get_object()) return k;
    return {};
}
inline Element fields_of(Element wrapped) {
    for (auto [k, v] : wrapped.get_object()) return v;
    return wrapped;
}
// The fields of `wrapped` when it is a node of type `type`.
inline bool as(Element wrapped, std::string_view type, Element& out) {
    return get(wrapped, type, out);
}

// Iterates the array field `key`, yielding nothing when it is absent.
class List {
  public:
    List(Element e, std::string_view key) { ok_ = get(e, key, arr_) && arr_.is_array(); }
    explicit List(Element arr) : arr_(arr), ok_(arr.is_array()) {}
    simdjson::dom::array::iterator begin() const {
        return ok_ ? arr_.get_array().begin() : simdjson::dom::array::iterator();
    }
    simdjson::dom::array::iterator end() const {
        return ok_ ? arr_.get_array().end() : simdjson::dom::array::iterator();
    }
    bool empty() const { return !ok_ || arr_.get_array().size() == 0; }
    std::size_t size() const { return ok_ ? arr_.get_array().size() : 0; }

  private:
    Element arr_;
    bool ok_ = false;
};

// [{"String": {"sval": "a"}}, {"String": {"sval": "b"}}] -> "a.b"
std::string dotted_names(Element e, std::string_view key);
// The same list as names: {"a", "b"}.
std::vector<std::string> string_list(Element holder, std::string_view key);
// The last name of such a list ("int4" for pg_catalog.int4).
std::string_view last_name(Element e, std::string_view key);
// RangeVar fields -> "schema.name" or "name".
std::string range_var_name(Element range_var);

}  // namespace pgw::node
