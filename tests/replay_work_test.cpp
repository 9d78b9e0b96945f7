// ReplayWork and WorkBoard: a set's files parsed ahead by threads that have
// no set left (engine/replay_work.h).
#include "engine/replay_work.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <mutex>
#include <set>
#include <thread>
#include <vector>

using namespace pgw;

namespace {

using Clock = std::chrono::steady_clock;

// Waits (up to 10 s, for loaded machines) until `ready` holds.
template <class Ready>
bool eventually(Ready ready) {
    auto until = Clock::now() + std::chrono::seconds(10);
    while (!ready()) {
        if (Clock::now() > until) return false;
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    return true;
}

// A load that names the migration after its member and counts who loaded it.
struct Loads {
    std::thread::id replay = std::this_thread::get_id();
    std::atomic<int> total{0}, by_helpers{0};
    std::mutex lock;
    std::multiset<std::size_t> members;

    ReplayWork::Load function() {
        return [this](std::size_t i, std::string&) {
            auto m = std::make_unique<Migration>();
            m->source.path = "m" + std::to_string(i);
            {
                std::lock_guard<std::mutex> hold(lock);
                members.insert(i);
            }
            if (std::this_thread::get_id() != replay) ++by_helpers;
            ++total;
            return m;
        };
    }
};

std::vector<std::size_t> members(std::size_t n) {
    std::vector<std::size_t> order;
    for (std::size_t i = 0; i < n; ++i) order.push_back(100 + i);
    return order;
}

TEST(ReplayWork, WithoutABoardLoadsOnTake) {
    Loads loads;
    ReplayWork work(nullptr, members(3), loads.function());
    std::string error;
    EXPECT_EQ(work.take(100, error)->source.path, "m100");
    EXPECT_EQ(loads.total, 1);
    // Out of order (never asked for by the replay, but safe): loaded here.
    EXPECT_EQ(work.take(102, error)->source.path, "m102");
    EXPECT_EQ(work.take(101, error)->source.path, "m101");
    EXPECT_EQ(loads.by_helpers, 0);
}

TEST(ReplayWork, AnIdleThreadParsesAheadWithinItsWindow) {
    WorkBoard board(1);
    std::thread helper([&] { board.help(); });
    Loads loads;
    {
        ReplayWork work(&board, members(40), loads.function());
        // Before the replay takes anything, the helper parses what it will ask
        // for first, but no more than the window (16 files) ahead of it.
        EXPECT_TRUE(eventually([&] { return loads.by_helpers == 16; }));
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
        EXPECT_EQ(loads.by_helpers, 16);
        std::string error;
        for (std::size_t i = 0; i < 40; ++i)
            EXPECT_EQ(work.take(100 + i, error)->source.path, "m" + std::to_string(100 + i));
    }
    board.set_done();
    helper.join();  // help() returns once every set is done
    EXPECT_EQ(loads.total, 40);
    std::lock_guard<std::mutex> hold(loads.lock);
    for (std::size_t i = 0; i < 40; ++i) EXPECT_EQ(loads.members.count(100 + i), 1u) << i;
}

TEST(ReplayWork, LargeFilesAreParsedAheadOnlyWithinTheByteBudget) {
    WorkBoard board(1);
    std::thread helper([&] { board.help(); });
    std::atomic<int> parsed{0};
    {
        // 5 MB files: two parsed ahead pass the 8 MB budget, so the helper stops.
        ReplayWork work(&board, members(10), [&](std::size_t i, std::string&) {
            auto m = std::make_unique<Migration>();
            m->source.path = "m" + std::to_string(i);
            m->source.bytes.assign(5 << 20, 'x');
            ++parsed;
            return m;
        });
        EXPECT_TRUE(eventually([&] { return parsed == 2; }));
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
        EXPECT_EQ(parsed, 2);
        std::string error;
        EXPECT_EQ(work.take(100, error)->source.path, "m100");  // under budget again: one more
        EXPECT_TRUE(eventually([&] { return parsed == 3; }));
        for (std::size_t i = 1; i < 10; ++i)
            EXPECT_EQ(work.take(100 + i, error)->source.path, "m" + std::to_string(100 + i));
    }
    board.set_done();
    helper.join();
    EXPECT_EQ(parsed, 10);
}

TEST(WorkBoard, HelpReturnsWhenTheLastSetIsDone) {
    WorkBoard board(2);
    std::atomic<bool> returned{false};
    std::thread helper([&] {
        board.help();
        returned = true;
    });
    board.set_done();
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    EXPECT_FALSE(returned);  // one set is still open: it may yet post work
    board.set_done();
    EXPECT_TRUE(eventually([&] { return returned.load(); }));
    helper.join();
}

}  // namespace
