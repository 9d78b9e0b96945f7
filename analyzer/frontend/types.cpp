#include "frontend/types.h"

#include <cctype>
#include <tuple>

namespace pgw {

std::string_view to_string(Severity s) {
    switch (s) {
        case Severity::off:
            return "off";
        case Severity::info:
            return "info";
        case Severity::warning:
            return "warning";
        case Severity::error:
            return "error";
    }
    return "error";
}

std::string_view to_string(Category c) {
    switch (c) {
        case Category::dangerous:
            return "dangerous";
        case Category::contract:
            return "contract";
        case Category::locking:
            return "locking";
        case Category::idempotency:
            return "idempotency";
        case Category::transaction:
            return "transaction";
        case Category::data:
            return "data";
        case Category::naming:
            return "naming";
        case Category::policy:
            return "policy";
        case Category::style:
            return "style";
        case Category::file:
            return "file";
        case Category::custom:
            return "custom";
    }
    return "file";
}

std::string_view to_string(Risk r) {
    switch (r) {
        case Risk::none:
            return "";
        case Risk::low:
            return "LOW";
        case Risk::medium:
            return "MEDIUM";
        case Risk::high:
            return "HIGH";
    }
    return "";
}

std::optional<Severity> parse_severity(std::string_view s) {
    if (s == "off") return Severity::off;
    if (s == "info") return Severity::info;
    if (s == "warning") return Severity::warning;
    if (s == "error") return Severity::error;
    return std::nullopt;
}

std::optional<Risk> parse_risk(std::string_view s) {
    std::string up;
    for (char c : s) up += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    if (up == "LOW") return Risk::low;
    if (up == "MEDIUM") return Risk::medium;
    if (up == "HIGH") return Risk::high;
    return std::nullopt;
}

bool finding_less(const Finding& a, const Finding& b) {
    return std::tie(a.path.str(), a.start.line, a.start.column, a.rule, a.message) <
           std::tie(b.path.str(), b.start.line, b.start.column, b.rule, b.message);
}

}  // namespace pgw
