// SHA-256 (FIPS 180-4) for pgwarden.sum checksums and report fingerprints.
// Small and dependency-free: the stack allows Debian packages only, and a hash
// is not worth a crypto library.
#pragma once

#include <string>
#include <string_view>

namespace pgw {

// Lower-case hex digest of `data`.
std::string sha256_hex(std::string_view data);

}  // namespace pgw
