#include "verify/cluster.h"

#include <signal.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <regex>
#include <set>
#include <sstream>
#include <thread>

#include "frontend/sha256.h"

namespace pgw {

namespace fs = std::filesystem;

namespace {

using Clock = std::chrono::steady_clock;

// Every running cluster, for the signal thread. Once that thread starts
// cleaning up it keeps the lock until the process dies, so no other thread
// removes a folder or starts a server behind its back.
std::mutex& registry_mutex() {
    static std::mutex m;
    return m;
}
std::set<Cluster*>& registry() {
    static std::set<Cluster*> r;
    return r;
}

std::string slurp(const fs::path& p) {
    std::ifstream f(p, std::ios::binary);
    std::stringstream ss;
    ss << f.rdbuf();
    return ss.str();
}

bool has_server(const fs::path& dir) {
    std::error_code ec;
    return fs::exists(dir / "initdb", ec) && fs::exists(dir / "pg_ctl", ec) &&
           fs::exists(dir / "postgres", ec);
}

std::string first_line(const std::string& s) {
    return s.substr(0, s.find('\n'));
}

// Alive and not a zombie (a postmaster whose parent has not reaped it yet).
bool process_alive(long pid) {
    if (pid <= 0 || ::kill(static_cast<pid_t>(pid), 0) != 0) return errno == EPERM;
    std::string stat = slurp("/proc/" + std::to_string(pid) + "/stat");
    auto close = stat.rfind(')');
    return close == std::string::npos || close + 2 >= stat.size() || stat[close + 2] != 'Z';
}

long postmaster_pid(const fs::path& data) {
    return std::atol(first_line(slurp(data / "postmaster.pid")).c_str());
}

// Signals the postmaster and waits for it (and so its children) to exit.
void stop_postmaster(long pid, int sig) {
    if (!process_alive(pid)) return;
    ::kill(static_cast<pid_t>(pid), sig);
    auto deadline = Clock::now() + std::chrono::seconds(30);
    while (process_alive(pid)) {
        if (Clock::now() > deadline) {
            ::kill(static_cast<pid_t>(pid), SIGKILL);
            deadline = Clock::now() + std::chrono::seconds(5);
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
}

bool usable_base(const char* dir, unsigned long long min_free) {
    struct statvfs st;
    std::error_code ec;
    return dir && *dir && std::strlen(dir) < 60 && fs::is_directory(dir, ec) &&
           ::access(dir, W_OK | X_OK) == 0 && ::statvfs(dir, &st) == 0 &&
           static_cast<unsigned long long>(st.f_bavail) * st.f_frsize >= min_free;
}

// Where the temporary folders go (short paths: the socket lives there):
// PGWARDEN_TMPDIR; else /dev/shm, a tmpfs on Linux, when it has room (a warm
// start copies the cached cluster, about a thousand small files, several
// times faster than onto a disk); else $TMPDIR; else /tmp.
fs::path temp_base() {
    const char* mine = std::getenv("PGWARDEN_TMPDIR");
    if (usable_base(mine, 0)) return mine;
    if (usable_base("/dev/shm", 2ull << 30)) return "/dev/shm";
    const char* t = std::getenv("TMPDIR");
    if (usable_base(t, 0)) return t;
    return "/tmp";
}

// Folders of earlier runs that died without cleaning up (SIGKILL, power
// loss): their owner is gone and they were not kept. Only our own user's.
void reap_stale(const fs::path& base) {
    std::error_code ec;
    for (auto it = fs::directory_iterator(base, ec); !ec && it != fs::end(it); it.increment(ec)) {
        const fs::path& dir = it->path();
        if (dir.filename().string().rfind("pgw-", 0) != 0) continue;
        std::istringstream owner(slurp(dir / "owner"));
        long pid = 0, uid = -1;
        if (!(owner >> pid >> uid) || uid != static_cast<long>(::geteuid())) continue;
        if (process_alive(pid) || fs::exists(dir / "kept", ec)) continue;
        stop_postmaster(postmaster_pid(dir / "data"), SIGQUIT);
        fs::remove_all(dir, ec);
    }
}

fs::path cache_root() {
    if (const char* c = std::getenv("PGWARDEN_CACHE_DIR"); c && *c) return c;
    if (const char* x = std::getenv("XDG_CACHE_HOME"); x && *x) return fs::path(x) / "pgwarden";
    if (const char* h = std::getenv("HOME"); h && *h) return fs::path(h) / ".cache" / "pgwarden";
    return "/tmp/pgwarden-cache-" + std::to_string(::geteuid());
}

// Settings of a throwaway server: no TCP, no durability, nothing running in
// the background that could take locks while statements are traced.
// https://www.postgresql.org/docs/15/non-durability.html
constexpr const char* kSettings =
    "\n# pgwarden verify: a throwaway cluster\n"
    "listen_addresses = ''\n"
    "fsync = off\n"
    "synchronous_commit = off\n"
    "full_page_writes = off\n"
    "wal_level = minimal\n"
    "max_wal_senders = 0\n"
    "max_wal_size = 1GB\n"
    "checkpoint_timeout = 1h\n"
    "autovacuum = off\n"
    "jit = off\n"
    "max_connections = 40\n"
    "max_locks_per_transaction = 256\n"
    "track_counts = on\n"
    "log_min_messages = warning\n";

void copy_tree(const fs::path& from, const fs::path& to) {
    fs::copy(from, to, fs::copy_options::recursive | fs::copy_options::copy_symlinks);
    fs::permissions(to, fs::perms::owner_all, fs::perm_options::replace);
}

}  // namespace

std::string find_bindir(const std::string& given) {
    if (!given.empty()) {
        if (!has_server(given))
            throw ClusterError("--pg-bindir " + given + ": no initdb, pg_ctl and postgres there");
        return given;
    }
    try {
        ProcessResult r = run_process({"pg_config", "--bindir"}, RunAs{});
        std::string dir = first_line(r.output);
        if (r.status == 0 && has_server(dir)) return dir;
    } catch (const std::exception&) {
        // no pg_config: look where Debian installs servers
    }
    int best = -1;
    std::error_code ec;
    for (auto it = fs::directory_iterator("/usr/lib/postgresql", ec); !ec && it != fs::end(it);
         it.increment(ec)) {
        std::string name = it->path().filename().string();
        if (name.empty() || name.find_first_not_of("0123456789.") != std::string::npos) continue;
        int major = std::atoi(name.c_str());
        if (major > best && has_server(it->path() / "bin")) best = major;
    }
    if (best < 0)
        throw ClusterError(
            "no PostgreSQL server found (no --pg-bindir, pg_config --bindir has no initdb, "
            "nothing in /usr/lib/postgresql): install one (apt-get install postgresql) or pass "
            "--database-url");
    return "/usr/lib/postgresql/" + std::to_string(best) + "/bin";
}

std::unique_ptr<Cluster> Cluster::start(const ClusterOptions& options) {
    auto begin = Clock::now();
    std::unique_ptr<Cluster> c(new Cluster);
    c->bindir_ = find_bindir(options.bindir);
    c->keep_ = options.keep;
    try {
        c->as_ = cluster_user();
    } catch (const std::exception& e) {
        throw ClusterError(e.what());
    }
    ProcessResult v = run_process({c->bindir_ + "/postgres", "--version"}, RunAs{});
    std::smatch m;
    std::string vline = first_line(v.output);
    if (v.status != 0 || !std::regex_search(vline, m, std::regex(R"((\d+)(\.\d+)?)")))
        throw ClusterError(c->bindir_ + "/postgres --version failed: " + vline);
    c->version_ = m.str(0);

    fs::path base = temp_base();
    reap_stale(base);
    std::string templ = (base / "pgw-XXXXXX").string();
    if (!::mkdtemp(templ.data()))
        throw ClusterError(base.string() +
                           ": cannot create a temporary folder: " + strerror(errno));
    c->folder_ = templ;
    c->data_ = c->folder_ + "/data";
    {
        std::lock_guard<std::mutex> lock(registry_mutex());
        registry().insert(c.get());
    }
    std::ofstream(c->folder_ + "/owner") << ::getpid() << " " << ::geteuid() << "\n";
    chown_tree(c->folder_, c->as_);

    // Warm: copy the cached cluster. Cold: initdb, then offer the result to the cache.
    fs::path cache = cache_root();
    fs::path entry = cache / ("pg" + c->version_ + "-" + sha256_hex(c->bindir_).substr(0, 12));
    std::error_code ec;
    if (fs::exists(entry / "PG_VERSION", ec)) {
        try {
            copy_tree(entry, c->data_);
            c->warm_ = true;
        } catch (const std::exception&) {
            fs::remove_all(c->data_, ec);  // a broken entry: initdb instead
        }
    }
    if (!c->warm_) {
        ProcessResult r = run_process(
            {c->bindir_ + "/initdb", "-D", c->data_, "-U", "postgres", "-A", "trust", "-E", "UTF8",
             "--locale=C", "--no-sync", "--no-instructions", "--wal-segsize=1"},
            c->as_, c->folder_);
        if (r.status != 0)
            throw ClusterError("initdb failed (as " + (c->as_.active ? c->as_.name : "you") +
                               "): " + first_line(r.output));
        std::ofstream(c->data_ + "/postgresql.conf", std::ios::app) << kSettings;
        // Atomic: copied under a temporary name, renamed into place; a run that
        // loses the race throws its copy away.
        fs::path tmp = cache / (".tmp-" + std::to_string(::getpid()) + "-" +
                                fs::path(c->folder_).filename().string());
        try {
            fs::create_directories(cache);
            copy_tree(c->data_, tmp);
            fs::rename(tmp, entry, ec);
        } catch (const std::exception&) {
            // no cache (read-only home, ...): cold starts only
        }
        fs::remove_all(tmp, ec);
    }
    std::ofstream(c->data_ + "/postgresql.conf", std::ios::app)
        << "unix_socket_directories = '" << c->folder_ << "'\n";
    chown_tree(c->data_, c->as_);

    ProcessResult r = run_process({c->bindir_ + "/pg_ctl", "-D", c->data_, "-l",
                                   c->folder_ + "/server.log", "-W", "-s", "start"},
                                  c->as_, c->folder_);
    if (r.status != 0) throw ClusterError("pg_ctl start failed: " + first_line(r.output));
    // Ready when postmaster.pid's status line says so (its 8th line).
    // https://www.postgresql.org/docs/15/storage-file-layout.html
    auto deadline = Clock::now() + std::chrono::seconds(60);
    for (;;) {
        std::istringstream pidfile(slurp(c->data_ + "/postmaster.pid"));
        std::string line;
        std::vector<std::string> lines;
        while (std::getline(pidfile, line)) lines.push_back(line);
        if (!lines.empty()) c->postmaster_ = std::atol(lines[0].c_str());
        if (lines.size() >= 8 && lines[7].rfind("ready", 0) == 0) break;
        bool gone = c->postmaster_ > 0 && !process_alive(c->postmaster_);
        if (gone || Clock::now() > deadline) {
            std::string log = slurp(c->folder_ + "/server.log");
            auto fatal = log.find("FATAL");
            throw ClusterError(
                "the PostgreSQL server did not start: " +
                (fatal == std::string::npos ? first_line(log) : first_line(log.substr(fatal))));
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(3));
    }
    c->start_seconds_ = std::chrono::duration<double>(Clock::now() - begin).count();
    return c;
}

std::string Cluster::conninfo(const std::string& db) const {
    return "host='" + folder_ + "' port=5432 user=postgres dbname='" + db +
           "' application_name=pgwarden connect_timeout=10";
}

std::string Cluster::kept_message() const {
    return "cluster kept (stopped) in " + folder_ + ": start it with `" +
           (as_.active ? "su " + as_.name + " -s /bin/sh -c '" : std::string()) + bindir_ +
           "/pg_ctl -D " + data_ + " -l " + folder_ + "/server.log start" +
           (as_.active ? "'" : "") + "`, connect with `psql -h " + folder_ + " -U postgres`";
}

void Cluster::stop() noexcept {
    std::lock_guard<std::mutex> lock(registry_mutex());
    stop_locked();
}

void Cluster::stop_all_locked() noexcept {
    for (Cluster* c : registry()) c->stop_locked();
}

void Cluster::stop_locked() noexcept {
    if (stopped_) return;
    stopped_ = true;
    // Immediate shutdown of a throwaway server; a kept one shuts down cleanly.
    // https://www.postgresql.org/docs/15/server-shutdown.html
    stop_postmaster(postmaster_, keep_ ? SIGINT : SIGQUIT);
    std::error_code ec;
    if (keep_)
        std::ofstream(folder_ + "/kept") << "kept\n";
    else
        fs::remove_all(folder_, ec);
}

Cluster::~Cluster() {
    stop();
    std::lock_guard<std::mutex> lock(registry_mutex());
    registry().erase(this);
}

void install_signal_cleanup() {
    static std::once_flag once;
    std::call_once(once, [] {
        sigset_t set;
        sigemptyset(&set);
        sigaddset(&set, SIGINT);
        sigaddset(&set, SIGTERM);
        sigaddset(&set, SIGHUP);
        pthread_sigmask(SIG_BLOCK, &set, nullptr);
        std::thread([set] {
            int sig = 0;
            if (sigwait(&set, &sig) != 0) return;
            registry_mutex().lock();  // held until the process dies
            Cluster::stop_all_locked();
            signal(sig, SIG_DFL);
            sigset_t one;
            sigemptyset(&one);
            sigaddset(&one, sig);
            pthread_sigmask(SIG_UNBLOCK, &one, nullptr);
            raise(sig);
            _exit(128 + sig);
        }).detach();
    });
}

}  // namespace pgw
