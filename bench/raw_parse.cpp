// The baseline pgwarden is measured against: libpg_query's own parse of whole
// files, nothing else. Reads each file named on the command line (or, with
// `-`, one path per line on stdin), calls pg_query_parse on its bytes and frees
// the result. Prints the number of files, bytes and parse errors to stderr.
#include <pg_query.h>

#include <cstdio>
#include <iostream>
#include <string>
#include <vector>

namespace {

bool read_all(const std::string& path, std::string& out) {
    std::FILE* f = std::fopen(path.c_str(), "rb");
    if (!f) return false;
    out.clear();
    char buf[65536];
    std::size_t n;
    while ((n = std::fread(buf, 1, sizeof buf, f)) > 0) out.append(buf, n);
    bool ok = std::ferror(f) == 0;
    std::fclose(f);
    return ok;
}

}  // namespace

int main(int argc, char** argv) {
    std::vector<std::string> paths;
    for (int i = 1; i < argc; ++i) {
        std::string a = argv[i];
        if (a == "-") {
            for (std::string line; std::getline(std::cin, line);)
                if (!line.empty()) paths.push_back(line);
        } else {
            paths.push_back(a);
        }
    }
    if (paths.empty()) {
        std::cerr << "usage: pgwarden_raw_parse FILE... | -   (paths on stdin)\n";
        return 2;
    }
    std::size_t bytes = 0, errors = 0;
    std::string text;
    for (const std::string& p : paths) {
        if (!read_all(p, text)) {
            std::cerr << "pgwarden_raw_parse: cannot read " << p << "\n";
            return 2;
        }
        bytes += text.size();
        PgQueryParseResult r = pg_query_parse(text.c_str());
        if (r.error) ++errors;
        pg_query_free_parse_result(r);
    }
    std::cerr << paths.size() << " files, " << bytes << " bytes, " << errors
              << " with parse errors\n";
    return 0;
}
