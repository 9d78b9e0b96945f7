// `pgwarden init`: the layout of the project in the current folder (its
// migration folders, their tool, the naming their files follow), for the
// starter configuration. Reads files; writes nothing.
#pragma once

#include "engine/config.h"

namespace pgw {

StarterLayout find_layout(const Config& defaults);

}  // namespace pgw
