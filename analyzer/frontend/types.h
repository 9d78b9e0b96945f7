// The plain data types every layer shares: severities, categories, risk levels,
// positions, annotations and findings. Nothing here parses or formats.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace pgw {

enum class Severity { off, info, warning, error };
enum class Risk { none, low, medium, high };

enum class Category {
    dangerous,
    contract,
    locking,
    idempotency,
    transaction,
    data,
    naming,
    policy,
    style,
    file,
    custom
};

std::string_view to_string(Severity s);
std::string_view to_string(Category c);
std::string_view to_string(Risk r);  // "LOW", "MEDIUM", "HIGH", "" for none
std::optional<Severity> parse_severity(std::string_view s);
std::optional<Risk> parse_risk(std::string_view s);  // case-insensitive LOW/MEDIUM/HIGH

// Dangerous and contract findings need an explicit override annotation.
inline bool is_gated(Category c) {
    return c == Category::dangerous || c == Category::contract;
}

// A byte range [begin, end) in the original file bytes.
struct Span {
    std::size_t begin = 0;
    std::size_t end = 0;
};

// 1-based line and column, columns counted in characters.
struct Position {
    int line = 1;
    int column = 1;
};

// Text shared by many findings: a rule's help is the same on each of its
// findings, and a run keeps every finding until the report is written.
class SharedText {
  public:
    SharedText() = default;
    SharedText(std::string text)
        : text_(text.empty() ? nullptr : std::make_shared<const std::string>(std::move(text))) {}
    SharedText(const char* text) : SharedText(std::string(text)) {}
    explicit SharedText(std::shared_ptr<const std::string> text) : text_(std::move(text)) {}
    const std::string& str() const {
        static const std::string none;
        return text_ ? *text_ : none;
    }
    bool empty() const { return str().empty(); }
    bool operator==(const std::string& o) const { return str() == o; }

  private:
    std::shared_ptr<const std::string> text_;
};

struct Finding {
    std::string rule;
    Severity severity = Severity::error;
    Category category = Category::file;
    bool acknowledged = false;
    std::string message;
    SharedText help;
    SharedText path;  // as displayed to the user; one string for a file's findings
    Position start;
    Position end;  // inclusive end position of the span's last character
    Risk risk = Risk::none;
    std::string rollback_plan;  // for acknowledged gated findings
    // The text of the statement the finding is in (whitespace runs collapsed),
    // hashed; 0 outside any statement. Fingerprints (baseline, SARIF) use it:
    // it survives lines moving and changes with the statement.
    std::uint64_t statement_hash = 0;
};

// Findings are reported in this order whatever the number of threads.
bool finding_less(const Finding& a, const Finding& b);

}  // namespace pgw
