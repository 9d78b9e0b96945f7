// Shared by the schema model tests: parse SQL, replay it, look things up.
#pragma once

#include <algorithm>
#include <memory>
#include <string>
#include <vector>

#include "frontend/parse.h"
#include "schema/compare.h"
#include "test_support.h"

namespace pgw::test {

using Strings = std::vector<std::string>;

inline std::unique_ptr<Migration> parse(const std::string& sql) {
    static Config c = default_config();
    return parse_migration(SourceFile::from_bytes("m.sql", sql), c.compiled_placeholders);
}

inline schema::SchemaModel replay(const std::string& sql, schema::SchemaModel m = {}) {
    m.replay(*parse(sql));
    return m;
}

// Replays `history`, then checks the up/down pair against it.
inline schema::RollbackCheck rollback(const std::string& history, const std::string& up,
                                      const std::string& down) {
    schema::SchemaModel before = replay(history);
    return schema::check_rollback(before, *parse(up), *parse(down));
}

inline const schema::Column* col(const schema::SchemaModel& m, const std::string& table,
                                 const std::string& name) {
    const schema::Relation* r = m.relation(table);
    if (!r) return nullptr;
    for (const schema::Column& c : r->columns)
        if (c.name == name && !c.dropped) return &c;
    return nullptr;
}

inline Strings constraint_names(const schema::SchemaModel& m, const std::string& table) {
    Strings out;
    if (const schema::Relation* r = m.relation(table))
        for (const schema::Constraint& c : r->constraints) out.push_back(c.name);
    std::sort(out.begin(), out.end());
    return out;
}

inline Strings relations(const schema::SchemaModel& m, schema::RelKind kind) {
    Strings out;
    for (const auto& [k, r] : m.relations)
        if (r.kind == kind) out.push_back(k);
    return out;
}

}  // namespace pgw::test
