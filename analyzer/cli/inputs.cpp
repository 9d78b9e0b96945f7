#include "cli/inputs.h"

#include <sys/stat.h>

#include <algorithm>
#include <filesystem>
#include <map>
#include <set>

#include "frontend/paths.h"
#include "frontend/sha256.h"
#include "frontend/source.h"
#include "git/git.h"
#include "git/repo.h"
#include "sets/discovery.h"
#include "tools/tool.h"

namespace pgw {

namespace fs = std::filesystem;

namespace {

// The folder the configuration's relative paths start from, as displayed
// (relative to the current folder when it can be).
std::string config_dir(const Config& config) {
    if (config.path.empty()) return {};
    fs::path dir = fs::path(config.path).parent_path();
    std::error_code ec;
    fs::path shown = fs::absolute(dir, ec).lexically_proximate(fs::current_path(ec));
    std::string out = shown.generic_string();
    return out == "." ? std::string() : out;
}

// Command-line paths as given; configured `migrations` relative to the
// config file, globs expanded (SPEC §6).
std::vector<std::string> roots_of(const Selection& s, const Config& config) {
    if (!s.paths.empty()) return s.paths;
    if (config.migrations.empty()) {
        std::string dir = config_dir(config);
        return {dir.empty() ? std::string(".") : dir};
    }
    std::string dir = config_dir(config);
    std::vector<std::string> roots;
    for (const std::string& m : config.migrations) {
        if (has_glob(m)) {
            for (std::string& match : expand_glob(dir, m)) roots.push_back(std::move(match));
        } else {
            roots.push_back(dir.empty() || fs::path(m).is_absolute() ? m : dir + "/" + m);
        }
    }
    if (roots.empty())
        throw std::runtime_error((config.path.empty() ? std::string("config") : config.path) +
                                 ": key 'migrations': no folder matches " +
                                 config.migrations.front());
    return roots;
}

DiscoveryRules discovery_rules(const Config& config,
                               std::size_t depth = static_cast<std::size_t>(-1)) {
    DiscoveryRules rules;
    rules.include = config.include;
    rules.exclude = config.exclude;
    rules.max_depth = depth;
    rules.markers = {".pgwarden.json", ".git"};  // what ConfigFinder looks for
    return rules;
}

// Files git ignores are not migrations (respect_gitignore).
void drop_ignored(std::vector<std::string>& files, const Config& config) {
    if (!config.respect_gitignore || files.empty()) return;
    std::vector<std::string> ignored = git_ignored(files);
    if (ignored.empty()) return;
    std::set<std::string> gone(ignored.begin(), ignored.end());
    std::erase_if(files, [&](const std::string& f) { return gone.count(f) > 0; });
}

fs::path absolute_normal(const std::string& p) {
    return fs::path(absolute_normal_path(p.empty() ? "." : p));
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
    auto slash = shown.rfind('/');
    if (!included(slash == std::string::npos ? shown : shown.substr(slash + 1), f.config->include))
        return false;
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

// For every explicit file argument, the other members of its set, before
// respect_gitignore: the caller asks git about them and the files together
// (one git process fewer in a one-file pre-commit run).
std::vector<std::string> set_context(const std::vector<std::string>& roots, const Config& config,
                                     const std::set<std::string>& explicit_files,
                                     ConfigFinder& finder) {
    std::vector<std::string> out;
    std::set<std::string> seen = explicit_files;
    tools::Project project{[](const std::string& p) -> std::optional<std::string> {
        std::string bytes, error;
        if (!read_file_bytes(p, bytes, error)) return std::nullopt;
        return bytes;
    }};
    std::set<std::string> set_roots;
    for (const std::string& r : roots) {
        struct stat st {};
        if (::stat(r.c_str(), &st) == 0 && S_ISREG(st.st_mode))
            set_roots.insert(tools::set_root(r, project));
    }
    for (const std::string& root : set_roots) {
        // Deep enough for synapse's main/delta/<N>/file; a set's members sit there.
        Discovered around =
            discover({root.empty() ? std::string(".") : root}, discovery_rules(config, 4));
        for (const std::string& dir : around.unmarked) finder.known_unmarked(dir);
        for (std::string& f : around.files) {
            if (f.starts_with("./")) f.erase(0, 2);
            if (seen.count(f) || tools::set_root(f, project) != root) continue;
            seen.insert(f);
            out.push_back(std::move(f));
        }
    }
    return out;
}

}  // namespace

bool governed_by(const std::string& shown, const Config& config) {
    Filter filter{{}, &config};
    for (const auto& r : roots_of(Selection{}, config)) filter.roots.push_back(absolute_normal(r));
    return is_migration(shown, &filter);
}

namespace {

fs::path folder_key(fs::path d) {
    if (d.has_relative_path() && d.filename().empty()) d = d.parent_path();  // "a/b/"
    return d;
}

}  // namespace

void ConfigFinder::known_unmarked(const std::string& dir) {
    // folder_key(absolute_normal(dir)) as text: no component lists for the
    // thousand folders of a prisma project.
    std::string key = absolute_normal_path(dir.empty() ? "." : dir);
    if (key.size() > 1 && key.back() == '/') key.pop_back();
    unmarked_.insert(std::move(key));
}

std::string ConfigFinder::find(const std::string& dir) {
    // The same walk as find_config: a folder's own .pgwarden.json, else stop
    // at the repository root (a .git) or the file system's, else its parent's.
    std::vector<std::string> asked;
    std::string answer;
    std::error_code ec;
    for (fs::path d = folder_key(absolute_normal(dir));; d = folder_key(d.parent_path())) {
        auto it = memo_.find(d.string());
        if (it != memo_.end()) {
            answer = it->second;
            break;
        }
        asked.push_back(d.string());
        if (unmarked_.count(d.string()) && d != d.parent_path()) continue;
        fs::path candidate = d / ".pgwarden.json";
        if (fs::is_regular_file(candidate, ec)) {
            answer = candidate.lexically_normal().string();
            break;
        }
        if (fs::exists(d / ".git", ec) || d == d.parent_path()) break;
    }
    for (const std::string& d : asked) memo_[d] = answer;
    return answer;
}

std::string sum_path(const Config& config) {
    if (!config.path.empty())
        return (fs::path(config.path).parent_path() / "pgwarden.sum").string();
    std::string top = repository_root(".");  // no git: the current folder
    return top.empty() ? "pgwarden.sum" : top + "/pgwarden.sum";
}

Gathered gather_inputs(const Selection& selection, const Config& config) {
    Gathered g;
    std::vector<std::string> roots = roots_of(selection, config);
    if (selection.staged || !selection.diff_base.empty()) {
        Filter filter{{}, &config};
        for (const auto& r : roots) filter.roots.push_back(absolute_normal(r));
        // Each changed file judged by the config that governs it (SPEC §6).
        struct Nearest {
            const Filter* main;
            const Selection* selection;
            std::map<std::string, std::string> by_dir;  // folder -> config path
            ConfigFinder finder;
        } nearest{&filter, &selection, {}, {}};
        auto governed = [](const std::string& shown, const void* data) {
            auto& n = *const_cast<Nearest*>(static_cast<const Nearest*>(data));
            std::string dir = fs::path(shown).parent_path().string();
            auto it = n.by_dir.find(dir);
            if (it == n.by_dir.end())
                it = n.by_dir.emplace(dir, n.finder.find(dir.empty() ? "." : dir)).first;
            const Config& main = *n.main->config;
            if (it->second.empty() || it->second == absolute_normal(main.path).string())
                return is_migration(shown, n.main);
            // A config nested in the main one's folder (a hook at the root); a
            // run inside one project leaves its neighbours alone.
            if (!main.path.empty() &&
                !under(absolute_normal(shown), absolute_normal(main.path).parent_path()))
                return false;
            return governed_by(shown, n.selection->nearest(it->second));
        };
        bool by_nearest = static_cast<bool>(selection.nearest) && selection.paths.empty();
        MigrationFilter accept = by_nearest ? +governed : is_migration;
        const void* data = by_nearest ? static_cast<const void*>(&nearest) : &filter;
        ChangeSet changes = selection.staged ? staged_changes(accept, data)
                                             : diff_base_changes(selection.diff_base, accept, data);
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
        g.options.removed = std::move(changes.removed);
        g.options.change_set = true;
        g.options.ordered = !selection.diff_base.empty();
    } else {
        Discovered found = discover(roots, discovery_rules(config));
        if (!found.errors.empty()) throw std::runtime_error(found.errors.front());
        for (const std::string& dir : found.unmarked) g.finder.known_unmarked(dir);
        // An explicit file is linted with its set around it (SPEC §2): the
        // migrations of its folder are context, read but not reported.
        std::vector<std::string> context = set_context(
            roots, config, std::set<std::string>(found.files.begin(), found.files.end()), g.finder);
        std::size_t linted = found.files.size();
        found.files.insert(found.files.end(), context.begin(), context.end());
        std::vector<bool> keep(found.files.size(), true);
        if (config.respect_gitignore && !found.files.empty()) {
            std::vector<std::string> ignored = git_ignored(found.files);
            std::set<std::string> gone(ignored.begin(), ignored.end());
            for (std::size_t i = 0; i < found.files.size(); ++i)
                keep[i] = !gone.count(found.files[i]);
        }
        for (std::size_t i = 0; i < found.files.size(); ++i) {
            if (!keep[i]) continue;
            Input in;
            in.path = found.files[i];
            in.disk_path = found.files[i];
            in.lint = i < linted;
            g.inputs.push_back(std::move(in));
        }
        // Discovery lists each root's files in order: sorted already unless
        // several roots interleave.
        auto by_path = [](const Input& a, const Input& b) { return a.path < b.path; };
        if (!std::is_sorted(g.inputs.begin(), g.inputs.end(), by_path))
            std::sort(g.inputs.begin(), g.inputs.end(), by_path);
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
    Discovered found = discover(roots, discovery_rules(config));
    if (!found.errors.empty()) throw std::runtime_error(found.errors.front());
    drop_ignored(found.files, config);
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
