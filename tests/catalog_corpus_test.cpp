// rollback-mismatch over the real up/down pairs of ../shared/corpus, through
// the code the CLI runs: group_sets and plan_set pair the files with their
// set's tool, replay_set replays each set in its tool's order and checks
// every pair. Prints the figures and the first mismatches;
// PGW_CORPUS_VERBOSE=1 prints every mismatch.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <iostream>

#include "engine/set_replay.h"
#include "frontend/parse.h"
#include "sets/migration_set.h"
#include "test_support.h"

using namespace pgw;
namespace fs = std::filesystem;

namespace {

struct Figures {
    int total = 0, pass = 0, mismatch = 0, uncertain = 0;
};

TEST(SchemaCorpus, RollbackPairsReplayInVersionOrder) {
    // Built only where the corpus exists (tests/CMakeLists.txt).
    const fs::path root = PGW_CORPUS_DIR;
    ASSERT_TRUE(fs::is_directory(root)) << root;
    bool verbose = std::getenv("PGW_CORPUS_VERBOSE") != nullptr;
    Config config = test::default_config();
    Engine engine(config);
    Naming naming({});
    Figures all;
    for (std::string project : {"concourse", "ente", "kratos", "hydra", "lemmy", "crates_io"}) {
        if (!fs::is_directory(root / project)) continue;
        std::vector<SetMember> members;
        for (const auto& entry : fs::recursive_directory_iterator(root / project)) {
            if (!entry.is_regular_file() || entry.path().extension() != ".sql") continue;
            members.push_back({entry.path().string(), false, true, true});
        }
        std::sort(members.begin(), members.end(),
                  [](const SetMember& a, const SetMember& b) { return a.path < b.path; });
        auto read = [&](std::size_t i, std::string& bytes, std::string& error) {
            return read_file_bytes(members[i].path, bytes, error);
        };
        tools::Project files{[](const std::string& p) -> std::optional<std::string> {
            std::string bytes, error;
            if (!read_file_bytes(p, bytes, error)) return std::nullopt;
            return bytes;
        }};
        std::vector<FileFacts> facts(members.size());
        PlanOptions options;
        options.naming = &naming;
        options.project = &files;
        options.bytes = [&](std::size_t i) {
            std::string bytes, error;
            read(i, bytes, error);
            return bytes;
        };
        std::vector<PlannedSet> plans;
        for (const SetGroup& g : group_sets(members, files))
            plans.push_back(plan_set(g, members, facts, options));
        ASSERT_FALSE(plans.empty()) << project;
        Figures f;
        int shown = 0;
        for (const PlannedSet& plan : plans) {
            SetReplay replay{&plan, &members, &facts, &files, read, false};
            replay_set(engine, replay, [](std::size_t, FileReport) {});
            for (std::size_t d : plan.down_of_up) {
                if (d == kNoFile) continue;
                const FileFacts& down = facts[d];
                ++f.total;
                if (!down.rollback_checked)
                    ++f.uncertain;
                else if (down.rollback_differences.empty())
                    ++f.pass;
                else
                    ++f.mismatch;
                if (down.rollback_checked && !down.rollback_differences.empty() &&
                    (shown++ < 2 || verbose)) {
                    std::cout << "  " << members[d].path << "\n";
                    for (const std::string& diff : down.rollback_differences)
                        std::cout << "      " << diff << "\n";
                }
            }
        }
        std::cout << project << ": pairs " << f.total << ", pass " << f.pass << ", mismatch "
                  << f.mismatch << ", uncertain " << f.uncertain << "\n";
        all.total += f.total;
        all.pass += f.pass;
        all.mismatch += f.mismatch;
        all.uncertain += f.uncertain;
    }
    std::cout << "all: pairs " << all.total << ", pass " << all.pass << ", mismatch "
              << all.mismatch << ", uncertain " << all.uncertain << "\n";
    EXPECT_GT(all.total, 1400);
    // Measured 2026-11-23: 1,109 of 1,471 pairs pass (75.4%), 345 mismatch,
    // 17 uncertain. The mismatches reviewed are real: kratos' generated downs
    // are shifted (down N drops what up N+1 creates), hydra's generic downs
    // say "Down migrations from Hydra 2.x to 1.x are not available", ente and
    // concourse downs restore a column or constraint differently (ente 29
    // re-adds email UNIQUE instead of users_email_index), enum values cannot
    // be removed. A drop below these floors is a model (or pairing) regression.
    EXPECT_GE(all.pass * 1000, all.total * 750);
    EXPECT_LE(all.uncertain * 100, all.total * 10);
}

}  // namespace
