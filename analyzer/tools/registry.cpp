// The tools, detection and set roots.
#include <algorithm>

#include "tools/text.h"
#include "tools/tool.h"

namespace pgw::tools {

// Each defined in its own file.
const Tool& goose();
const Tool& dbmate();
const Tool& prisma();
const Tool& flyway();
const Tool& golang_migrate();
const Tool& sqlx();
const Tool& diesel();
const Tool& drizzle();
const Tool& synapse();
const Tool& liquibase();
const Tool& sqitch();
const Tool& popx();
const Tool& pop();
const Tool& plain();

bool order_less(const OrderKey& a, const OrderKey& b) {
    for (std::size_t i = 0; i < a.size() && i < b.size(); ++i) {
        const OrderPart &x = a[i], &y = b[i];
        if (x.numeric && y.numeric) {
            if (x.text.size() != y.text.size()) return x.text.size() < y.text.size();
            if (x.text != y.text) return x.text < y.text;
        } else if (x.numeric != y.numeric) {
            return x.numeric;  // numbers before text
        } else if (x.text != y.text) {
            return x.text < y.text;
        }
    }
    return a.size() < b.size();
}

OrderPart number_part(std::string_view digits) {
    std::size_t zeros = digits.find_first_not_of('0');
    return {true, std::string(zeros == std::string_view::npos ? "" : digits.substr(zeros))};
}

OrderPart text_part(std::string_view text) {
    return {false, std::string(text)};
}

FileLayout Tool::layout(std::string_view, const std::string& bytes, const Project&) const {
    return whole_file(bytes.size(), TxMode::assumed);
}

std::string_view relative_to(std::string_view path, std::string_view root) {
    if (root.empty()) return path;
    if (path.size() > root.size() && path.substr(0, root.size()) == root &&
        path[root.size()] == '/')
        return path.substr(root.size() + 1);
    return path;
}

std::vector<MemberInfo> Tool::members(const SetView& set) const {
    std::vector<MemberInfo> out;
    out.reserve(set.paths.size());
    for (const std::string& p : set.paths) out.push_back(member(relative_to(p, set.root), set));
    return out;
}

const std::vector<const Tool*>& all_tools() {
    static const std::vector<const Tool*> tools = {
        &goose(),   &dbmate(),  &prisma(),    &flyway(), &golang_migrate(), &sqlx(), &diesel(),
        &drizzle(), &synapse(), &liquibase(), &sqitch(), &popx(),           &pop(),  &plain(),
    };
    return tools;
}

const Tool* find_tool(std::string_view name) {
    for (const Tool* t : all_tools())
        if (t->name() == name) return t;
    return nullptr;
}

std::string tool_names() {
    std::string out;
    for (const Tool* t : all_tools()) out += (out.empty() ? "" : ", ") + std::string(t->name());
    return out;
}

const Tool& detect_tool(const SetView& set) {
    const Tool* best = &plain();
    int best_score = 0;
    for (const Tool* t : all_tools()) {
        int score = t->detect(set);
        if (score > best_score) best = t, best_score = score;
    }
    return *best;
}

namespace {

// "v1.5", "1.14": temporal's versioned/<version>/ folders.
bool version_folder(std::string_view name) {
    if (!name.empty() && (name[0] == 'v' || name[0] == 'V')) name.remove_prefix(1);
    bool dot = false;
    for (std::string_view rest = name; !rest.empty();) {
        auto cut = rest.find('.');
        if (!all_digits(rest.substr(0, cut))) return false;
        if (cut == std::string_view::npos) break;
        dot = true;
        rest.remove_prefix(cut + 1);
    }
    return dot;
}

}  // namespace

std::string set_root(std::string_view path, const Project& project) {
    std::string_view dir = folder_of(path);
    std::string_view name = file_name(path);
    std::string_view parent = file_name(dir);
    std::string_view above = folder_of(dir);
    // Synapse: schema/{common,main,state}/delta/<N>/<file>, one set across the
    // three (element-hq/synapse synapse/storage/prepare_database.py,
    // _upgrade_existing_database).
    if (all_digits(parent) && file_name(above) == "delta") {
        std::string_view root = folder_of(above);
        std::string_view store = file_name(root);
        if (store == "common" || store == "main" || store == "state") root = folder_of(root);
        return std::string(root);
    }
    // Sqitch: deploy/, revert/ and verify/ beside sqitch.plan.
    if ((parent == "deploy" || parent == "revert" || parent == "verify") &&
        project.read(above.empty() ? "sqitch.plan" : std::string(above) + "/sqitch.plan"))
        return std::string(above);
    // One migration per folder: prisma's <name>/migration.sql, diesel's <name>/up.sql.
    if (!dir.empty() && (name == "migration.sql" || name == "up.sql" || name == "down.sql"))
        return std::string(above);
    if (version_folder(parent)) return std::string(above);
    return std::string(dir);
}

}  // namespace pgw::tools
