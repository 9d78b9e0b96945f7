// Model operations with side effects: what PostgreSQL drops or renames along
// with an object (dependent indexes, constraints, sequences, foreign keys,
// views over it).
#include <algorithm>
#include <optional>

#include "schema/model.h"
#include "schema/text.h"

namespace pgw::schema {

namespace {

bool is_table_like(RelKind k) {
    return k == RelKind::table || k == RelKind::foreign_table || k == RelKind::matview ||
           k == RelKind::view;
}

bool ident_char(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
           c == '$';
}

// `word` appears in `text` as a whole identifier: an expression index or a
// CHECK that mentions the column.
bool mentions(std::string_view text, std::string_view word) {
    for (std::size_t at = text.find(word); at != std::string_view::npos;
         at = text.find(word, at + 1)) {
        bool left = at == 0 || !ident_char(text[at - 1]);
        bool right = at + word.size() >= text.size() || !ident_char(text[at + word.size()]);
        if (left && right) return true;
    }
    return false;
}

// An index's INCLUDE list or WHERE predicate (its detail after "USING method")
// names the column: dropping the column drops the index too.
bool index_extras_mention(std::string_view detail, std::string_view column) {
    if (detail.starts_with("USING ")) {
        std::size_t end = detail.find(' ', 6);
        detail = end == std::string_view::npos ? std::string_view() : detail.substr(end);
    }
    return mentions(detail, column);
}

// Replaces `word` as a whole identifier: expressions follow a column rename.
void replace_word(std::string& text, std::string_view word, std::string_view by) {
    if (word.empty()) return;
    for (std::size_t at = text.find(word); at != std::string::npos;) {
        bool left = at == 0 || !ident_char(text[at - 1]);
        bool right = at + word.size() >= text.size() || !ident_char(text[at + word.size()]);
        if (left && right) {
            text.replace(at, word.size(), by);
            at = text.find(word, at + by.size());
        } else {
            at = text.find(word, at + 1);
        }
    }
}

// A view's query mentions `name` (an identifier: crude, a relation or column
// of that name in any schema or table counts).
bool mentions_name(const Relation& view, std::string_view name) {
    return std::binary_search(view.uses.begin(), view.uses.end(), name);
}

// A view's query names the relation `key` (by its last name).
bool view_uses(const Relation& view, std::string_view key) {
    return mentions_name(view, bare_name(key));
}

}  // namespace

void SchemaModel::drop_relation(const std::string& key, bool cascade) {
    std::optional<Relation> taken = relations.take(key);
    if (!taken) return;
    const Relation& rel = *taken;
    if (rel.kind == RelKind::index) {
        // DROP INDEX of a constraint's index fails unless CASCADE drops the
        // constraint; either way the constraint does not outlive it.
        if (Relation* table = find_relation(rel.table); table && !rel.constraint.empty())
            std::erase_if(table->constraints,
                          [&](const Constraint& c) { return c.name == rel.constraint; });
        return;
    }
    if (rel.kind == RelKind::sequence) {
        if (!cascade) return;
        // DROP SEQUENCE ... CASCADE removes the column defaults that use it.
        const std::string call = "nextval('" + key + "')";
        auto uses = [&](const Column& c) { return c.default_expr.find(call) != std::string::npos; };
        relations.edit_if(
            [&](const std::string&, const Relation& r) {
                return std::any_of(r.columns.begin(), r.columns.end(), uses);
            },
            [&](const std::string&, Relation& r) {
                for (Column& c : r.columns)
                    if (uses(c)) c.default_expr.clear();
            });
        return;
    }
    // A table takes its indexes, owned sequences (serial), partitions,
    // triggers and policies along; foreign keys that point at it go too (PostgreSQL
    // wants CASCADE for them, or the drop fails). Views only go with CASCADE.
    // One pass over the model (which is the whole set's): the dependents are
    // collected on the way (edit_if tests each entry once, in key order).
    std::vector<std::string> dependents;
    auto refers = [&](const Constraint& c) { return c.type == 'f' && c.references == key; };
    relations.edit_if(
        [&](const std::string& k, const Relation& r) {
            bool owned =
                (r.kind == RelKind::index || r.kind == RelKind::sequence) && r.table == key;
            bool view = cascade && (r.kind == RelKind::view || r.kind == RelKind::matview) &&
                        view_uses(r, key);
            if (owned || r.parent == key || view) dependents.push_back(k);
            return std::any_of(r.constraints.begin(), r.constraints.end(), refers);
        },
        [&](const std::string&, Relation& r) { std::erase_if(r.constraints, refers); });
    for (const std::string& k : dependents) drop_relation(k, cascade);
    auto on_it = [&](const TableObjectKey& k) { return k.first == key; };
    triggers.erase_if_key(on_it);
    policies.erase_if_key(on_it);
}

void SchemaModel::rename_relation(const std::string& from, const std::string& to) {
    if (from == to) return;
    std::optional<Relation> taken = relations.take(from);
    if (!taken) return;
    Relation& rel = *taken;
    rel.key = to;
    if (rel.creator >= 0) created_names[to] = {rel.kind, rel.creator};
    if (rel.kind == RelKind::index && !rel.constraint.empty()) {
        // Renaming a constraint's index renames the constraint as well.
        if (Relation* table = find_relation(rel.table))
            for (Constraint& c : table->constraints)
                if (c.name == rel.constraint) c.name = bare_name(to);
        rel.constraint = bare_name(to);
    }
    const RelKind kind = rel.kind;
    relations[to] = std::move(rel);
    if (kind == RelKind::sequence) {
        // Column defaults name the sequence (nextval('s')): they follow it.
        std::string was = "('" + from + "')", now = "('" + to + "')";
        auto names_it = [&](const Column& c) {
            return c.default_expr.find(was) != std::string::npos;
        };
        relations.edit_if(
            [&](const std::string&, const Relation& r) {
                return std::any_of(r.columns.begin(), r.columns.end(), names_it);
            },
            [&](const std::string&, Relation& r) {
                for (Column& c : r.columns)
                    if (auto at = c.default_expr.find(was); at != std::string::npos)
                        c.default_expr.replace(at, was.size(), now);
            });
        return;
    }
    if (!is_table_like(kind)) return;
    auto refers = [&](const Constraint& c) { return c.references == from; };
    relations.edit_if(
        [&](const std::string&, const Relation& r) {
            return r.table == from || r.parent == from ||
                   std::any_of(r.constraints.begin(), r.constraints.end(), refers);
        },
        [&](const std::string&, Relation& r) {
            if (r.table == from) r.table = to;
            if (r.parent == from) r.parent = to;
            for (Constraint& c : r.constraints)
                if (c.references == from) c.references = to;
        });
    for (auto* objects : {&triggers, &policies}) {
        std::vector<TableObjectKey> keys;
        for (const auto& [k, v] : *objects)
            if (k.first == from) keys.push_back(k);
        std::vector<std::pair<TableObjectKey, Simple>> moved;
        for (const TableObjectKey& k : keys)
            moved.push_back({{to, k.second}, std::move(*objects->take(k))});
        for (auto& [k, v] : moved) (*objects)[k] = std::move(v);
    }
}

void SchemaModel::drop_column(Relation& table, const std::string& column, bool cascade) {
    const std::string key = table.key;
    std::erase_if(table.columns, [&](const Column& c) { return c.name == column; });
    table.columns_changed();
    // PostgreSQL drops the indexes and the table's constraints that involve the
    // column; foreign keys elsewhere that reference it need CASCADE.
    // One pass over the model, collecting what goes on the way.
    std::vector<std::string> gone;
    auto refers = [&](const Constraint& c) {
        return c.type == 'f' && c.references == key &&
               std::find(c.ref_columns.begin(), c.ref_columns.end(), column) != c.ref_columns.end();
    };
    relations.edit_if(
        [&](const std::string& k, const Relation& r) {
            if (r.kind == RelKind::index && r.table == key &&
                (std::any_of(r.index_columns.begin(), r.index_columns.end(),
                             [&](const std::string& c) { return mentions(c, column); }) ||
                 index_extras_mention(r.detail, column)))
                gone.push_back(k);
            if (r.kind == RelKind::sequence && r.table == key && r.owner_column == column)
                gone.push_back(k);
            if (cascade && r.kind == RelKind::view && view_uses(r, key) && mentions_name(r, column))
                gone.push_back(k);
            return std::any_of(r.constraints.begin(), r.constraints.end(), refers);
        },
        [&](const std::string&, Relation& r) { std::erase_if(r.constraints, refers); });
    for (const std::string& k : gone) drop_relation(k, cascade);
    if (Relation* t = find_relation(key))
        std::erase_if(t->constraints, [&](const Constraint& c) {
            return std::find(c.columns.begin(), c.columns.end(), column) != c.columns.end();
        });
}

void SchemaModel::rename_column(Relation& table, const std::string& from, const std::string& to) {
    // PostgreSQL stores expressions by column number: indexes, CHECKs and
    // generated columns show the new name.
    for (Column& c : table.columns) {
        if (c.name == from) c.name = to;
        replace_word(c.generated, from, to);
    }
    table.columns_changed();
    for (Constraint& c : table.constraints) {
        std::replace(c.columns.begin(), c.columns.end(), from, to);
        if (c.type == 'c') replace_word(c.detail, from, to);
    }
    const std::string key = table.key;
    auto refers = [&](const Constraint& c) { return c.type == 'f' && c.references == key; };
    relations.edit_if(
        [&](const std::string&, const Relation& r) {
            return (r.table == key && (r.kind == RelKind::index ||
                                       (r.kind == RelKind::sequence && r.owner_column == from))) ||
                   std::any_of(r.constraints.begin(), r.constraints.end(), refers);
        },
        [&](const std::string&, Relation& r) {
            if (r.table == key && r.kind == RelKind::index) {
                for (std::string& c : r.index_columns) replace_word(c, from, to);
                replace_word(r.detail, from, to);
            }
            if (r.table == key && r.kind == RelKind::sequence && r.owner_column == from)
                r.owner_column = to;
            for (Constraint& c : r.constraints)
                if (refers(c)) std::replace(c.ref_columns.begin(), c.ref_columns.end(), from, to);
        });
}

void SchemaModel::drop_constraint(Relation& table, const std::string& name) {
    auto it = std::find_if(table.constraints.begin(), table.constraints.end(),
                           [&](const Constraint& c) { return c.name == name; });
    if (it == table.constraints.end()) return;
    bool has_index = it->type == 'p' || it->type == 'u' || it->type == 'x';
    table.constraints.erase(it);
    // The index of a PRIMARY KEY/UNIQUE/EXCLUDE constraint goes with it; the
    // NOT NULL a primary key put on its columns stays (PostgreSQL < 18).
    std::string index = normalize_relation(schema_of(table.key), name);
    if (Relation* r = find_relation(index); has_index && r && r->constraint == name) {
        r->constraint.clear();
        drop_relation(index, false);
    }
}

void SchemaModel::rename_type(const std::string& from, const std::string& to) {
    if (from == to) return;
    std::optional<Type> taken = types.take(from);
    if (!taken) return;
    Type& t = *taken;
    t.renamed_from = from;
    t.renamed_in = current_;
    types[to] = std::move(t);
    // Columns follow their type (PostgreSQL stores its oid).
    auto named = [&](const std::string& type) {
        return type == from || type.starts_with(from + "[") || type.starts_with(from + "(");
    };
    auto follow = [&](std::string& type) {
        if (named(type)) type = to + type.substr(from.size());
    };
    auto of_it = [&](const Column& c) { return named(c.type); };
    relations.edit_if(
        [&](const std::string&, const Relation& r) {
            return std::any_of(r.columns.begin(), r.columns.end(), of_it);
        },
        [&](const std::string&, Relation& r) {
            for (Column& c : r.columns) follow(c.type);
        });
    types.edit_if(
        [&](const std::string&, const Type& ty) {
            return named(ty.base) || std::any_of(ty.attributes.begin(), ty.attributes.end(), of_it);
        },
        [&](const std::string&, Type& ty) {
            follow(ty.base);
            for (Column& c : ty.attributes) follow(c.type);
        });
}

void SchemaModel::drop_type(const std::string& key, bool cascade) {
    if (!types.erase(key) || !cascade) return;
    // CASCADE drops the columns of that type and the domains over it.
    auto uses = [&](const std::string& type) {
        return type == key || type.starts_with(key + "[") || type.starts_with(key + "(");
    };
    std::vector<std::pair<std::string, std::string>> cols;  // collected first: drops erase
    for (const auto& [k, r] : relations)
        for (const Column& c : r.columns)
            if (uses(c.type)) cols.push_back({k, c.name});
    for (const auto& [table, column] : cols)
        if (Relation* r = find_relation(table)) drop_column(*r, column, true);
    std::vector<std::string> domains;
    for (const auto& [k, ty] : types)
        if (ty.kind == TypeKind::domain && uses(ty.base)) domains.push_back(k);
    for (const std::string& d : domains) drop_type(d, true);
}

void SchemaModel::drop_schema(const std::string& name, bool cascade) {
    schemas.erase(name);
    (void)cascade;  // without CASCADE a non-empty schema cannot go: its objects are gone either way
    auto inside = [&](std::string_view key) { return schema_of(key) == name; };
    std::vector<std::string> rels;
    for (const auto& [k, r] : relations)
        if (inside(k)) rels.push_back(k);
    for (const std::string& k : rels) drop_relation(k, true);
    std::vector<std::string> tys;
    for (const auto& [k, t] : types)
        if (inside(k)) tys.push_back(k);
    for (const std::string& k : tys) drop_type(k, true);
    routines.erase_if_key(
        [&](const std::string& k) { return inside(std::string_view(k).substr(0, k.find('('))); });
}

}  // namespace pgw::schema
