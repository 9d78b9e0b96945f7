// Template placeholders (SPEC §2): Flyway/Liquibase `${x}`, Go templates
// `{{ }}`, psql `:x`, `:'x'`, `:"x"`. The patterns are compiled once per run;
// the lexer decides which matches count (psql ones only outside quotes).
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace re2 {
class RE2;
}

namespace pgw {

// Placeholder patterns compiled once and shared by all threads.
struct PlaceholderSet {
    // Template placeholders (`${x}`, `{{ x }}`) are replaced everywhere, quotes
    // included, as the template engine does before the SQL runs. psql variables
    // (patterns starting with `:`) only outside quotes and comments, as psql does.
    struct Pattern {
        std::shared_ptr<re2::RE2> re;
        int first_byte = -1;  // every match starts with this byte; -1: not known
        // It stands for an SQL fragment the tool substitutes (Synapse's
        // $%AUTO_INCREMENT_PRIMARY_KEY%$), never for a name.
        bool values = false;
    };
    std::vector<Pattern> patterns;
    std::vector<Pattern> psql_patterns;
    static const std::vector<std::string>& default_patterns();
    // Returns false and sets error when a pattern is not valid RE2.
    bool compile(const std::vector<std::string>& sources, std::string& error);
    // Adds patterns of SQL fragments a tool substitutes (Pattern::values).
    bool add_values(const std::vector<std::string>& sources, std::string& error);
};

struct PlaceholderMatch {
    std::size_t begin, end;
    bool values = false;  // of a Pattern::values pattern
};

// All matches of `patterns` over the text, sorted by start.
std::vector<PlaceholderMatch> find_placeholders(
    std::string_view text, const std::vector<PlaceholderSet::Pattern>& patterns);

}  // namespace pgw
