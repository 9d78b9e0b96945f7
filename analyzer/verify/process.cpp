#include "verify/process.h"

#include <fcntl.h>
#include <grp.h>
#include <pwd.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <stdexcept>

namespace pgw {

namespace fs = std::filesystem;

RunAs cluster_user() {
    RunAs as;
    if (::geteuid() != 0) return as;
    const char* wanted = std::getenv("PGWARDEN_CLUSTER_USER");
    std::vector<std::string> names;
    if (wanted && *wanted)
        names.push_back(wanted);
    else
        names = {"postgres", "nobody"};
    for (const auto& n : names) {
        if (const passwd* pw = ::getpwnam(n.c_str()); pw && pw->pw_uid != 0) {
            as.active = true;
            as.name = n;
            as.uid = pw->pw_uid;
            as.gid = pw->pw_gid;
            return as;
        }
    }
    throw std::runtime_error(
        "PostgreSQL refuses to run as root and there is no unprivileged user (" + names.front() +
        (names.size() > 1 ? ", " + names.back() : std::string()) +
        ") to run the cluster as: create one (useradd --system postgres) or run pgwarden as a "
        "normal user");
}

ProcessResult run_process(const std::vector<std::string>& argv, const RunAs& as,
                          const std::string& cwd) {
    // Everything the child needs is prepared before fork: after it, only
    // async-signal-safe calls (the parent may have other threads).
    std::vector<char*> args;
    for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    int fds[2];
    if (::pipe2(fds, O_CLOEXEC) != 0)
        throw std::runtime_error("pipe: " + std::string(strerror(errno)));
    sigset_t none;
    sigemptyset(&none);
    pid_t pid = ::fork();
    if (pid < 0) {
        ::close(fds[0]);
        ::close(fds[1]);
        throw std::runtime_error("fork: " + std::string(strerror(errno)));
    }
    if (pid == 0) {
        // The parent blocks SIGINT/SIGTERM for its cleanup thread; the
        // cluster's processes must receive them normally.
        ::sigprocmask(SIG_SETMASK, &none, nullptr);
        ::dup2(fds[1], STDOUT_FILENO);
        ::dup2(fds[1], STDERR_FILENO);
        int devnull = ::open("/dev/null", O_RDONLY);
        if (devnull >= 0) ::dup2(devnull, STDIN_FILENO);
        if (as.active) {
            gid_t gid = as.gid;
            if (::setgroups(1, &gid) != 0 || ::setgid(as.gid) != 0 || ::setuid(as.uid) != 0)
                ::_exit(126);
        }
        if (::chdir(cwd.c_str()) != 0) ::_exit(126);
        ::execvp(args[0], args.data());
        ::_exit(127);
    }
    ::close(fds[1]);
    ProcessResult r;
    char buf[4096];
    for (ssize_t n; (n = ::read(fds[0], buf, sizeof buf)) != 0;) {
        if (n < 0) {
            if (errno == EINTR) continue;
            break;
        }
        if (r.output.size() < (1u << 20)) r.output.append(buf, static_cast<std::size_t>(n));
    }
    ::close(fds[0]);
    int status = 0;
    while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    r.status = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    if (r.status == 127) r.output += argv[0] + ": cannot be executed";
    return r;
}

void chown_tree(const std::string& path, const RunAs& as) {
    if (!as.active) return;
    ::lchown(path.c_str(), as.uid, as.gid);
    std::error_code ec;
    for (auto it = fs::recursive_directory_iterator(path, ec); !ec && it != fs::end(it);
         it.increment(ec))
        if (::lchown(it->path().c_str(), as.uid, as.gid) != 0)
            throw std::runtime_error(it->path().string() + ": cannot hand to user " + as.name +
                                     ": " + strerror(errno));
}

}  // namespace pgw
