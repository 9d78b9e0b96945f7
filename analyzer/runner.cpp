#include "runner.h"

#include <atomic>
#include <cctype>
#include <thread>

#include "engine.h"
#include "parse.h"

namespace pgw {

namespace {

// A file that cannot be read at all is still reported, as a parse-error,
// so the report is never silently partial.
FileReport unreadable(const std::string& path, const std::string& reason) {
    FileReport r;
    r.path = path;
    Finding f;
    f.rule = "parse-error";
    f.severity = Severity::error;
    f.category = Category::file;
    f.message = "cannot read file: " + reason;
    f.path = path;
    r.findings.push_back(f);
    return r;
}

// Down migrations (SPEC §2): X.down.sql, down.sql, X_rollback.sql, X.rollback.sql.
bool is_rollback_path(const std::string& path) {
    std::string name = path.substr(path.rfind('/') == std::string::npos ? 0 : path.rfind('/') + 1);
    for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    auto ends = [&](std::string_view suffix) {
        return name.size() >= suffix.size() &&
               name.compare(name.size() - suffix.size(), suffix.size(), suffix) == 0;
    };
    return name == "down.sql" || ends(".down.sql") || ends("_rollback.sql") ||
           ends(".rollback.sql");
}

FileReport lint_one(const Input& in, const Engine& engine, const Catalog& known) {
    std::string bytes, error;
    if (in.has_content) bytes = in.content;
    else if (!read_file_bytes(in.disk_path, bytes, error)) return unreadable(in.path, error);
    auto m = parse_migration(SourceFile::from_bytes(in.path, std::move(bytes)),
                             engine.config().compiled_placeholders);
    return engine.lint(*m, known, FileOptions{is_rollback_path(in.path)});
}

}  // namespace

RunResult run_check(const std::vector<Input>& inputs, const Config& config, unsigned jobs) {
    Engine engine(config);
    Catalog known;
    RunResult run;
    run.files.resize(inputs.size());
    std::atomic<std::size_t> next{0};
    auto worker = [&] {
        for (std::size_t i = next++; i < inputs.size(); i = next++)
            run.files[i] = lint_one(inputs[i], engine, known);
    };
    jobs = std::max(1u, std::min<unsigned>(jobs, static_cast<unsigned>(inputs.size())));
    std::vector<std::thread> threads;
    for (unsigned t = 1; t < jobs; ++t) threads.emplace_back(worker);
    worker();
    for (auto& t : threads) t.join();
    run.summarize();
    return run;
}

FileReport lint_text(const std::string& path, const std::string& text, const Config& config) {
    Engine engine(config);
    Input in{path, {}, text, true};
    return lint_one(in, engine, Catalog{});
}

}  // namespace pgw
