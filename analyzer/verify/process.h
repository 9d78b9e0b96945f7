// Child processes for the private cluster (initdb, pg_ctl, pg_config), run
// with an argument vector (no shell) and, as root, as an unprivileged user:
// PostgreSQL refuses to run as root.
#pragma once

#include <sys/types.h>

#include <string>
#include <vector>

namespace pgw {

// Who runs the cluster's processes. Inactive: the current user.
struct RunAs {
    bool active = false;
    std::string name;
    uid_t uid = 0;
    gid_t gid = 0;
};

// As root: `postgres`, else `nobody` (PGWARDEN_CLUSTER_USER names another);
// otherwise the current user. Throws std::runtime_error when root has neither.
RunAs cluster_user();

struct ProcessResult {
    int status = -1;     // exit status; 128 + signal when killed
    std::string output;  // stdout and stderr, interleaved
};

// Runs argv[0] (a path, or a name looked up in PATH) in folder `cwd`.
// Throws std::runtime_error when it cannot be started.
ProcessResult run_process(const std::vector<std::string>& argv, const RunAs& as,
                          const std::string& cwd = "/");

// Hands a file tree to the cluster user (lchown of every entry).
void chown_tree(const std::string& path, const RunAs& as);

}  // namespace pgw
