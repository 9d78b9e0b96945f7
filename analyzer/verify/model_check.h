// The static schema model after a set's replay against PostgreSQL's catalog
// after applying it (issue 13, Deliver 5): every rule that asks "does this
// table exist, is this column NOT NULL, what is its type" reads the model, so
// a model that disagrees with the catalog is a static claim the run
// contradicts (verify-static-mismatch), and the bench's agreement figures.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "schema/model.h"
#include "verify/snapshot.h"

namespace pgw {

struct ModelDisagreement {
    // "table missing", "table unknown to the model", "column missing",
    // "column unknown to the model", "column type", "column nullability",
    // "index missing", "index unknown to the model": the class, for counting.
    std::string kind;
    std::string object;   // "public.users.email" as the catalog names it
    std::string message;  // "model says varchar(20), PostgreSQL character varying(30)"
    std::int32_t creator = schema::Origin::kBefore;  // the model's migration number, if known
};

struct ModelAgreement {
    std::size_t compared = 0;  // objects compared (tables, columns, indexes)
    std::vector<ModelDisagreement> disagreements;
};

// Compares what the model is certain of: uncertain objects, temporary tables
// and (for "unknown to the model") tables whose columns the model knows only
// in part are left out, as the rules leave them out.
ModelAgreement compare_model(const schema::SchemaModel& model, const Snapshot& catalog);

// format_type()'s spelling of a type the model records as written:
// "varchar(20)" -> "character varying(20)", "timestamptz" -> "timestamp with
// time zone", "serial" -> "integer", "public.mood" -> "mood".
std::string catalog_type_name(std::string_view model_type);

}  // namespace pgw
