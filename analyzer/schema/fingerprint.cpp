// Canonical text and fingerprints of parse trees: definitions compared without
// their layout, comments and locations.
#include <algorithm>
#include <cstring>

#include "schema/text.h"

namespace pgw::schema {

namespace {

void canonical_into(node::Element e, std::string& out) {
    if (e.is_object()) {
        out += '{';
        bool first = true;
        for (auto [k, v] : e.get_object()) {
            if (k == "location") continue;
            if (!first) out += ',';
            first = false;
            out += '"';
            out += k;
            out += "\":";
            canonical_into(v, out);
        }
        out += '}';
    } else if (e.is_array()) {
        out += '[';
        bool first = true;
        for (node::Element v : e.get_array()) {
            if (!first) out += ',';
            first = false;
            canonical_into(v, out);
        }
        out += ']';
    } else {
        out += simdjson::to_string(e);
    }
}

constexpr uint64_t kFnvPrime = 1099511628211ull;

void mix(uint64_t& h, std::string_view bytes) {
    for (char c : bytes) h = (h ^ static_cast<unsigned char>(c)) * kFnvPrime;
    h = (h ^ 0xffu) * kFnvPrime;  // a terminator: "ab","c" differs from "a","bc"
}

template <class T>
void mix_value(uint64_t& h, char tag, T value) {
    char bytes[1 + sizeof(T)];
    bytes[0] = tag;
    std::memcpy(bytes + 1, &value, sizeof(T));
    mix(h, std::string_view(bytes, sizeof bytes));
}

// Names are collected as views into the tree; fingerprint() copies the
// distinct ones (a view's query repeats its names many times).
void fingerprint_into(node::Element e, uint64_t& h, std::vector<std::string_view>* names) {
    using simdjson::dom::element_type;
    switch (e.type()) {
        case element_type::OBJECT:
            mix(h, "{");
            for (auto [k, v] : e.get_object()) {
                if (k == "location") continue;
                mix(h, k);
                std::string_view s;
                if (names && (k == "relname" || k == "sval") && !v.get(s)) names->push_back(s);
                fingerprint_into(v, h, names);
            }
            mix(h, "}");
            break;
        case element_type::ARRAY:
            mix(h, "[");
            for (node::Element v : e.get_array()) fingerprint_into(v, h, names);
            mix(h, "]");
            break;
        case element_type::STRING:
            mix(h, e.get_string().value_unsafe());
            break;
        case element_type::INT64:
            mix_value(h, 'i', e.get_int64().value_unsafe());
            break;
        case element_type::UINT64:
            mix_value(h, 'u', e.get_uint64().value_unsafe());
            break;
        case element_type::DOUBLE:
            mix_value(h, 'd', e.get_double().value_unsafe());
            break;
        case element_type::BOOL:
            mix_value(h, 'b', e.get_bool().value_unsafe());
            break;
        case element_type::NULL_VALUE:
            mix(h, "null");
            break;
    }
}

}  // namespace

std::string canonical(node::Element e) {
    std::string out;
    canonical_into(e, out);
    return out;
}

std::string fingerprint(node::Element e, std::vector<std::string>* names) {
    uint64_t h = 14695981039346656037ull;
    std::vector<std::string_view> seen;
    fingerprint_into(e, h, names ? &seen : nullptr);
    if (names) {
        std::sort(seen.begin(), seen.end());
        seen.erase(std::unique(seen.begin(), seen.end()), seen.end());
        names->assign(seen.begin(), seen.end());
    }
    static const char kHex[] = "0123456789abcdef";
    std::string out(16, '0');
    for (int i = 15; i >= 0; --i, h >>= 4) out[i] = kHex[h & 15];
    return out;
}

}  // namespace pgw::schema
