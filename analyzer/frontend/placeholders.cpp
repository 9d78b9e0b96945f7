#include "frontend/placeholders.h"

#include <re2/re2.h>

#include <algorithm>

namespace pgw {

std::vector<PlaceholderMatch> find_placeholders(
    std::string_view text, const std::vector<PlaceholderSet::Pattern>& patterns) {
    std::vector<PlaceholderMatch> out;
    for (const auto& pattern : patterns) {
        const auto& re = pattern.re;
        int first_byte = pattern.first_byte;
        // Most files hold no `$`, `{` or `:` at all: skip RE2's per-call setup.
        std::size_t pos = first_byte < 0 ? 0 : text.find(static_cast<char>(first_byte));
        if (pos == std::string_view::npos) continue;
        re2::StringPiece input(text.data(), text.size());
        re2::StringPiece match;
        while (pos <= text.size() &&
               re->Match(input, pos, text.size(), re2::RE2::UNANCHORED, &match, 1)) {
            std::size_t b = static_cast<std::size_t>(match.data() - text.data());
            std::size_t e = b + match.size();
            if (e > b) out.push_back({b, e, pattern.values});
            pos = e > b ? e : b + 1;
        }
    }
    std::sort(out.begin(), out.end(), [](const PlaceholderMatch& a, const PlaceholderMatch& b) {
        return a.begin < b.begin;
    });
    return out;
}

const std::vector<std::string>& PlaceholderSet::default_patterns() {
    static const std::vector<std::string> patterns = {
        R"(\$\{[A-Za-z_][A-Za-z0-9_.:-]*\})",  // Flyway / Liquibase
        // Go templates; never across a `;`, so a `{{` in one string literal
        // and a `}}` in a later statement's do not blank the statements between.
        R"(\{\{[^;\n]*?\}\})",
        R"(:'[A-Za-z_][A-Za-z0-9_]*')",  // psql :'var'
        R"(:"[A-Za-z_][A-Za-z0-9_]*")",  // psql :"var"
        R"(:[A-Za-z_][A-Za-z0-9_]*)",    // psql :var
    };
    return patterns;
}

bool PlaceholderSet::compile(const std::vector<std::string>& sources, std::string& error) {
    patterns.clear();
    psql_patterns.clear();
    for (const auto& src : sources) {
        re2::RE2::Options opts;
        opts.set_log_errors(false);
        auto re = std::make_shared<re2::RE2>(src, opts);
        if (!re->ok()) {
            error = "invalid placeholder pattern '" + src + "': " + re->error();
            return false;
        }
        // Every possible match lies between min and max: a common first byte is required.
        std::string min, max;
        int first = re->PossibleMatchRange(&min, &max, 2) && !min.empty() && !max.empty() &&
                            min[0] == max[0]
                        ? static_cast<unsigned char>(min[0])
                        : -1;
        (src.rfind(":", 0) == 0 ? psql_patterns : patterns).push_back({std::move(re), first});
    }
    return true;
}

bool PlaceholderSet::add_values(const std::vector<std::string>& sources, std::string& error) {
    PlaceholderSet more;
    if (!more.compile(sources, error)) return false;
    for (Pattern p : more.patterns) {
        p.values = true;
        patterns.push_back(std::move(p));
    }
    return true;
}

}  // namespace pgw
