// A check opens each migration once: what tool detection read is handed to
// the replay (issue 17: the file calls were most of a run's kernel time, and
// every file was opened twice). Counted with inotify, which sees every open
// of a file in the watched folder, whoever opens it.
#include <gtest/gtest.h>
#include <sys/inotify.h>
#include <unistd.h>

#include <cerrno>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "cli/runner.h"
#include "test_support.h"

namespace fs = std::filesystem;

namespace {

// Opens of each file of `dir` while `run` runs.
template <class Run>
std::map<std::string, int> opens_during(const fs::path& dir, Run run) {
    int fd = ::inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
    EXPECT_GE(fd, 0);
    EXPECT_GE(::inotify_add_watch(fd, dir.c_str(), IN_OPEN), 0);
    run();
    std::map<std::string, int> opens;
    alignas(inotify_event) char buf[64 * 1024];
    for (;;) {
        ssize_t n = ::read(fd, buf, sizeof buf);
        if (n <= 0) break;
        for (char* p = buf; p < buf + n;) {
            auto* e = reinterpret_cast<inotify_event*>(p);
            if (e->len > 0) ++opens[e->name];
            p += sizeof(inotify_event) + e->len;
        }
    }
    ::close(fd);
    return opens;
}

std::vector<pgw::Input> inputs_of(const fs::path& dir, const std::vector<std::string>& names) {
    std::vector<pgw::Input> inputs;
    for (const std::string& name : names) {
        pgw::Input in;
        in.path = (dir / name).string();
        in.disk_path = in.path;
        inputs.push_back(in);
    }
    return inputs;
}

TEST(ReadOnce, EachMigrationIsOpenedOnceWhateverTheJobs) {
    for (unsigned jobs : {1u, 2u, 4u}) {
        pgw::test::TempDir tmp;
        // goose: detection reads every file for its annotations.
        tmp.file("00001_users.sql",
                 "-- +goose Up\nCREATE TABLE users (id bigint PRIMARY KEY);\n"
                 "-- +goose Down\nDROP TABLE users;\n");
        tmp.file("00002_email.sql",
                 "-- +goose Up\nALTER TABLE users ADD COLUMN email text;\n"
                 "-- +goose Down\nALTER TABLE users DROP COLUMN email;\n");
        tmp.file("00003_index.sql",
                 "-- +goose Up\nCREATE INDEX users_email ON users (email);\n"
                 "-- +goose Down\nDROP INDEX users_email;\n");
        std::vector<std::string> names = {"00001_users.sql", "00002_email.sql", "00003_index.sql"};
        pgw::RunOptions options;
        options.jobs = jobs;
        pgw::RunResult run;
        auto opens = opens_during(tmp.root, [&] {
            run = pgw::run_check(inputs_of(tmp.root, names), pgw::test::default_config(), options);
        });
        ASSERT_EQ(run.files.size(), 3u) << "jobs " << jobs;
        // The replay did see the bytes: the index is built without CONCURRENTLY.
        bool concurrent_finding = false;
        for (const auto& f : run.files[2].findings)
            concurrent_finding |= f.rule == "require-concurrent-index";
        EXPECT_TRUE(concurrent_finding) << "jobs " << jobs;
        for (const std::string& name : names)
            EXPECT_EQ(opens[name], 1) << name << " with jobs " << jobs;
    }
}

TEST(ReadOnce, AFileDetectionCouldNotReadIsReportedByTheReplay) {
    pgw::test::TempDir tmp;
    tmp.file("00001_users.sql", "-- +goose Up\nCREATE TABLE users (id bigint);\n");
    std::vector<pgw::Input> inputs = inputs_of(tmp.root, {"00001_users.sql", "00002_gone.sql"});
    pgw::RunOptions options;
    pgw::RunResult run = pgw::run_check(inputs, pgw::test::default_config(), options);
    ASSERT_EQ(run.files.size(), 2u);
    ASSERT_FALSE(run.files[1].findings.empty());
    EXPECT_EQ(run.files[1].findings[0].rule, "parse-error");
    EXPECT_NE(run.files[1].findings[0].message.find("cannot read file"), std::string::npos)
        << run.files[1].findings[0].message;
}

}  // namespace
