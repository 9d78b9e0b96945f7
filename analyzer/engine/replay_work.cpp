#include "engine/replay_work.h"

#include <algorithm>
#include <utility>

namespace pgw {

namespace {

// How many files a helper may parse ahead of the replay: enough to keep it
// busy while the replay lints, few enough that parsed files waiting for the
// replay stay a small part of a run's memory.
constexpr std::size_t kWindow = 16;
// And in bytes: a set of large files (dumps, seeds) parsed sixteen ahead
// would hold sixteen of their parse trees at once, where one replay alone
// holds one. Past this much source waiting parsed, helpers wait for the
// replay (beyond it, each helper has at most the file it is parsing).
constexpr std::size_t kAheadBytes = 8 << 20;

}  // namespace

ReplayWork::ReplayWork(WorkBoard* board, std::vector<std::size_t> order, Load load)
    : board_(board), load_(std::move(load)) {
    slots_.resize(order.size());
    for (std::size_t s = 0; s < order.size(); ++s) slots_[s].member = order[s];
    if (board_) board_->post(this);
}

ReplayWork::~ReplayWork() {
    if (board_) board_->withdraw(this);
    // Withdrawn: no helper can start on a file of this replay now, and those
    // that did counted themselves in in_flight_ while the board was locked.
    std::unique_lock<std::mutex> lock(mutex_);
    changed_.wait(lock, [&] { return in_flight_ == 0; });
}

std::size_t ReplayWork::claimable() const {
    if (ahead_bytes_ >= kAheadBytes) return slots_.size();
    std::size_t limit = std::min(slots_.size(), next_ + kWindow);
    for (std::size_t s = next_; s < limit; ++s)
        if (slots_[s].state == State::waiting) return s;
    return slots_.size();
}

void ReplayWork::parse(std::size_t s) {
    std::string error;
    std::unique_ptr<Migration> m = load_(slots_[s].member, error);  // member never changes
    std::lock_guard<std::mutex> lock(mutex_);
    slots_[s].bytes = m ? m->source.bytes.size() : 0;
    ahead_bytes_ += slots_[s].bytes;
    slots_[s].migration = std::move(m);
    slots_[s].error = std::move(error);
    slots_[s].state = State::parsed;
    --in_flight_;
    changed_.notify_all();
}

std::unique_ptr<Migration> ReplayWork::take(std::size_t i, std::string& error) {
    std::unique_lock<std::mutex> lock(mutex_);
    if (next_ >= slots_.size() || slots_[next_].member != i) {
        // Not in the order it was given: load it here, as without helpers.
        lock.unlock();
        return load_(i, error);
    }
    Slot& slot = slots_[next_++];
    std::unique_ptr<Migration> m;
    if (slot.state == State::waiting) {
        slot.state = State::taken;
        lock.unlock();
        m = load_(i, error);
    } else {
        changed_.wait(lock, [&] { return slot.state == State::parsed; });
        slot.state = State::taken;
        ahead_bytes_ -= slot.bytes;
        m = std::move(slot.migration);
        error = std::move(slot.error);
        lock.unlock();
    }
    if (board_) board_->wake();  // one more file may be parsed ahead
    return m;
}

void WorkBoard::post(ReplayWork* w) {
    std::lock_guard<std::mutex> lock(mutex_);
    running_.push_back(w);
    if (idle_ > 0) work_.notify_all();
}

void WorkBoard::withdraw(ReplayWork* w) {
    std::lock_guard<std::mutex> lock(mutex_);
    running_.erase(std::remove(running_.begin(), running_.end(), w), running_.end());
}

void WorkBoard::wake() {
    // idle_ is read under the lock: a helper looks for work and starts
    // waiting without letting go of it, so it either saw the new work or is
    // waiting by now. One take moves the window by one file: one helper is
    // enough (waking them all, on a many-core machine, would have every idle
    // thread search the board for each file taken).
    std::lock_guard<std::mutex> lock(mutex_);
    if (idle_ > 0) work_.notify_one();
}

void WorkBoard::set_done() {
    std::lock_guard<std::mutex> lock(mutex_);
    if (open_ > 0) --open_;
    if (open_ == 0) work_.notify_all();
}

void WorkBoard::help() {
    std::unique_lock<std::mutex> lock(mutex_);
    for (;;) {
        // The replay posted first is the longest (the runner starts the
        // longest sets first), and the one most worth shortening.
        ReplayWork* chosen = nullptr;
        std::size_t slot = 0;
        for (ReplayWork* w : running_) {
            std::lock_guard<std::mutex> hold(w->mutex_);
            if ((slot = w->claimable()) == w->slots_.size()) continue;
            w->slots_[slot].state = ReplayWork::State::parsing;
            ++w->in_flight_;
            chosen = w;
            break;
        }
        if (chosen) {
            lock.unlock();
            chosen->parse(slot);
            lock.lock();
            continue;
        }
        if (open_ == 0) return;
        ++idle_;
        work_.wait(lock);
        --idle_;
    }
}

}  // namespace pgw
