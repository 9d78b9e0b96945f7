#include "cli/baseline.h"

#include <filesystem>
#include <nlohmann/json.hpp>
#include <tuple>

#include "frontend/atomic_file.h"
#include "frontend/source.h"
#include "report/util.h"

namespace pgw {

namespace fs = std::filesystem;
using nlohmann::ordered_json;

namespace {
constexpr int kBaselineVersion = 1;
}

std::string baseline_path(const Config& config, const std::string& root) {
    fs::path p = !config.path.empty() ? fs::path(config.path).parent_path() / kBaselineFile
                 : !root.empty()      ? fs::path(root) / kBaselineFile
                                      : fs::path(kBaselineFile);
    // Shown relative to the current folder, as other paths are.
    std::error_code ec;
    fs::path shown =
        fs::absolute(p, ec).lexically_normal().lexically_proximate(fs::current_path(ec));
    return ec ? p.string() : shown.generic_string();
}

std::optional<Baseline> read_baseline(const std::string& path) {
    std::error_code ec;
    if (!fs::exists(path, ec)) return std::nullopt;
    std::string bytes, error;
    if (!read_file_bytes(path, bytes, error)) throw std::runtime_error(path + ": " + error);
    Baseline b;
    b.path = path;
    try {
        auto doc = nlohmann::json::parse(bytes);
        if (!doc.is_object() || !doc.contains("findings") || !doc["findings"].is_array())
            throw std::runtime_error("expected an object with a \"findings\" array");
        if (!doc.contains("version") || doc["version"] != kBaselineVersion)
            throw std::runtime_error("unsupported \"version\" (expected " +
                                     std::to_string(kBaselineVersion) +
                                     "): write it again with `pgwarden baseline`");
        for (const auto& f : doc["findings"]) {
            if (!f.is_object() || !f.contains("fingerprint") || !f["fingerprint"].is_string())
                throw std::runtime_error("a finding without a \"fingerprint\" string");
            b.fingerprints.insert(f["fingerprint"].get<std::string>());
        }
    } catch (const nlohmann::json::exception& ex) {
        throw std::runtime_error(path + ": not a baseline: " + ex.what());
    } catch (const std::runtime_error& ex) {
        throw std::runtime_error(path + ": not a baseline: " + ex.what());
    }
    return b;
}

std::size_t write_baseline(const std::string& path, const RunResult& run, const std::string& root) {
    // Sorted by path, rule, line, fingerprint: a review of the file's diff
    // reads like a list of findings, and the same findings give the same bytes.
    std::vector<std::tuple<std::string, std::string, int, std::string>> rows;
    for (const FileReport& file : run.files) {
        std::vector<std::string> prints = finding_fingerprints(file, root);
        for (std::size_t i = 0; i < file.findings.size(); ++i) {
            const Finding& f = file.findings[i];
            rows.emplace_back(root_relative(f.path.str(), root), f.rule, f.start.line, prints[i]);
        }
    }
    std::sort(rows.begin(), rows.end());
    std::string out = "{\n  \"version\": " + std::to_string(kBaselineVersion) +
                      ",\n  \"comment\": \"Findings pgwarden check leaves out (pgwarden "
                      "baseline). A finding comes back when its statement changes.\",\n"
                      "  \"findings\": [";
    for (std::size_t i = 0; i < rows.size(); ++i) {
        const auto& [p, rule, line, print] = rows[i];
        // The line is for readers only: matching uses the fingerprint.
        ordered_json row = {{"rule", rule}, {"path", p}, {"line", line}, {"fingerprint", print}};
        out += (i ? ",\n    " : "\n    ") +
               row.dump(-1, ' ', false, ordered_json::error_handler_t::replace);
    }
    out += rows.empty() ? "]\n}\n" : "\n  ]\n}\n";
    std::string error;
    if (!write_file_atomic(path, out, error)) throw std::runtime_error(error);
    return rows.size();
}

void apply_baseline(RunResult& run, const Baseline& baseline, const std::string& root) {
    for (FileReport& file : run.files) {
        std::vector<std::string> prints = finding_fingerprints(file, root);
        std::vector<Finding> kept;
        for (std::size_t i = 0; i < file.findings.size(); ++i) {
            if (baseline.fingerprints.count(prints[i]))
                ++run.baselined;
            else
                kept.push_back(std::move(file.findings[i]));
        }
        file.findings = std::move(kept);
    }
    run.summarize();
}

}  // namespace pgw
