#include "frontend/spelling.h"

#include <algorithm>
#include <vector>

namespace pgw {

std::size_t edit_distance(const std::string& a, const std::string& b) {
    const std::size_t n = a.size(), m = b.size();
    std::vector<std::vector<std::size_t>> d(n + 1, std::vector<std::size_t>(m + 1, 0));
    for (std::size_t i = 0; i <= n; ++i) d[i][0] = i;
    for (std::size_t j = 0; j <= m; ++j) d[0][j] = j;
    for (std::size_t i = 1; i <= n; ++i)
        for (std::size_t j = 1; j <= m; ++j) {
            std::size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
            d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost});
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
        }
    return d[n][m];
}

std::string did_you_mean(const std::string& word, const std::vector<std::string>& candidates) {
    if (word.size() > 200) return "";  // no quadratic work on a pasted paragraph
    std::size_t limit = std::clamp<std::size_t>(word.size() / 3, 1, 3);
    const std::string* best = nullptr;
    std::size_t best_distance = limit + 1;
    for (const std::string& c : candidates) {
        std::size_t dist = edit_distance(word, c);
        if (dist < best_distance) best = &c, best_distance = dist;
    }
    return best ? " (did you mean " + *best + "?)" : "";
}

}  // namespace pgw
