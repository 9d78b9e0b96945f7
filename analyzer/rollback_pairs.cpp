#include "rollback_pairs.h"

#include <algorithm>
#include <map>

#include "parse.h"
#include "schema_model.h"

namespace pgw {

namespace {

std::unique_ptr<Migration> load(const Input& in, const Config& config) {
    std::string bytes, error;
    if (in.has_content) bytes = in.content;
    else if (!read_file_bytes(in.disk_path, bytes, error)) return nullptr;
    return parse_migration(SourceFile::from_bytes(in.path, std::move(bytes)),
                           config.compiled_placeholders);
}

}  // namespace

void check_rollback_pairs(const std::vector<Input>& inputs, std::vector<FileFacts>& facts,
                          const Config& config) {
    std::map<std::string, std::size_t> index;
    for (std::size_t i = 0; i < inputs.size(); ++i) index[inputs[i].path] = i;
    // Up files by set, with the linted down file each one has.
    std::map<std::string, std::vector<std::size_t>> ups;
    std::map<std::size_t, std::size_t> down_of;
    bool any = false;
    for (std::size_t i = 0; i < inputs.size(); ++i) {
        if (facts[i].down) {
            if (!inputs[i].lint || facts[i].partners.empty()) continue;
            auto up = index.find(facts[i].partners.front());
            if (up == index.end()) continue;
            down_of[up->second] = i;
            any = true;
            continue;
        }
        std::string set = facts[i].name ? facts[i].name->set : parent_folder(inputs[i].path);
        ups[set].push_back(i);
    }
    if (!any) return;
    for (auto& [set, members] : ups) {
        bool needed = false;
        for (std::size_t u : members) needed = needed || down_of.count(u);
        if (!needed) continue;
        std::sort(members.begin(), members.end(), [&](std::size_t a, std::size_t b) {
            const auto& va = facts[a].name ? facts[a].name->version : std::nullopt;
            const auto& vb = facts[b].name ? facts[b].name->version : std::nullopt;
            if (va && vb && !(*va == *vb)) return *va < *vb;
            return inputs[a].path < inputs[b].path;
        });
        schema::SchemaModel model;
        model.details = true;
        for (std::size_t u : members) {
            auto up = load(inputs[u], config);
            if (!up) break;  // unreadable: everything after it is unknown
            if (auto d = down_of.find(u); d != down_of.end()) {
                if (auto down = load(inputs[d->second], config)) {
                    schema::RollbackCheck r = schema::check_rollback(model, *up, *down);
                    facts[d->second].rollback_checked = !r.uncertain;
                    facts[d->second].rollback_differences = std::move(r.differences);
                }
            }
            model.replay(*up);
        }
    }
}

}  // namespace pgw
