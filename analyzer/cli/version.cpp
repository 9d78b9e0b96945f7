#include "cli/version.h"

#include <pg_query.h>

#include "version_info.h"

namespace pgw {

std::string release_version() {
    return PGWARDEN_PROJECT_VERSION;
}

std::string version_text() {
    std::string text = "pgwarden " + release_version();
    std::string describe = PGWARDEN_GIT_DESCRIBE;
    if (!describe.empty()) text += " (git " + describe + ")";
    // PG_VERSION is the PostgreSQL release whose grammar libpg_query carries.
    text += " parser PostgreSQL " PG_VERSION;
    std::string library = PGWARDEN_PG_QUERY_VERSION;
    if (!library.empty()) text += " (libpg_query " + library + ")";
    return text;
}

}  // namespace pgw
