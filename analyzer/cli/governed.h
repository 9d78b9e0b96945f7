// SPEC §6: without --config, each file is governed by the nearest
// .pgwarden.json above it, up to the repository root, so a hook run at a
// monorepo's root and a run inside one of its projects agree. The inputs
// gathered for one run are split by the config that governs them and each
// part is linted with its own config; the reports are merged by path.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "cli/inputs.h"
#include "cli/runner.h"
#include "engine/config.h"

namespace pgw {

// `main` governs the files under no other config (and is the one the run
// started with); `load` returns the config at a path, with the command line's
// overrides. With `narrow` (no paths on the command line: the files come
// from the configured folders), a file under another config is linted only
// when that config's folders, include and exclude take it in.
// `finder` knows what discovery listed (Gathered::finder); a default one
// asks the file system about every folder.
RunResult run_governed(const std::vector<Input>& inputs, const Config& main,
                       const std::function<const Config&(const std::string&)>& load,
                       const RunOptions& options, bool narrow, ConfigFinder finder = {});

}  // namespace pgw
