// A map of the schema model whose changes can be undone (issue 17). The
// rollback check and a down file's lint replay statements on the set's model
// and then put it back, instead of copying the part of the model those
// statements reach. During such a trial (SchemaModel::Trial) every change
// first saves the entry as it was, or that there was none; ending the trial
// restores what was saved. Reading is the map's own const interface; changing
// goes only through the members below, so no change can bypass the journal.
#pragma once

#include <cstddef>
#include <map>
#include <optional>
#include <stdexcept>
#include <utility>

namespace pgw::schema {

template <class Map>
class JournaledMap {
  public:
    using key_type = typename Map::key_type;
    using mapped_type = typename Map::mapped_type;
    using value_type = typename Map::value_type;
    using const_iterator = typename Map::const_iterator;
    using key_compare = typename Map::key_compare;
    // What a trial saved: each touched key, with its entry as it was (none: it
    // did not exist).
    using Saved = std::map<key_type, std::optional<mapped_type>, key_compare>;

    JournaledMap() = default;
    JournaledMap(const JournaledMap& other) : map_(other.map_) {}  // a copy is in no trial
    JournaledMap(JournaledMap&& other) noexcept : map_(std::move(other.map_)) {}
    JournaledMap& operator=(const JournaledMap& other) {
        if (this != &other) edit_all() = other.map_;
        return *this;
    }
    JournaledMap& operator=(JournaledMap&& other) noexcept {
        if (this != &other) edit_all() = std::move(other.map_);
        return *this;
    }

    // Reading.
    const Map& map() const { return map_; }
    const_iterator begin() const { return map_.begin(); }
    const_iterator end() const { return map_.end(); }
    std::size_t size() const { return map_.size(); }
    bool empty() const { return map_.empty(); }
    key_compare key_comp() const { return map_.key_comp(); }
    const_iterator find(const key_type& key) const { return map_.find(key); }
    template <class K>
    const_iterator find(const K& key) const {
        return map_.find(key);
    }
    std::size_t count(const key_type& key) const { return map_.count(key); }
    template <class K>
    std::size_t count(const K& key) const {
        return map_.count(key);
    }
    template <class K>
    const_iterator lower_bound(const K& key) const {
        return map_.lower_bound(key);
    }
    template <class K>
    const mapped_type& at(const K& key) const {
        auto it = map_.find(key);
        if (it == map_.end()) throw std::out_of_range("JournaledMap::at");
        return it->second;
    }

    // Changing.
    mapped_type& operator[](const key_type& key) {
        note(key);
        return map_[key];
    }
    // The entry, to change it; null (and nothing saved) when there is none.
    template <class K>
    mapped_type* edit(const K& key) {
        auto it = map_.find(key);
        if (it == map_.end()) return nullptr;
        note(it);
        return &it->second;
    }
    std::size_t erase(const key_type& key) {
        note(key);
        return map_.erase(key);
    }
    // Removes the entry and hands it over.
    std::optional<mapped_type> take(const key_type& key) {
        auto it = map_.find(key);
        if (it == map_.end()) return std::nullopt;
        note(it);
        std::optional<mapped_type> out(std::move(it->second));
        map_.erase(it);
        return out;
    }
    // Building a map in key order (a copy of part of another model).
    void append(const value_type& entry) {
        note(entry.first);
        map_.emplace_hint(map_.end(), entry);
    }
    // Removes the entries `pred` selects: pred(const value_type&).
    template <class Pred>
    void erase_if(Pred pred) {
        for (auto it = map_.begin(); it != map_.end();) {
            if (!pred(static_cast<const value_type&>(*it))) {
                ++it;
                continue;
            }
            note(it);
            it = map_.erase(it);
        }
    }
    // Removes the entries whose key `pred` selects.
    template <class Pred>
    void erase_if_key(Pred pred) {
        erase_if([&](const value_type& entry) { return pred(entry.first); });
    }
    // Changes the entries `pred` selects (a read-only test, so that a trial
    // saves only those): change(key, entry). pred(key, entry) is called once
    // per entry, in key order, before that entry is changed.
    template <class Pred, class Change>
    void edit_if(Pred pred, Change change) {
        for (auto it = map_.begin(); it != map_.end(); ++it) {
            if (!pred(it->first, static_cast<const mapped_type&>(it->second))) continue;
            note(it);
            change(it->first, it->second);
        }
    }
    // The whole map, every entry saved first: for changes that can touch any.
    Map& edit_all() {
        if (saved_ && !all_noted_) {
            for (const auto& entry : map_) note(entry.first);
            all_noted_ = true;
        }
        return map_;
    }

    // Trials (SchemaModel::Trial): from begin_trial() on, changes are saved
    // in `saved`; restore() puts them back and ends the trial.
    void begin_trial(Saved* saved) {
        saved_ = saved;
        all_noted_ = false;
    }
    void restore() {
        if (!saved_) return;
        // After edit_all() keys may have been added without a note: every key
        // the trial started with is saved by then, so the saved ones are all.
        if (all_noted_) map_.clear();
        for (auto& [key, before] : *saved_) {
            if (before)
                map_.insert_or_assign(key, std::move(*before));
            else
                map_.erase(key);
        }
        saved_ = nullptr;
    }
    // Ends the journal without restoring (SchemaModel::Recording): the changes
    // stay, the saved entries stay with their owner. True when edit_all()
    // saved every entry meanwhile.
    bool keep() {
        bool all = all_noted_;
        saved_ = nullptr;
        all_noted_ = false;
        return all;
    }
    const Saved* saved() const { return saved_; }
    // edit_all() was called in this trial: any entry may have changed.
    bool all_saved() const { return all_noted_; }

  private:
    void note(const key_type& key) {
        // Once edit_all() saved every key the trial started with, a key not
        // saved is one the trial added: restore() drops it without a note.
        if (!saved_ || all_noted_) return;
        auto [pos, fresh] = saved_->try_emplace(key);
        if (!fresh) return;
        if (auto it = map_.find(key); it != map_.end()) pos->second = it->second;
    }
    // The same for an entry already found: no second look-up.
    void note(typename Map::iterator it) {
        if (!saved_ || all_noted_) return;
        auto [pos, fresh] = saved_->try_emplace(it->first);
        if (fresh) pos->second = it->second;
    }

    Map map_;
    Saved* saved_ = nullptr;
    bool all_noted_ = false;
};

}  // namespace pgw::schema
