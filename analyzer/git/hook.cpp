#include "git/hook.h"

#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "git/git.h"
#include "hook_script.h"  // generated from hooks/pre-commit by CMake

namespace pgw {

namespace fs = std::filesystem;

namespace {

constexpr const char* kMarker = "pgwarden-hook";
constexpr const char* kChained = "pre-commit.pgwarden-chain";
constexpr const char* kBackup = "pre-commit.pgwarden-backup";

fs::path hooks_dir() {
    GitOutput r = run_git({"rev-parse", "--git-path", "hooks"});
    if (r.status != 0) throw HookError("not a git repository: " + r.err);
    // --git-path is relative to the current folder unless absolute.
    return fs::absolute(r.out.substr(0, r.out.find('\n'))).lexically_normal();
}

std::string slurp(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::ostringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

bool is_ours(const fs::path& p) {
    return slurp(p).find(kMarker) != std::string::npos;
}

void write_executable(const fs::path& p) {
    fs::path tmp = p;
    tmp += ".tmp";
    {
        std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
        out << hook_script();
        if (!out) throw HookError(tmp.string() + ": cannot write");
    }
    ::chmod(tmp.c_str(), 0755);
    std::error_code ec;
    fs::rename(tmp, p, ec);
    if (ec) throw HookError(p.string() + ": cannot write: " + ec.message());
}

}  // namespace

const std::string& hook_script() {
    static const std::string script = kHookScript;
    return script;
}

std::string install_hook(ExistingHook existing) {
    fs::path dir = hooks_dir();
    std::error_code ec;
    fs::create_directories(dir, ec);
    if (ec) throw HookError(dir.string() + ": cannot create: " + ec.message());
    fs::path hook = dir / "pre-commit";
    std::string note;
    if (fs::exists(hook) && !is_ours(hook)) {
        if (existing == ExistingHook::refuse)
            throw HookError(hook.string() +
                            ": a pre-commit hook already exists and is not pgwarden's; use --chain "
                            "to run it before pgwarden, or --force to replace it");
        fs::path keep = dir / (existing == ExistingHook::chain ? kChained : kBackup);
        if (fs::exists(keep)) throw HookError(keep.string() + ": already exists, not overwritten");
        fs::rename(hook, keep, ec);
        if (ec) throw HookError(hook.string() + ": cannot move: " + ec.message());
        note = existing == ExistingHook::chain
                   ? " (the existing hook runs first, from " + keep.string() + ")"
                   : " (the previous hook was saved as " + keep.string() + ")";
    }
    write_executable(hook);
    return "installed " + hook.string() + note;
}

std::string uninstall_hook() {
    fs::path dir = hooks_dir();
    fs::path hook = dir / "pre-commit";
    if (!fs::exists(hook)) return "no pre-commit hook installed in " + dir.string();
    if (!is_ours(hook)) throw HookError(hook.string() + ": not pgwarden's hook, left alone");
    std::error_code ec;
    fs::remove(hook, ec);
    if (ec) throw HookError(hook.string() + ": cannot remove: " + ec.message());
    fs::path chained = dir / kChained;
    if (fs::exists(chained)) {
        fs::rename(chained, hook, ec);
        if (ec) throw HookError(chained.string() + ": cannot restore: " + ec.message());
        return "removed pgwarden's hook; restored the previous hook " + hook.string();
    }
    return "removed " + hook.string();
}

}  // namespace pgw
