// libFuzzer target: the readers of what pgwarden gets from git and from its
// own files. The first byte picks the reader, the rest is its input:
//   0  `git diff --raw -z` output (parse_raw_diff)
//   1  `git cat-file --batch` output for three paths (parse_cat_file_batch)
//   2  NUL-separated names (split_nul, as `ls-files -z` gives them)
//   3  pgwarden.sum text (parse_sum; a SumError is a clean answer)
// Invariants checked: no crash, contents only of asked paths and within the
// input, a sum that parses formats back to a text that parses to the same.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <vector>

#include "git/git.h"
#include "sets/sum.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    if (size == 0) return 0;
    std::string in(reinterpret_cast<const char*>(data) + 1, size - 1);
    switch (data[0] % 4) {
        case 0:
            for (const auto& [path, change] : pgw::parse_raw_diff(in))
                if (change.status == 0 || path.size() > in.size()) std::abort();
            break;
        case 1: {
            const std::vector<std::string> paths = {"a.sql", "b/c.sql", "d.sql"};
            for (const auto& [path, content] : pgw::parse_cat_file_batch(in, paths))
                if (content.size() > in.size() ||
                    (path != paths[0] && path != paths[1] && path != paths[2]))
                    std::abort();
            break;
        }
        case 2: {
            std::size_t total = 0;
            for (const std::string& part : pgw::split_nul(in)) total += part.size();
            if (total > in.size()) std::abort();
            break;
        }
        default:
            try {
                pgw::SumEntries entries = pgw::parse_sum(in, "pgwarden.sum");
                if (pgw::parse_sum(pgw::format_sum(entries), "again") != entries) std::abort();
            } catch (const pgw::SumError&) {
                // malformed: reported as an error naming the file
            }
    }
    return 0;
}
