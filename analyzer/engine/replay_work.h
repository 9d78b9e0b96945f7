// Parsing ahead of a set's replay (issue 17). A set is replayed by one
// thread, file after file, because every file is linted against what the
// files before it left. Reading and parsing a file needs none of that, so a
// thread with no set left to take parses the files a running replay will ask
// for next, instead of idling while the longest set finishes.
//
// Output does not depend on it: a file parses the same on whichever thread,
// and the replay takes its files in its own order whoever parsed them.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "frontend/parse.h"

namespace pgw {

class WorkBoard;

// One replay's files, in the order it takes them.
class ReplayWork {
  public:
    // Reads and parses member i; nullptr (and `error`) when it cannot be read.
    using Load = std::function<std::unique_ptr<Migration>(std::size_t i, std::string& error)>;

    // `board` may be null: then no other thread helps, and take() loads.
    ReplayWork(WorkBoard* board, std::vector<std::size_t> order, Load load);
    ~ReplayWork();  // waits for the helpers still working for it
    ReplayWork(const ReplayWork&) = delete;
    ReplayWork& operator=(const ReplayWork&) = delete;

    // The next file of the order, which must be member i: parsed here unless a
    // helper already started it, in which case this waits for the helper.
    std::unique_ptr<Migration> take(std::size_t i, std::string& error);

  private:
    friend class WorkBoard;
    enum class State : unsigned char { waiting, parsing, parsed, taken };
    struct Slot {
        std::size_t member = 0;
        State state = State::waiting;
        std::unique_ptr<Migration> migration;
        std::string error;
        std::size_t bytes = 0;  // parsed: the size of its source
    };
    // Under mutex_: the next slot a helper may parse (within the window past
    // next_, and while what waits parsed is under the byte budget), or
    // slots_.size() when there is none.
    std::size_t claimable() const;
    void parse(std::size_t s);  // a helper, without mutex_ held

    WorkBoard* board_;
    Load load_;
    std::vector<Slot> slots_;
    std::size_t next_ = 0;         // the slot take() hands out next
    std::size_t ahead_bytes_ = 0;  // source bytes of the files parsed and not yet taken
    std::size_t in_flight_ = 0;    // helpers parsing a file of this replay
    std::mutex mutex_;
    std::condition_variable changed_;
};

// The replays of one run, where threads that have run out of sets find work.
class WorkBoard {
  public:
    // `sets`: how many sets the run replays; help() returns once all of them
    // have called set_done().
    explicit WorkBoard(std::size_t sets) : open_(sets) {}

    void set_done();  // a set's replay is over (every set calls it once)
    // Parses ahead for the running replays until every set is done.
    void help();

  private:
    friend class ReplayWork;
    void post(ReplayWork* w);
    void withdraw(ReplayWork* w);
    void wake();  // a replay took a file: its window moved

    std::mutex mutex_;
    std::condition_variable work_;
    std::vector<ReplayWork*> running_;
    std::size_t open_;
    std::size_t idle_ = 0;  // helpers waiting for work
};

}  // namespace pgw
