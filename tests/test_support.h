// Shared by the unit tests.
#pragma once

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "engine/config.h"

namespace pgw::test {

// The configuration a project without .pgwarden.json gets.
inline Config default_config() {
    Config c;
    finalize_config(c);
    return c;
}

// A fresh folder under the system's temporary one (its real path), removed
// with everything in it at the end of the test.
struct TempDir {
    std::filesystem::path root;
    TempDir() {
        std::string t = (std::filesystem::temp_directory_path() / "pgw-test-XXXXXX").string();
        root = std::filesystem::canonical(::mkdtemp(t.data()));
    }
    ~TempDir() {
        std::error_code ec;
        std::filesystem::remove_all(root, ec);
    }
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;
    // Writes `text` to root/rel, creating the folders on the way.
    void file(const std::string& rel, const std::string& text = "") const {
        std::filesystem::create_directories((root / rel).parent_path());
        std::ofstream(root / rel, std::ios::binary) << text;
    }
};

}  // namespace pgw::test
