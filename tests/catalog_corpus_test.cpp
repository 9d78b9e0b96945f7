// rollback-mismatch over the real up/down pairs of ../shared/corpus, through
// the code the CLI runs: compute_facts pairs the files and names their sets,
// rollback_chains orders each set, run_chain replays it (one model per ory
// dialect) and checks every pair. Prints the figures and the first
// mismatches; PGW_CORPUS_VERBOSE=1 prints every mismatch.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <mutex>

#include "frontend/parse.h"
#include "sets/migration_set.h"
#include "sets/rollback_pairs.h"
#include "test_support.h"

using namespace pgw;
namespace fs = std::filesystem;

namespace {

struct File {
    std::string path, disk_path;
};

struct Figures {
    int total = 0, pass = 0, mismatch = 0, uncertain = 0;
};

TEST(SchemaCorpus, RollbackPairsReplayInVersionOrder) {
    // Built only where the corpus exists (tests/CMakeLists.txt).
    const fs::path root = PGW_CORPUS_DIR;
    ASSERT_TRUE(fs::is_directory(root)) << root;
    bool verbose = std::getenv("PGW_CORPUS_VERBOSE") != nullptr;
    Config config = test::default_config();
    Naming naming({});
    Figures all;
    for (std::string project : {"concourse", "ente", "kratos", "hydra", "lemmy", "crates_io"}) {
        if (!fs::is_directory(root / project)) continue;
        std::vector<File> inputs;
        std::vector<SetMember> members;
        for (const auto& entry : fs::recursive_directory_iterator(root / project)) {
            if (!entry.is_regular_file() || entry.path().extension() != ".sql") continue;
            File in;
            in.path = (project / fs::relative(entry.path(), root / project)).string();
            in.disk_path = entry.path().string();
            inputs.push_back(in);
        }
        std::sort(inputs.begin(), inputs.end(),
                  [](const File& a, const File& b) { return a.path < b.path; });
        for (const File& in : inputs) members.push_back({in.path, false, true});
        std::vector<FileFacts> facts = compute_facts(members, naming, nullptr, false);
        auto load = [&](std::size_t i, std::string& error) -> std::unique_ptr<Migration> {
            std::string bytes;
            if (!read_file_bytes(inputs[i].disk_path, bytes, error)) return nullptr;
            return parse_migration(SourceFile::from_bytes(inputs[i].path, std::move(bytes)),
                                   config.compiled_placeholders);
        };
        Figures f;
        int shown = 0;
        std::vector<RollbackChain> chains = rollback_chains(members, facts);
        ASSERT_FALSE(chains.empty()) << project;
        for (const RollbackChain& chain : chains) {
            run_chain(chain, facts, load,
                      [](std::size_t, const Migration* m, const std::string&) { ASSERT_TRUE(m); });
            for (std::size_t d : chain.downs_of_up) {
                if (d == static_cast<std::size_t>(-1)) continue;
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
                    std::cout << "  " << inputs[d].path << "\n";
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
