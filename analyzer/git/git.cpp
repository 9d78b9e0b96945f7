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
    std::vector<std::string> argv_store = {"git"};
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

// `git diff --name-status -z`: status letter, then path, NUL-separated.
std::map<std::string, char> name_status(const std::string& out) {
    std::map<std::string, char> changes;
    auto parts = split_nul(out);
    for (std::size_t i = 0; i + 1 < parts.size(); i += 2)
        if (!parts[i].empty()) changes[parts[i + 1]] = parts[i][0];
    return changes;
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
    std::map<std::string, std::string> contents;
    if (paths.empty()) return contents;
    std::string input;
    for (const auto& p : paths) input += ":" + p + '\0';
    GitOutput r = git_or_throw({"cat-file", "--batch", "-z"}, "reading the index", input);
    std::size_t at = 0;
    for (const auto& p : paths) {
        std::size_t nl = r.out.find('\n', at);
        if (nl == std::string::npos) break;
        std::string header = r.out.substr(at, nl - at);  // "<sha> blob <size>" or "... missing"
        at = nl + 1;
        auto space = header.rfind(' ');
        if (header.ends_with(" missing") || space == std::string::npos) continue;
        std::size_t size = std::stoull(header.substr(space + 1));
        contents[p] = r.out.substr(at, size);
        at += size + 1;  // the content is followed by a newline
    }
    return contents;
}

}  // namespace

std::vector<std::string> git_ignored(const std::vector<std::string>& paths) {
    if (paths.empty()) return {};
    namespace fs = std::filesystem;
    std::error_code ec;
    fs::path first = fs::absolute(paths.front(), ec).parent_path();
    std::string input;
    for (const std::string& p : paths)
        input += fs::absolute(p, ec).lexically_normal().string() + '\0';
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
    for (const std::string& p : paths)
        if (ignored.count(fs::absolute(p, ec).lexically_normal().string())) out.push_back(p);
    return out;
}

ChangeSet staged_changes(MigrationFilter filter, const void* data) {
    PathMapper map = mapper();
    auto staged =
        name_status(git_or_throw({"diff", "--cached", "--name-status", "-z", "--no-renames"},
                                 "listing staged files")
                        .out);
    ChangeSet set;
    std::vector<std::string> lint_paths;
    auto all = split_nul(
        git_or_throw({"ls-files", "-z", "--cached", "--full-name", ":/"}, "listing the index").out);
    std::set<std::string> seen;
    for (const std::string& top : all) {
        if (!seen.insert(top).second) continue;  // unmerged entries appear once per stage
        std::string shown = map.display(top);
        if (!filter(shown, data)) continue;
        ChangedFile f;
        f.path = shown;
        auto it = staged.find(top);
        bool changed = it != staged.end() && (it->second == 'A' || it->second == 'M');
        f.lint = changed;
        f.is_new = changed && it->second == 'A';
        if (changed) lint_paths.push_back(top);
        set.files.push_back(std::move(f));
    }
    auto contents = index_contents(lint_paths);
    for (auto& f : set.files) {
        if (!f.lint) continue;
        for (const auto& [top, text] : contents)
            if (map.display(top) == f.path) f.content = text, f.has_content = true;
    }
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
    auto changes =
        name_status(git_or_throw({"diff", "--name-status", "-z", "--no-renames", base, "--"},
                                 "comparing with the base")
                        .out);
    for (const auto& p : split_nul(
             git_or_throw({"ls-files", "-z", "--others", "--exclude-standard", "--full-name", ":/"},
                          "listing untracked files")
                 .out))
        changes[p] = 'A';
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
    for (const auto& [p, status] : changes)
        if (status == 'A') current.insert(p);

    ChangeSet set;
    set.base_label = rev + " (merge base " + base.substr(0, 12) + ")";
    for (const std::string& top : current) {
        auto it = changes.find(top);
        if (it != changes.end() && it->second == 'D') continue;  // deleted: nothing to lint
        std::string shown = map.display(top);
        if (!filter(shown, data)) continue;
        ChangedFile f;
        f.path = shown;
        f.at_base = at_base.count(top) > 0;
        bool changed = it != changes.end() && (it->second == 'A' || it->second == 'M');
        f.lint = changed;
        f.is_new = changed && !f.at_base;
        f.edited = changed && f.at_base;
        set.files.push_back(std::move(f));
    }
    std::sort(set.files.begin(), set.files.end(),
              [](const ChangedFile& a, const ChangedFile& b) { return a.path < b.path; });
    return set;
}

}  // namespace pgw
