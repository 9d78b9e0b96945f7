// Turns what verify observed into findings like every rule's: the rule's
// registered metadata, the configured severity (--enable, --disable,
// --severity, the config's "rules"), and `-- pgwarden-ignore` comments of
// the migration (above the statement, or file-wide). Thread-safe: sets are
// verified in parallel.
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "engine/config.h"
#include "engine/engine.h"
#include "frontend/annotations.h"
#include "verify/plan.h"

namespace pgw {

class FindingSink {
  public:
    explicit FindingSink(const Config& config) : config_(config) {}

    // Whether `rule` runs at all (its phase can be skipped when it does not).
    bool enabled(const std::string& rule) const;

    // A finding at `span` of the script's file; with no span, at its first
    // statement (so a suppression above it, or file-wide, applies).
    void add(const VerifyScript& script, const std::string& rule, std::string message,
             const Span* span = nullptr);
    // A finding about no file (drift of a live database): `path` names it.
    void add_unplaced(const std::string& path, const std::string& rule, std::string message);
    // Every file a run touched gets a report, with or without findings.
    void touch(const VerifyScript& script);

    // The reports, sorted by path, findings sorted.
    std::vector<FileReport> reports();

  private:
    struct FileState {
        FileReport report;
        const Migration* source = nullptr;
        std::shared_ptr<const Migration> keep;
        std::unique_ptr<FileAnnotations> annotations;
    };
    const Config& config_;
    std::mutex mutex_;
    std::map<std::string, FileState> files_;

    FileState& state(const VerifyScript& script);
    bool suppressed(FileState& f, std::size_t offset, const std::string& rule);
    Finding make(const std::string& rule, std::string message, const std::string& path,
                 Severity severity) const;
};

}  // namespace pgw
