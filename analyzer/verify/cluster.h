// The private cluster `verify` starts by default (SPEC §9 "Where"): initdb
// into a short temporary folder (a Unix socket path is limited to about 107
// bytes), the socket in that folder and no TCP listener, durability off;
// stopped and removed at the end, on error and on SIGINT/SIGTERM.
//
// An initialised cluster is cached per PostgreSQL version and build, outside
// the user's repository ($XDG_CACHE_HOME/pgwarden, else ~/.cache/pgwarden),
// created under a temporary name and renamed into place so two runs never see
// half a cache entry: a warm start copies it instead of running initdb.
#pragma once

#include <memory>
#include <stdexcept>
#include <string>

#include "verify/process.h"

namespace pgw {

struct ClusterError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

struct ClusterOptions {
    std::string bindir;  // --pg-bindir; empty: pg_config --bindir, else the newest Debian one
    bool keep = false;   // --keep: leave the folder (stopped) and say where
};

// Where the server binaries are: --pg-bindir, `pg_config --bindir`, else the
// newest /usr/lib/postgresql/<N>/bin (Debian does not put initdb on PATH).
std::string find_bindir(const std::string& given);

class Cluster {
  public:
    // Starts a cluster; throws ClusterError with a one-line reason.
    static std::unique_ptr<Cluster> start(const ClusterOptions& options);
    ~Cluster();
    Cluster(const Cluster&) = delete;
    Cluster& operator=(const Cluster&) = delete;

    // libpq connection string for database `db`.
    std::string conninfo(const std::string& db = "postgres") const;
    const std::string& folder() const { return folder_; }
    const std::string& version() const { return version_; }  // "15.18"
    bool warm() const { return warm_; }
    double start_seconds() const { return start_seconds_; }
    // Stops the server and removes the folder (unless kept). Idempotent; also
    // what the signal handler runs.
    void stop() noexcept;
    // The line `--keep` prints: where the folder is and how to start it again.
    std::string kept_message() const;

    // The signal thread's cleanup: every running cluster, registry lock held.
    static void stop_all_locked() noexcept;

  private:
    Cluster() = default;
    void stop_locked() noexcept;
    std::string folder_, data_, bindir_, version_;
    RunAs as_;
    bool keep_ = false, warm_ = false, stopped_ = false;
    double start_seconds_ = 0;
    long postmaster_ = 0;
};

// Blocks SIGINT, SIGTERM and SIGHUP in the calling thread (call it before
// starting any other thread) and handles them in a thread of their own: stop
// every running cluster, remove its folder, then die of the same signal so
// the exit status is the conventional one.
void install_signal_cleanup();

}  // namespace pgw
