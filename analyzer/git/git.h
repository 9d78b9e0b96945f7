// Layer "git": git queries (change sets, blobs at a base) and the hook
// install. May include frontend/ only.
//
// Talking to git for --staged and --diff-base: the change set (which migrations
// are added or edited), index contents, and what exists at the diff base.
// git runs as a child process with an argument vector, never through a shell,
// so file names with spaces, quotes or leading dashes are just names.
#pragma once

#include <map>
#include <stdexcept>
#include <string>
#include <vector>

namespace pgw {

struct GitError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

struct GitOutput {
    int status = 0;
    std::string out;
    std::string err;  // first line, for messages
};

// Readers of git's machine output (fuzz/fuzz_readers.cpp feeds them anything).
// NUL-separated fields (`-z`).
std::vector<std::string> split_nul(const std::string& s);
struct RawChange {
    char status = 0;  // A, M, D, T (type change) ...
    std::string old_sha, new_sha;
};
// `git diff --raw -z --no-renames --no-abbrev`: per path
// ":<old mode> <new mode> <old sha> <new sha> <status>", then the path.
std::map<std::string, RawChange> parse_raw_diff(const std::string& out);
// `git cat-file --batch` answers for `paths`, in order: path -> content.
std::map<std::string, std::string> parse_cat_file_batch(const std::string& out,
                                                        const std::vector<std::string>& paths);

// Runs `git args...` in the current folder, feeding `input` on stdin.
GitOutput run_git(const std::vector<std::string>& args, const std::string& input = {});

// A migration the change set touches or that gives it context.
struct ChangedFile {
    std::string path;     // relative to the current folder, as displayed
    std::string content;  // index content (--staged); empty with has_content false
    bool has_content = false;
    bool lint = false;     // added or modified: linted
    bool is_new = false;   // added by the change
    bool at_base = false;  // exists at the diff base
    bool edited = false;   // existed at the base and changed
};

struct ChangeSet {
    std::vector<ChangedFile> files;  // sorted by path
    std::string base_label;          // "origin/main (merge base 1a2b3c4d)"
    // Migrations at the base that the change deletes or renames: (path, why),
    // reported as immutable-migration (SPEC §8).
    std::vector<std::pair<std::string, std::string>> removed;
};

// The paths git ignores (.gitignore and friends; tracked files are never
// ignored), asked of the repository that holds them. Empty outside a
// repository or when git is missing: nothing is skipped then.
std::vector<std::string> git_ignored(const std::vector<std::string>& paths);

// `is_migration` decides, from a displayed path, which files count.
using MigrationFilter = bool (*)(const std::string& display_path, const void* data);

// The staged migrations (their index content) plus every other migration in
// the index as context. Throws GitError outside a repository.
ChangeSet staged_changes(MigrationFilter filter, const void* data);

// Migrations added or changed since the merge base of `rev` and HEAD (working
// tree included, untracked files too), plus every other migration on disk as
// context, each flagged with whether it exists at the base.
ChangeSet diff_base_changes(const std::string& rev, MigrationFilter filter, const void* data);

}  // namespace pgw
