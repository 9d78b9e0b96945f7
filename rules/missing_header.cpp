// missing-header: the header block (SPEC §5) declares what a migration is, who
// wrote it and how risky it is; approval workflows read it.
#include <cctype>

#include "engine/config.h"
#include "engine/rule.h"
#include "frontend/annotations.h"

namespace pgw {
namespace {

std::string lower(std::string_view s) {
    std::string out(s);
    for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

bool iso_date(std::string_view v) {
    if (v.size() != 10 || v[4] != '-' || v[7] != '-') return false;
    for (std::size_t i : {0, 1, 2, 3, 5, 6, 8, 9})
        if (!std::isdigit(static_cast<unsigned char>(v[i]))) return false;
    int month = (v[5] - '0') * 10 + (v[6] - '0');
    int day = (v[8] - '0') * 10 + (v[9] - '0');
    return month >= 1 && month <= 12 && day >= 1 && day <= 31;
}

// The names a `Migration:` value may have: the file name without `.sql` and
// without `.up`/`.down`, or the folder of up.sql / migration.sql.
std::vector<std::string> migration_names(std::string_view path) {
    auto slash = path.rfind('/');
    std::string file = lower(path.substr(slash == std::string_view::npos ? 0 : slash + 1));
    std::vector<std::string> names;
    if (file.size() > 4 && file.ends_with(".sql")) file.resize(file.size() - 4);
    names.push_back(file);
    for (std::string_view suffix : {".up", ".down", "_rollback", ".rollback"})
        if (file.ends_with(suffix)) names.push_back(file.substr(0, file.size() - suffix.size()));
    if (slash != std::string_view::npos) {
        std::string_view dir = path.substr(0, slash);
        auto up = dir.rfind('/');
        names.push_back(lower(dir.substr(up == std::string_view::npos ? 0 : up + 1)));
    }
    return names;
}

class MissingHeader final : public Rule {
  public:
    const RuleInfo& info() const override {
        static const RuleInfo i{
            "missing-header",
            Category::policy,
            Severity::off,
            Risk::none,
            "a required header field is missing or malformed",
            "start the migration with a header comment block holding the fields listed in "
            "`header.required` (.pgwarden.json): `-- Migration: <file name>`, `-- Description: "
            "...`, `-- Date: YYYY-MM-DD`, `-- Author: ...`, `-- Risk: LOW|MEDIUM|HIGH` (`Risk "
            "Level:` is accepted). Keys are case-insensitive. Setting `header.required` turns "
            "this rule on.",
            "-- add tags\nALTER TABLE bookings ADD COLUMN tags text[];",
            "-- Migration: 099_add_booking_tags\n-- Description: Add tags to bookings\n"
            "-- Date: 2026-01-16\n-- Author: Jane Doe\n-- Risk: LOW\n\n"
            "ALTER TABLE bookings ADD COLUMN tags text[];"};
        return i;
    }

    StatementFilter statements() const override { return StatementFilter::none(); }

    void check_file(const Context& ctx, Emitter& out) const override {
        const auto& header = ctx.file_annotations->header;
        auto find = [&](const std::string& key) -> const HeaderField* {
            for (const auto& h : header)
                if (h.key == key) return &h;
            return nullptr;
        };
        for (const std::string& wanted : ctx.config.header_required) {
            std::string key = lower(wanted);
            if (key == "risk level") key = "risk";
            const HeaderField* h = find(key);
            if (!h)
                out.emit({0, 0}, "header field '" + wanted + "' is missing");
            else if (h->value.empty())
                out.emit(h->span, "header field '" + wanted + "' is empty");
        }
        if (const HeaderField* h = find("date"); h && !h->value.empty() && !iso_date(h->value))
            out.emit(h->span, "header Date '" + h->value + "' is not an ISO date (YYYY-MM-DD)");
        if (const HeaderField* h = find("risk"); h && !h->value.empty() && !parse_risk(h->value))
            out.emit(h->span, "header Risk '" + h->value + "' is not LOW, MEDIUM or HIGH");
        if (const HeaderField* h = find("migration"); h && !h->value.empty()) {
            auto names = migration_names(ctx.path);
            std::string value = lower(h->value);
            if (std::find(names.begin(), names.end(), value) == names.end())
                out.emit(h->span, "header Migration '" + h->value +
                                      "' does not match the file name '" + names.front() + "'");
        }
    }
};

PGW_REGISTER_RULE(MissingHeader);

}  // namespace
}  // namespace pgw
