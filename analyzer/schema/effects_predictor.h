// Internal to schema/effects: the statement-by-statement prediction, split
// between effects.cpp (statements) and effects_alter.cpp (ALTER TABLE).
#pragma once

#include <string>
#include <vector>

#include "schema/effects.h"

namespace pgw::schema::detail {

// A DefElem option of a VACUUM / REINDEX style list is on.
bool option_on(node::Element fields, std::string_view list, std::string_view name);

class Predictor {
  public:
    Predictor(const Statement& st, const SchemaModel& m, int pg_version)
        : st_(st), m_(m), pg_(pg_version) {}

    Effects run();

  private:
    const Statement& st_;
    const SchemaModel& m_;
    int pg_;
    Effects out_;

    std::string key(node::Element range_var) const {
        return m_.relation_key(node::str(range_var, "schemaname"), node::str(range_var, "relname"));
    }
    std::string key_of(node::Element fields, std::string_view field) const {
        node::Element rv;
        return node::get(fields, field, rv) ? key(rv) : std::string();
    }
    RelationEffect& touch(const std::string& relation, LockMode lock, std::string why = {}) {
        for (RelationEffect& e : out_.relations)
            if (e.relation == relation) {
                if (lock > e.lock) e.lock = lock, e.why = why.empty() ? e.why : why;
                return e;
            }
        RelationEffect e;
        e.relation = relation;
        e.lock = lock;
        e.why = std::move(why);
        out_.relations.push_back(std::move(e));
        return out_.relations.back();
    }
    RelationEffect* find_effect(const std::string& relation) {
        for (RelationEffect& e : out_.relations)
            if (e.relation == relation) return &e;
        return nullptr;
    }
    const Relation* find(const std::string& k) const {
        auto it = m_.relations.find(k);
        return it == m_.relations.end() ? nullptr : &it->second;
    }
    // Partitions, and theirs, of a partitioned table.
    std::vector<std::string> partitions(const std::string& parent) const {
        std::vector<std::string> out;
        for (const auto& [k, r] : m_.relations)
            if (r.parent == parent && k != parent) {
                out.push_back(k);
                for (std::string& p : partitions(k)) out.push_back(std::move(p));
            }
        return out;
    }
    bool partitioned(const std::string& table) const {
        const Relation* t = find(table);
        return t && t->partitioned;
    }
    const Column* column(const std::string& table, std::string_view name) const {
        const Relation* t = find(table);
        if (!t) return nullptr;
        for (const Column& c : t->columns)
            if (c.name == name && !c.dropped) return &c;
        return nullptr;
    }

    void alter_table();
    void alter_command(const std::string& table, node::Element cmd);
    void add_column(const std::string& table, node::Element coldef);
    void add_constraint(const std::string& table, node::Element con, bool inline_column,
                        bool column_default);
    void create_table();
    void create_index();
    void drop();
    void drop_constraint(const std::string& table, node::Element cmd);
    void lock_references(const std::string& table, bool cascade);
    void lock_dependent_views(const std::string& relation);
    void foreign_keys_rebuilt(const std::string& table, const std::string& column);
    void alter_domain();
};

}  // namespace pgw::schema::detail
