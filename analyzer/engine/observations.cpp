#include "engine/observations.h"

namespace pgw {

std::string lock_mode_sql(const std::string& mode) {
    // pg_locks spells the modes in CamelCase with a "Lock" suffix.
    // https://www.postgresql.org/docs/15/explicit-locking.html#LOCKING-TABLES
    std::string name = mode;
    if (name.size() > 4 && name.compare(name.size() - 4, 4, "Lock") == 0)
        name.resize(name.size() - 4);
    std::string out;
    for (std::size_t i = 0; i < name.size(); ++i) {
        char c = name[i];
        if (i > 0 && c >= 'A' && c <= 'Z') out += ' ';
        out += static_cast<char>(c >= 'a' && c <= 'z' ? c - 'a' + 'A' : c);
    }
    return out;
}

}  // namespace pgw
