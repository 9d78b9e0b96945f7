// Shared by the unit tests.
#pragma once

#include "engine/config.h"

namespace pgw::test {

// The configuration a project without .pgwarden.json gets.
inline Config default_config() {
    Config c;
    finalize_config(c);
    return c;
}

}  // namespace pgw::test
