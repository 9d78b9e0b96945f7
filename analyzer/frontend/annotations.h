// Annotations (SPEC §3) and suppressions, read from a migration's comments and
// attached to the statement they stand above, or to the whole file when they
// are in its leading comment block.
#pragma once

#include <optional>
#include <set>
#include <string>
#include <vector>

#include "frontend/parse.h"
#include "frontend/types.h"

namespace pgw {

struct Suppression {
    Span comment;
    std::vector<std::string> rules;  // empty: every rule
    bool file_wide = false;
    std::set<std::string> used;  // rules it suppressed at least once (filled by the engine)
    bool covers(const std::string& rule) const;
};

struct Annotations {
    bool override_destructive = false;
    std::optional<std::string> rollback_plan;  // present when written, possibly empty
    std::optional<Risk> risk;
    std::vector<std::size_t> suppressions;  // indices into FileAnnotations::suppressions
};

struct UnknownAnnotation {
    Span span;
    std::string written;     // "@overide-destructive"
    std::string suggestion;  // "@override-destructive"
};

struct HeaderField {
    std::string key;    // lower-case, "risk level" folded into "risk"
    std::string value;  // trimmed
    Span span;
};

struct FileAnnotations {
    Annotations file;                     // leading comment block
    std::vector<Annotations> statements;  // one per top-level statement (split order)
    std::vector<Suppression> suppressions;
    std::vector<UnknownAnnotation> unknown;
    std::vector<HeaderField> header;  // `Key: value` lines of the leading comment block

    // The annotations in force for a statement: its own block merged with the file's.
    Annotations effective(std::size_t top_level_index) const;
    // Index of the top-level statement that contains file offset `at`.
    std::size_t top_level_of(const Migration& m, std::size_t at) const;
};

FileAnnotations collect_annotations(const Migration& m);

// The known annotations, for `explain` and typo suggestions.
const std::vector<std::string>& known_annotations();

}  // namespace pgw
