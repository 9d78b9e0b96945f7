#include "cli/inputs.h"

#include <filesystem>
#include <set>

#include "frontend/sha256.h"
#include "frontend/source.h"
#include "git/git.h"
#include "sets/discovery.h"

namespace pgw {

namespace fs = std::filesystem;

namespace {

std::vector<std::string> roots_of(const Selection& s, const Config& config) {
    if (!s.paths.empty()) return s.paths;
    return config.migrations.empty() ? std::vector<std::string>{"."} : config.migrations;
}

fs::path absolute_normal(const std::string& p) {
    std::error_code ec;
    return fs::absolute(p.empty() ? "." : p, ec).lexically_normal();
}

bool under(const fs::path& path, const fs::path& root) {
    auto rel = path.lexically_relative(root);
    return !rel.empty() && *rel.begin() != "..";
}

// A displayed path git reports is a migration when it is a `.sql` file under
// one of the roots, in no hidden folder, and not excluded.
struct Filter {
    std::vector<fs::path> roots;
    const Config* config;
};

bool is_migration(const std::string& shown, const void* data) {
    const auto& f = *static_cast<const Filter*>(data);
    if (shown.size() < 4) return false;
    std::string ext = shown.substr(shown.size() - 4);
    for (char& c : ext) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (ext != ".sql") return false;
    fs::path p = absolute_normal(shown);
    bool in_root = false;
    for (const auto& r : f.roots) in_root = in_root || under(p, r) || p == r;
    if (!in_root) return false;
    for (const auto& part : fs::path(shown))
        if (part.string().size() > 1 && part.string()[0] == '.' && part != "..") return false;
    for (const auto& g : f.config->exclude)
        if (glob_match(g, shown)) return false;
    return true;
}

std::string sum_key(const std::string& shown, const fs::path& sum_dir) {
    return absolute_normal(shown).lexically_relative(sum_dir).generic_string();
}

}  // namespace

std::string sum_path(const Config& config) {
    if (!config.path.empty())
        return (fs::path(config.path).parent_path() / "pgwarden.sum").string();
    try {
        GitOutput top = run_git({"rev-parse", "--show-toplevel"});
        if (top.status == 0) return top.out.substr(0, top.out.find('\n')) + "/pgwarden.sum";
    } catch (const GitError&) {
        // no git: the current folder
    }
    return "pgwarden.sum";
}

Gathered gather_inputs(const Selection& selection, const Config& config) {
    Gathered g;
    std::vector<std::string> roots = roots_of(selection, config);
    if (selection.staged || !selection.diff_base.empty()) {
        Filter filter{{}, &config};
        for (const auto& r : roots) filter.roots.push_back(absolute_normal(r));
        ChangeSet changes = selection.staged
                                ? staged_changes(is_migration, &filter)
                                : diff_base_changes(selection.diff_base, is_migration, &filter);
        for (auto& f : changes.files) {
            Input in;
            in.path = f.path;
            in.disk_path = f.path;
            in.content = std::move(f.content);
            in.has_content = f.has_content;
            in.lint = f.lint;
            in.is_new = f.is_new;
            in.at_base = f.at_base;
            if (f.edited) in.edited = "edited since " + changes.base_label;
            g.inputs.push_back(std::move(in));
        }
        g.options.change_set = true;
        g.options.ordered = !selection.diff_base.empty();
    } else {
        Discovered found = discover(roots, config.exclude);
        if (!found.errors.empty()) throw std::runtime_error(found.errors.front());
        for (auto& f : found.files) {
            Input in;
            in.path = f;
            in.disk_path = f;
            g.inputs.push_back(std::move(in));
        }
    }

    // pgwarden.sum: every listed migration under the roots must be unchanged and present.
    std::string sp = sum_path(config);
    auto sum = read_sum(sp);
    if (sum) {
        fs::path dir = absolute_normal(sp).parent_path();
        std::set<std::string> present;
        for (auto& in : g.inputs) present.insert(in.sum_key = sum_key(in.path, dir));
        std::vector<fs::path> abs_roots;
        for (const auto& r : roots) abs_roots.push_back(absolute_normal(r));
        for (const auto& [key, hash] : *sum) {
            if (present.count(key)) continue;
            fs::path p = (dir / key).lexically_normal();
            bool in_root = false;
            for (const auto& r : abs_roots) in_root = in_root || under(p, r) || p == r;
            std::error_code ec;
            if (in_root && !fs::exists(p, ec))
                g.options.sum_missing.push_back(
                    p.lexically_relative(absolute_normal(".")).generic_string());
        }
        g.options.sum = std::make_shared<const SumEntries>(std::move(*sum));
        g.options.sum_path = sp;
    }
    return g;
}

SumUpdate update_sum(const std::vector<std::string>& paths, const Config& config) {
    SumUpdate u;
    u.path = sum_path(config);
    SumEntries old = read_sum(u.path).value_or(SumEntries{});
    Selection s;
    s.paths = paths;
    std::vector<std::string> roots = roots_of(s, config);
    Discovered found = discover(roots, config.exclude);
    if (!found.errors.empty()) throw std::runtime_error(found.errors.front());
    fs::path dir = absolute_normal(u.path).parent_path();
    std::vector<fs::path> abs_roots;
    for (const auto& r : roots) abs_roots.push_back(absolute_normal(r));

    SumEntries next;
    for (const auto& [key, hash] : old) {  // entries outside the roots are kept
        fs::path p = (dir / key).lexically_normal();
        bool in_root = false;
        for (const auto& r : abs_roots) in_root = in_root || under(p, r) || p == r;
        if (!in_root) next[key] = hash;
    }
    for (const auto& f : found.files) {
        std::string bytes, error;
        if (!read_file_bytes(f, bytes, error)) throw std::runtime_error(f + ": " + error);
        next[sum_key(f, dir)] = sha256_hex(bytes);
    }
    for (const auto& [key, hash] : next) {
        auto it = old.find(key);
        if (it == old.end())
            u.added.push_back(key);
        else if (it->second != hash)
            u.changed.push_back(key);
    }
    for (const auto& [key, hash] : old)
        if (!next.count(key)) u.removed.push_back(key);
    write_sum(u.path, next);
    return u;
}

}  // namespace pgw
