// A driver for the fuzz targets without libFuzzer (GCC builds, the ctest
// `fuzz_regressions`, scripts/fuzz where clang's libFuzzer is missing):
//   fuzz_replay_X PATH...                  runs every file (folders recursively) once
//   fuzz_replay_X --mutate SECONDS [--artifacts DIR] PATH...
//                                          then mutates them at random for SECONDS
// A crash or a failed invariant aborts with the input named on stderr first;
// with --mutate the input being run is kept in DIR/crash-<target> (default .)
// until it has passed, so a crash leaves it behind.
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <random>
#include <sstream>
#include <string>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size);

namespace {

namespace fs = std::filesystem;

void collect(const fs::path& p, std::vector<fs::path>& out) {
    std::error_code ec;
    if (fs::is_directory(p, ec)) {
        for (const auto& e : fs::recursive_directory_iterator(p, ec))
            if (e.is_regular_file(ec)) out.push_back(e.path());
    } else {
        out.push_back(p);
    }
}

std::string slurp(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::ostringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

void run(const std::string& bytes) {
    LLVMFuzzerTestOneInput(reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size());
}

// One random edit: flip, insert or erase bytes, or splice in another input.
void mutate(std::string& s, const std::vector<std::string>& pool, std::mt19937_64& rng) {
    auto pick = [&](std::size_t n) { return n == 0 ? 0 : static_cast<std::size_t>(rng() % n); };
    static const char* const kTokens[] = {
        "(",    ")",     ";",     "'",  "$$", "--", "/*",    "*/",   "\\", "\n",    "DO ", "BEGIN ",
        "END ", "COPY ", "\\.\n", "{{", "}}", "${", "\x1b[", "\xff", "+1", "::int", "\0"};
    switch (rng() % 5) {
        case 0:
            if (!s.empty()) s[pick(s.size())] ^= static_cast<char>(1u << (rng() % 8));
            break;
        case 1: {
            const char* t = kTokens[pick(std::size(kTokens))];
            s.insert(pick(s.size() + 1), t, *t ? std::char_traits<char>::length(t) : 1);
            break;
        }
        case 2:
            if (!s.empty()) {
                std::size_t at = pick(s.size());
                s.erase(at, pick(std::min<std::size_t>(s.size() - at, 16)) + 1);
            }
            break;
        case 3: {
            const std::string& other = pool[pick(pool.size())];
            if (!other.empty()) {
                std::size_t from = pick(other.size());
                s.insert(pick(s.size() + 1), other, from, pick(other.size() - from) + 1);
            }
            break;
        }
        default:
            if (!s.empty())
                s.insert(pick(s.size() + 1), std::string(pick(64) + 1, s[pick(s.size())]));
    }
    if (s.size() > (64u << 10)) s.resize(64u << 10);
}

}  // namespace

int main(int argc, char** argv) {
    double seconds = 0;
    std::string artifacts = ".";
    std::vector<fs::path> files;
    for (int i = 1; i < argc; ++i) {
        std::string a = argv[i];
        if (a == "--mutate" && i + 1 < argc)
            seconds = std::atof(argv[++i]);
        else if (a == "--artifacts" && i + 1 < argc)
            artifacts = argv[++i];
        else
            collect(a, files);
    }
    std::vector<std::string> pool;
    for (const fs::path& f : files) {
        std::cerr << "replay " << f.string() << "\n";
        pool.push_back(slurp(f));
        run(pool.back());
    }
    std::cerr << files.size() << " inputs replayed\n";
    if (seconds <= 0) return 0;
    if (pool.empty()) pool.push_back("");
    std::mt19937_64 rng(std::random_device{}());
    auto until = std::chrono::steady_clock::now() + std::chrono::duration<double>(seconds);
    std::size_t runs = 0;
    std::string target = fs::path(argv[0]).filename().string();
    while (std::chrono::steady_clock::now() < until) {
        std::string s = pool[rng() % pool.size()];
        for (int k = 0, n = 1 + static_cast<int>(rng() % 8); k < n; ++k) mutate(s, pool, rng);
        // Saved before the run: a crash leaves the input behind.
        std::string crash = artifacts + "/crash-" + target;
        std::ofstream(crash, std::ios::binary) << s;
        run(s);
        std::remove(crash.c_str());
        if (++runs % 64 == 0 && pool.size() < 4096) pool.push_back(std::move(s));
    }
    std::cerr << runs << " mutated inputs in " << seconds << " s\n";
    return 0;
}
