// Schema knowledge: which relations exist and which ones the change being
// linted creates itself. Locking rules ask `is_new_table`; a table created by
// this change has no readers yet, so locking it is harmless.
#pragma once

#include <set>
#include <string>
#include <string_view>

#include "parse.h"

namespace pgw {

// "public.users" and "users" are the same table; "audit.users" is another.
std::string normalize_relation(std::string_view schema, std::string_view name);
std::string normalize_relation(std::string_view dotted);

class Catalog {
public:
    // Tables created by the change (earlier in this file, or by another
    // migration new in this change set). Indexes are not tracked yet.
    bool is_new_table(std::string_view qualified) const;
    bool is_new_relation(std::string_view qualified) const { return is_new_table(qualified); }
    void add_new_table(std::string qualified) { new_tables_.insert(std::move(qualified)); }

    // Updates the knowledge with what `st` does (CREATE TABLE, table renames).
    void apply(const Statement& st);

    const std::set<std::string, std::less<>>& new_tables() const { return new_tables_; }

private:
    std::set<std::string, std::less<>> new_tables_;
};

}  // namespace pgw
