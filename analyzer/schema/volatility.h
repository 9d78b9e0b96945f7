// Whether an expression is volatile, judged from the parse tree alone (no catalog):
// PostgreSQL 11+ stores a non-volatile ADD COLUMN default once in the catalog, while a
// volatile one is evaluated per row and rewrites the table. Unknown functions count as
// volatile, since that is what CREATE FUNCTION assumes when VOLATILITY is not given;
// a built-in's name called with a number of arguments no built-in takes (`now(1)`,
// `uuid()`) is such an unknown function.
#pragma once

#include <string>

#include "frontend/node.h"

namespace pgw::schema {

struct Volatility {
    bool is_volatile = false;
    std::string culprit;  // the call that made it volatile, "gen_random_uuid()"
};

// Classifies a raw (unanalysed) expression such as a Constraint's raw_expr.
Volatility classify_volatility(node::Element expr);

// True for built-in functions known to be immutable or stable when called with
// `args` arguments (now() with none, lower() with one, ...).
bool known_non_volatile_function(const std::string& lowercase_name, std::size_t args);

}  // namespace pgw::schema
