// Text the schema model stores and compares: type names and expressions
// (text.cpp), canonical trees and fingerprints (fingerprint.cpp), and the names
// PostgreSQL gives to objects a statement does not name (names.cpp).
#pragma once

#include <cstring>
#include <string>
#include <string_view>
#include <vector>

#include "frontend/node.h"

namespace pgw::schema {

// A TypeName's fields as users write types: "integer" for pg_catalog.int4,
// "varchar(20)", "text[]", "audit.mood" ("public." dropped). Without typmods
// for function signatures, where PostgreSQL ignores them.
std::string type_text(node::Element type_name, bool with_typmods = true);

// An expression as SQL, close to what pg_dump prints: "now()", "'x'::text",
// "nextval('t_id_seq'::regclass)". `source` is the statement text the parse
// tree's locations point into (libpg_query's JSON loses negative integer
// constants: they are read back from there). Node types it does not know are
// printed as their canonical JSON, which still compares correctly. Spellings
// that mean the same print the same (casts pg_dump adds, nested AND/OR,
// public. prefixes); a lone NULL prints as nothing (DEFAULT NULL is no default).
std::string expr_text(node::Element expr, std::string_view source);

// A parse tree as JSON without locations: two statements that differ only in
// layout or comments give the same text.
std::string canonical(node::Element e);

// The name PostgreSQL's FigureIndexColname gives an index expression ("lower"
// for lower(email)); empty when it gives none ("expr" is then used).
std::string figure_colname(node::Element expr);

// What canonical() would print, as a 64-bit hash in hex: definitions (view
// queries, routine options, triggers) are only compared, never shown, and
// hashing them costs no string building. `names` (if given) collects the
// identifiers and relation names the tree mentions, sorted and unique.
std::string fingerprint(node::Element e, std::vector<std::string>* names = nullptr);

// PostgreSQL's makeObjectName: name1_name2_label, name1 and name2 shortened so
// the result fits in 63 bytes. An empty name2 is left out (t_pkey).
std::string object_name(std::string_view name1, std::string_view name2, std::string_view label);

// ChooseIndexNameAddition / ChooseForeignKeyConstraintNameAddition: the
// column names joined by '_'.
std::string name_addition(const std::vector<std::string>& names);

// ChooseRelationName / ChooseConstraintName: object_name, then label1,
// label2, ... while `taken` says the name is in use.
template <class Taken>
std::string choose_name(std::string_view name1, std::string_view name2, std::string_view label,
                        Taken taken) {
    std::string name = object_name(name1, name2, label);
    for (int pass = 1; taken(name); ++pass)
        name = object_name(name1, name2, std::string(label) + std::to_string(pass));
    return name;
}

// The schema part of a normalized key ("" for public) and its last part.
std::string_view schema_of(std::string_view key);
// Inline: reachable_part calls it for every relation of the model.
// memrchr, not string_view::rfind: libstdc++'s rfind is a byte loop, and this
// was a twentieth of a corpus run's instructions.
inline std::string_view bare_name(std::string_view key) {
    if (key.empty()) return key;
    const void* dot = memrchr(key.data(), '.', key.size());
    if (!dot) return key;
    auto after = static_cast<std::size_t>(static_cast<const char*>(dot) - key.data()) + 1;
    return key.substr(after);
}

}  // namespace pgw::schema
