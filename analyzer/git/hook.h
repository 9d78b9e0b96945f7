// `pgwarden hook install|uninstall`: puts hooks/pre-commit into the repository's
// hooks folder (core.hooksPath respected). A hook that is not ours is never
// replaced silently: refuse, chain it (--chain) or replace it (--force).
#pragma once

#include <stdexcept>
#include <string>

namespace pgw {

struct HookError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

enum class ExistingHook { refuse, chain, replace };

// Returns what was done, for the user. Throws HookError / GitError. The hook
// runs `binary` (an absolute path; empty: pgwarden on PATH) unless PGWARDEN is
// set; uninstall puts back what install moved aside (--chain or --force).
std::string install_hook(ExistingHook existing, const std::string& binary);
std::string uninstall_hook();

// The absolute path of the running pgwarden ("" when it cannot be known).
std::string running_binary();

// The hook script (hooks/pre-commit), embedded at build time.
const std::string& hook_script();

}  // namespace pgw
