// What `pgwarden --version` says: the release, the commit it was built from
// (git describe, written at build time by cmake/write_version.cmake) and the
// PostgreSQL parser inside it.
#pragma once

#include <string>

namespace pgw {

// "pgwarden 0.1.0 (git v0.1.0-3-gabc1234) parser PostgreSQL 15.1 (libpg_query 15-4.0.0)"
std::string version_text();
// The release number alone ("0.1.0"), as reports name the tool.
std::string release_version();

}  // namespace pgw
