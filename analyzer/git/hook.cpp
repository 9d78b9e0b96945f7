#include "git/hook.h"

#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "frontend/atomic_file.h"
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

// Ours when its second line is our marker line, as every version of
// hooks/pre-commit writes it: a hook that merely mentions pgwarden-hook (one
// that calls it, say) is someone else's.
bool is_ours(const fs::path& p) {
    std::string text = slurp(p);
    std::size_t nl = text.find('\n');
    return text.starts_with("#!") && nl != std::string::npos &&
           text.compare(nl + 1, std::string_view(kMarker).size() + 3,
                        std::string("# ") + kMarker + ":") == 0;
}

// `text` as one single-quoted shell word.
std::string shell_quote(const std::string& text) {
    std::string out = "'";
    for (char c : text) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
    return out + "'";
}

// The hook with the absolute path of the pgwarden installing it (SPEC §8),
// so a commit from a shell without pgwarden on PATH is still checked.
std::string hook_for(const std::string& binary) {
    std::string script = hook_script();
    const std::string slot = "\ninstalled_by=\n";
    std::size_t at = script.find(slot);
    if (at == std::string::npos || binary.empty()) return script;
    return script.replace(at, slot.size(), "\ninstalled_by=" + shell_quote(binary) + "\n");
}

}  // namespace

std::string running_binary() {
    std::error_code ec;
    fs::path self = fs::read_symlink("/proc/self/exe", ec);
    return ec ? std::string() : self.string();
}

const std::string& hook_script() {
    static const std::string script = kHookScript;
    return script;
}

std::string install_hook(ExistingHook existing, const std::string& binary) {
    fs::path dir = hooks_dir();
    std::error_code ec;
    fs::create_directories(dir, ec);
    if (ec) throw HookError(dir.string() + ": cannot create: " + ec.message());
    fs::path hook = dir / "pre-commit";
    std::string note;
    fs::path keep;  // where the user's hook goes
    if (fs::exists(hook) && !is_ours(hook)) {
        if (existing == ExistingHook::refuse)
            throw HookError(hook.string() +
                            ": a pre-commit hook already exists and is not pgwarden's; use --chain "
                            "to run it before pgwarden, or --force to replace it");
        keep = dir / (existing == ExistingHook::chain ? kChained : kBackup);
        if (fs::symlink_status(keep).type() != fs::file_type::not_found)
            throw HookError(keep.string() + ": already exists, not overwritten");
        note = existing == ExistingHook::chain
                   ? " (the existing hook runs first, from " + keep.string() + ")"
                   : " (the previous hook was saved as " + keep.string() + ")";
    }
    // The new hook is written and synced before the user's is moved aside; if
    // it cannot take its place, the user's goes back.
    AtomicFile file;
    std::string error;
    // Executable whatever the old file's mode; a symbolic link (a hook manager's)
    // is moved aside or replaced itself, never written through.
    if (!file.prepare(hook.string(), hook_for(binary), error, WriteMode{0777, false, false}))
        throw HookError(error);
    if (!keep.empty()) {
        fs::rename(hook, keep, ec);
        if (ec) throw HookError(hook.string() + ": cannot move: " + ec.message());
    }
    if (!file.commit(error)) {
        if (!keep.empty()) fs::rename(keep, hook, ec);
        throw HookError(error);
    }
    return "installed " + hook.string() + note +
           (binary.empty() ? std::string() : "; it runs " + binary);
}

std::string uninstall_hook() {
    fs::path dir = hooks_dir();
    fs::path hook = dir / "pre-commit";
    if (!fs::exists(hook)) return "no pre-commit hook installed in " + dir.string();
    if (!is_ours(hook)) throw HookError(hook.string() + ": not pgwarden's hook, left alone");
    std::error_code ec;
    fs::remove(hook, ec);
    if (ec) throw HookError(hook.string() + ": cannot remove: " + ec.message());
    // What install moved aside, chained (--chain) or saved (--force), goes back.
    for (const char* name : {kChained, kBackup}) {
        fs::path kept = dir / name;
        if (fs::symlink_status(kept).type() == fs::file_type::not_found) continue;
        fs::rename(kept, hook, ec);
        if (ec) throw HookError(kept.string() + ": cannot restore: " + ec.message());
        return "removed pgwarden's hook; restored the previous hook " + hook.string() + " from " +
               kept.string();
    }
    return "removed " + hook.string();
}

}  // namespace pgw
