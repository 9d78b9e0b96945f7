// Identifiers in messages, written the way PostgreSQL needs them so that a
// name copied from a finding can be pasted back into SQL: `DROP TABLE "User"`,
// `DROP TABLE users`, `ALTER TABLE "My Table"`.
#pragma once

#include <string>
#include <string_view>

namespace pgw {

// PostgreSQL's quote_identifier(): unquoted when the name is lower-case
// letters, digits and underscores, does not start with a digit and is not a
// keyword other than an unreserved one; otherwise in double quotes, with
// inner quotes doubled.
// https://github.com/postgres/postgres/blob/REL_15_STABLE/src/backend/utils/adt/ruleutils.c
// (quote_identifier)
std::string quote_identifier(std::string_view name);

// A dotted name ("audit.User") with each part quoted ("audit.\"User\"").
// Names are kept dotted in the model; a '.' inside one part cannot be told
// apart from a separator there, so such a part is quoted as two.
std::string quote_name(std::string_view dotted);

}  // namespace pgw
