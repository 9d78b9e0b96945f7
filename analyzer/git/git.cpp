#include "git/git.h"

#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <filesystem>
#include <map>
#include <set>

#include "frontend/paths.h"

extern char** environ;

namespace pgw {

namespace fs = std::filesystem;

namespace {

// Writes to git's stdin. git may exit before reading it all (not a
// repository): the write then fails with EPIPE instead of killing pgwarden
// with SIGPIPE, which is blocked for this thread meanwhile and discarded.
ssize_t write_no_sigpipe(int fd, const char* data, std::size_t size) {
    sigset_t pipe_set, old;
    sigemptyset(&pipe_set);
    sigaddset(&pipe_set, SIGPIPE);
    pthread_sigmask(SIG_BLOCK, &pipe_set, &old);
    ssize_t n = write(fd, data, size);
    int saved = errno;
    if (n < 0 && errno == EPIPE) {
        timespec zero{0, 0};
        while (sigtimedwait(&pipe_set, nullptr, &zero) == SIGPIPE) {
        }
    }
    pthread_sigmask(SIG_SETMASK, &old, nullptr);
    errno = saved;
    return n;
}

}  // namespace

std::vector<std::string> split_nul(const std::string& s) {
    std::vector<std::string> out;
    std::size_t at = 0;
    while (at < s.size()) {
        std::size_t end = s.find('\0', at);
        if (end == std::string::npos) end = s.size();
        out.push_back(s.substr(at, end - at));
        at = end + 1;
    }
    return out;
}

// `git diff --raw -z --no-renames --no-abbrev`: per path
// ":<old mode> <new mode> <old sha> <new sha> <status>" then the path, NUL-separated.
std::map<std::string, RawChange> parse_raw_diff(const std::string& out) {
    std::map<std::string, RawChange> changes;
    auto parts = split_nul(out);
    for (std::size_t i = 0; i + 1 < parts.size(); i += 2) {
        const std::string& h = parts[i];
        std::size_t s1 = h.find(' '), s2 = h.find(' ', s1 + 1), s3 = h.find(' ', s2 + 1),
                    s4 = h.find(' ', s3 + 1);
        if (h.empty() || h[0] != ':' || s4 == std::string::npos || s4 + 1 >= h.size()) continue;
        RawChange c;
        c.old_sha = h.substr(s2 + 1, s3 - s2 - 1);
        c.new_sha = h.substr(s3 + 1, s4 - s3 - 1);
        c.status = h[s4 + 1];
        changes[parts[i + 1]] = std::move(c);
    }
    return changes;
}

std::map<std::string, std::string> parse_cat_file_batch(const std::string& out,
                                                        const std::vector<std::string>& paths) {
    std::map<std::string, std::string> contents;
    std::size_t at = 0;
    for (const auto& p : paths) {
        std::size_t nl = out.find('\n', at);
        if (nl == std::string::npos) break;
        std::string_view header(out.data() + at, nl - at);  // "<sha> blob <size>" or "... missing"
        at = nl + 1;
        auto space = header.rfind(' ');
        if (header.ends_with(" missing") || space == std::string::npos) continue;
        std::string_view digits = header.substr(space + 1);
        std::size_t size = 0;
        bool ok = !digits.empty() && digits.size() <= 15;
        for (char c : digits) ok = ok && c >= '0' && c <= '9', size = size * 10 + (c - '0');
        if (!ok || size > out.size() - at) break;  // not git's answer: stop reading
        contents[p] = out.substr(at, size);
        at += size + 1;  // the content is followed by a newline
        if (at > out.size()) break;
    }
    return contents;
}

GitOutput run_git(const std::vector<std::string>& args, const std::string& input) {
    int in[2], out[2], err[2];
    if (pipe(in) || pipe(out) || pipe(err)) throw GitError("cannot run git: pipe failed");
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, in[0], 0);
    posix_spawn_file_actions_adddup2(&actions, out[1], 1);
    posix_spawn_file_actions_adddup2(&actions, err[1], 2);
    for (int fd : {in[0], in[1], out[0], out[1], err[0], err[1]})
        posix_spawn_file_actions_addclose(&actions, fd);
    // Read-only: no optional locks, so `git diff`'s stat refresh never rewrites
    // .git/index under the user (git-config(1), GIT_OPTIONAL_LOCKS).
    std::vector<std::string> argv_store = {"git", "--no-optional-locks"};
    argv_store.insert(argv_store.end(), args.begin(), args.end());
    std::vector<char*> argv;
    for (auto& a : argv_store) argv.push_back(a.data());
    argv.push_back(nullptr);
    pid_t pid;
    int rc = posix_spawnp(&pid, "git", &actions, nullptr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    close(in[0]), close(out[1]), close(err[1]);
    if (rc != 0) {
        close(in[1]), close(out[0]), close(err[0]);
        throw GitError("cannot run git: is it installed and on PATH?");
    }
    // Feed stdin and drain stdout/stderr together: a large batch would
    // otherwise deadlock with git blocked on a full pipe.
    fcntl(in[1], F_SETFL, O_NONBLOCK);
    GitOutput result;
    std::size_t written = 0;
    int in_fd = in[1];
    if (input.empty()) close(in_fd), in_fd = -1;
    int out_fd = out[0], err_fd = err[0];
    char buf[65536];
    while (out_fd >= 0 || err_fd >= 0) {
        pollfd fds[3] = {{out_fd, POLLIN, 0}, {err_fd, POLLIN, 0}, {in_fd, POLLOUT, 0}};
        if (poll(fds, in_fd >= 0 ? 3 : 2, -1) < 0) {
            if (errno == EINTR) continue;
            break;
        }
        for (int k = 0; k < 2; ++k) {
            int& fd = k == 0 ? out_fd : err_fd;
            if (fd < 0 || !(fds[k].revents & (POLLIN | POLLHUP | POLLERR))) continue;
            ssize_t n = read(fd, buf, sizeof buf);
            if (n > 0)
                (k == 0 ? result.out : result.err).append(buf, static_cast<std::size_t>(n));
            else if (n == 0 || errno != EINTR)
                close(fd), fd = -1;
        }
        if (in_fd >= 0 && (fds[2].revents & (POLLOUT | POLLERR | POLLHUP))) {
            ssize_t n = write_no_sigpipe(in_fd, input.data() + written, input.size() - written);
            if (n > 0) written += static_cast<std::size_t>(n);
            if (n < 0 && errno != EAGAIN && errno != EINTR) written = input.size();
            if (written >= input.size()) close(in_fd), in_fd = -1;
        }
    }
    if (in_fd >= 0) close(in_fd);
    int status = 0;
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    result.status = WIFEXITED(status) ? WEXITSTATUS(status) : 128;
    if (auto nl = result.err.find('\n'); nl != std::string::npos) result.err.resize(nl);
    return result;
}

namespace {

GitOutput git_or_throw(const std::vector<std::string>& args, const std::string& what,
                       const std::string& input = {}) {
    GitOutput r = run_git(args, input);
    if (r.status != 0)
        throw GitError(what + ": " + (r.err.empty() ? "git " + args.front() + " failed" : r.err));
    return r;
}

// Paths from git are relative to the top of the work tree; the user sees them
// relative to the current folder, as `git status` shows them.
struct PathMapper {
    fs::path prefix;  // the current folder, relative to the top
    std::string display(const std::string& top_relative) const {
        return fs::path(top_relative).lexically_relative(prefix).generic_string();
    }
};

PathMapper mapper() {
    GitOutput r = git_or_throw({"rev-parse", "--show-prefix"}, "not a git repository");
    std::string prefix = r.out.substr(0, r.out.find('\n'));
    return PathMapper{fs::path(prefix.empty() ? "." : prefix).lexically_normal()};
}

// Index contents of `paths`, in one `git cat-file --batch` process.
std::map<std::string, std::string> index_contents(const std::vector<std::string>& paths) {
    if (paths.empty()) return {};
    std::string input;
    for (const auto& p : paths) input += ":" + p + '\0';
    GitOutput r = git_or_throw({"cat-file", "--batch", "-z"}, "reading the index", input);
    return parse_cat_file_batch(r.out, paths);
}

// The commit HEAD names, or the empty tree before the first commit.
std::string head_or_empty() {
    GitOutput r = run_git({"rev-parse", "--verify", "-q", "HEAD^{commit}"});
    if (r.status == 0) return r.out.substr(0, r.out.find('\n'));
    return "4b825dc642cb6eb9a060e54bf8d69288fbee4904";  // git hash-object -t tree /dev/null
}

// diff-index, unlike `git diff`, never refreshes (rewrites) .git/index, so a
// file whose stat data changed is listed as modified with an unknown (zero)
// work-tree hash: those whose content hashes to the base's blob are dropped.
// `hash-object` without -w writes nothing either.
void drop_unchanged(std::map<std::string, RawChange>& changes, const PathMapper& map) {
    std::vector<std::string> tops;
    std::string input;
    for (const auto& [top, c] : changes) {
        bool unknown = c.new_sha.find_first_not_of('0') == std::string::npos;
        if (c.status != 'M' || !unknown || top.find('\n') != std::string::npos) continue;
        tops.push_back(top);
        input += map.display(top) + '\n';
    }
    if (tops.empty()) return;
    GitOutput r = run_git({"hash-object", "--stdin-paths"}, input);
    if (r.status != 0) return;  // keep them as modified
    std::size_t at = 0;
    for (const std::string& top : tops) {
        std::size_t nl = r.out.find('\n', at);
        if (nl == std::string::npos) break;
        if (r.out.compare(at, nl - at, changes[top].old_sha) == 0) changes.erase(top);
        at = nl + 1;
    }
}

// Migrations the change deletes (or renames: with --no-renames a rename is a
// deletion and an addition, found again by its unchanged content).
void removed_migrations(const std::map<std::string, RawChange>& changes, const PathMapper& map,
                        MigrationFilter filter, const void* data, const std::string& base,
                        ChangeSet& set) {
    std::map<std::string, std::string> added_by_sha;
    for (const auto& [path, c] : changes)
        if (c.status == 'A' && !c.new_sha.empty() &&
            c.new_sha.find_first_not_of('0') != std::string::npos)
            added_by_sha.emplace(c.new_sha, path);
    for (const auto& [path, c] : changes) {
        if (c.status != 'D') continue;
        std::string shown = map.display(path);
        if (!filter(shown, data)) continue;
        auto to = added_by_sha.find(c.old_sha);
        std::string what = to != added_by_sha.end() ? "renamed to " + map.display(to->second)
                                                    : std::string("deleted");
        set.removed.push_back({shown, "migration " + shown + " exists at " + base + " and is " +
                                          what +
                                          ": an applied migration must not be deleted or renamed"});
    }
}

}  // namespace

std::vector<std::string> git_ignored(const std::vector<std::string>& paths) {
    if (paths.empty()) return {};
    namespace fs = std::filesystem;
    std::error_code ec;
    fs::path first = fs::absolute(paths.front(), ec).parent_path();
    // Each path normalized once: what git is asked about, then what its
    // answer is matched against.
    std::vector<std::string> asked;
    asked.reserve(paths.size());
    std::string input;
    for (const std::string& p : paths) {
        asked.push_back(absolute_normal_path(p));
        input += asked.back();
        input += '\0';
    }
    GitOutput r;
    try {
        r = run_git({"-C", first.string(), "check-ignore", "-z", "--stdin"}, input);
    } catch (const GitError&) {
        return {};
    }
    if (r.status != 0) return {};  // 1: nothing ignored; 128: not a repository
    std::set<std::string> ignored;
    for (const std::string& p : split_nul(r.out)) ignored.insert(p);
    std::vector<std::string> out;
    for (std::size_t i = 0; i < paths.size(); ++i)
        if (ignored.count(asked[i])) out.push_back(paths[i]);
    return out;
}

ChangeSet staged_changes(MigrationFilter filter, const void* data) {
    PathMapper map = mapper();
    auto staged =
        parse_raw_diff(git_or_throw({"diff-index", "--cached", "--raw", "-z", "--no-renames",
                                     "--no-abbrev", head_or_empty(), "--"},
                                    "listing staged files")
                           .out);
    ChangeSet set;
    set.base_label = "HEAD";
    // "<mode> <sha> <stage>\t<path>" per index entry: the mode says which are symlinks.
    auto all = split_nul(
        git_or_throw({"ls-files", "-z", "--stage", "--full-name", ":/"}, "listing the index").out);
    std::vector<std::string> lint_paths;
    std::vector<std::size_t> lint_files;  // index in set.files of lint_paths[i]
    std::set<std::string> seen;
    for (const std::string& entry : all) {
        std::size_t tab = entry.find('\t');
        if (tab == std::string::npos) continue;
        std::string top = entry.substr(tab + 1);
        if (!seen.insert(top).second) continue;  // unmerged entries appear once per stage
        std::string shown = map.display(top);
        if (!filter(shown, data)) continue;
        ChangedFile f;
        f.path = shown;
        auto it = staged.find(top);
        char status = it == staged.end() ? 0 : it->second.status;
        bool changed = status == 'A' || status == 'M' || status == 'T';
        f.lint = changed;
        f.is_new = status == 'A';
        // A symlink's blob is the path it points to, not SQL: the file it names
        // in the work tree is read instead.
        bool symlink = entry.starts_with("120000 ");
        if (changed && !symlink) {
            lint_paths.push_back(top);
            lint_files.push_back(set.files.size());
        }
        set.files.push_back(std::move(f));
    }
    auto contents = index_contents(lint_paths);
    for (std::size_t i = 0; i < lint_paths.size(); ++i) {
        auto it = contents.find(lint_paths[i]);
        if (it == contents.end()) continue;
        ChangedFile& f = set.files[lint_files[i]];
        f.content = std::move(it->second);
        f.has_content = true;
    }
    removed_migrations(staged, map, filter, data, "HEAD", set);
    std::sort(set.files.begin(), set.files.end(),
              [](const ChangedFile& a, const ChangedFile& b) { return a.path < b.path; });
    return set;
}

ChangeSet diff_base_changes(const std::string& rev, MigrationFilter filter, const void* data) {
    PathMapper map = mapper();
    GitOutput mb = run_git({"merge-base", "--end-of-options", rev, "HEAD"});
    if (mb.status != 0)
        throw GitError("--diff-base: cannot find a merge base of '" + rev + "' and HEAD" +
                       (mb.err.empty() ? "" : ": " + mb.err));
    std::string base = mb.out.substr(0, mb.out.find('\n'));
    auto changes = parse_raw_diff(
        git_or_throw({"diff-index", "--raw", "-z", "--no-renames", "--no-abbrev", base, "--"},
                     "comparing with the base")
            .out);
    drop_unchanged(changes, map);
    for (const auto& p : split_nul(
             git_or_throw({"ls-files", "-z", "--others", "--exclude-standard", "--full-name", ":/"},
                          "listing untracked files")
                 .out)) {
        std::string sha;
        if (auto it = changes.find(p); it != changes.end()) sha = it->second.new_sha;
        changes[p] = RawChange{'A', {}, sha};
    }
    std::set<std::string> at_base;
    for (const auto& p :
         split_nul(git_or_throw({"ls-tree", "-r", "-z", "--name-only", "--full-tree", base},
                                "listing the base")
                       .out))
        at_base.insert(p);
    std::set<std::string> current;
    for (const auto& p : split_nul(
             git_or_throw({"ls-files", "-z", "--cached", "--full-name", ":/"}, "listing files")
                 .out))
        current.insert(p);
    for (const auto& [p, c] : changes)
        if (c.status == 'A') current.insert(p);

    ChangeSet set;
    set.base_label = rev + " (merge base " + base.substr(0, 12) + ")";
    for (const std::string& top : current) {
        auto it = changes.find(top);
        char status = it == changes.end() ? 0 : it->second.status;
        if (status == 'D') continue;  // deleted: reported below
        std::string shown = map.display(top);
        if (!filter(shown, data)) continue;
        ChangedFile f;
        f.path = shown;
        f.at_base = at_base.count(top) > 0;
        bool changed = status == 'A' || status == 'M' || status == 'T';
        f.lint = changed;
        f.is_new = changed && !f.at_base;
        f.edited = changed && f.at_base;
        set.files.push_back(std::move(f));
    }
    removed_migrations(changes, map, filter, data, set.base_label, set);
    std::sort(set.files.begin(), set.files.end(),
              [](const ChangedFile& a, const ChangedFile& b) { return a.path < b.path; });
    return set;
}

}  // namespace pgw
