#include "frontend/quote.h"

#include <pg_query.h>

#include <cstdint>
#include <mutex>
#include <string>
#include <unordered_map>

namespace pgw {

namespace {

// One protobuf varint at p (https://protobuf.dev/programming-guides/encoding/).
bool varint(const std::uint8_t*& p, const std::uint8_t* end, std::uint64_t& v) {
    v = 0;
    for (int shift = 0; p < end && shift < 64; shift += 7) {
        std::uint8_t b = *p++;
        v |= static_cast<std::uint64_t>(b & 0x7f) << shift;
        if (!(b & 0x80)) return true;
    }
    return false;
}

// Skips one field of wire type `wire`; false on malformed input.
bool skip(const std::uint8_t*& p, const std::uint8_t* end, std::uint64_t wire) {
    std::uint64_t n = 0;
    switch (wire) {
        case 0:
            return varint(p, end, n);
        case 1:
            n = 8;
            break;
        case 2:
            if (!varint(p, end, n)) return false;
            break;
        case 5:
            n = 4;
            break;
        default:
            return false;
    }
    if (n > static_cast<std::uint64_t>(end - p)) return false;
    p += n;
    return true;
}

// The keyword_kind of the single token pg_query_scan finds in `word`, from the
// ScanResult message of pg_query.proto: tokens = 2 (ScanToken), and in a
// ScanToken keyword_kind = 5 (0 none, 1 unreserved, 2 column name, 3 type or
// function name, 4 reserved). The scanner is PostgreSQL's own, so its keyword
// list is the server's (kwlist.h).
std::uint64_t keyword_kind(const std::string& word) {
    PgQueryScanResult r = pg_query_scan(word.c_str());
    std::uint64_t kind = 0;
    if (!r.error) {
        const auto* p = reinterpret_cast<const std::uint8_t*>(r.pbuf.data);
        const std::uint8_t* end = p + r.pbuf.len;
        while (p < end) {
            std::uint64_t key = 0;
            if (!varint(p, end, key)) break;
            if (key >> 3 != 2 || (key & 7) != 2) {
                if (!skip(p, end, key & 7)) break;
                continue;
            }
            std::uint64_t len = 0;
            if (!varint(p, end, len) || len > static_cast<std::uint64_t>(end - p)) break;
            const std::uint8_t* q = p;
            const std::uint8_t* token_end = p + len;
            p = token_end;
            while (q < token_end) {
                std::uint64_t k = 0, v = 0;
                if (!varint(q, token_end, k)) break;
                if ((k & 7) != 0) {
                    if (!skip(q, token_end, k & 7)) break;
                    continue;
                }
                if (!varint(q, token_end, v)) break;
                if (k >> 3 == 5) kind = v;
            }
            break;  // the first token is the word
        }
    }
    pg_query_free_scan_result(r);
    return kind;
}

// PostgreSQL's keywords are lower-case ASCII letters and underscores, none
// longer than 17 bytes ("current_timestamp"), so a name with a digit or a
// longer one is no keyword and needs no scan (most of a run's names).
// https://github.com/postgres/postgres/blob/REL_15_STABLE/src/include/parser/kwlist.h
// tests/quote_server_test.cpp asks a PostgreSQL server's pg_get_keywords().
constexpr std::size_t kLongestKeyword = 17;

bool could_be_keyword(std::string_view word) {
    if (word.size() > kLongestKeyword) return false;
    for (char c : word)
        if (c >= '0' && c <= '9') return false;
    return true;
}

bool needs_keyword_quotes(const std::string& word) {
    static std::mutex mutex;
    static std::unordered_map<std::string, bool> known;
    {
        std::lock_guard<std::mutex> lock(mutex);
        if (auto it = known.find(word); it != known.end()) return it->second;
    }
    bool quote = keyword_kind(word) > 1;  // only unreserved keywords go bare
    std::lock_guard<std::mutex> lock(mutex);
    known.emplace(word, quote);
    return quote;
}

}  // namespace

std::string quote_identifier(std::string_view name) {
    bool safe = !name.empty() && ((name[0] >= 'a' && name[0] <= 'z') || name[0] == '_');
    for (char c : name)
        safe = safe && ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_');
    if (safe && (!could_be_keyword(name) || !needs_keyword_quotes(std::string(name))))
        return std::string(name);
    std::string out = "\"";
    for (char c : name) {
        if (c == '"') out += '"';
        out += c;
    }
    return out + '"';
}

std::string quote_name(std::string_view dotted) {
    std::string out;
    std::size_t start = 0;
    while (true) {
        std::size_t dot = dotted.find('.', start);
        out += quote_identifier(
            dotted.substr(start, dot == std::string_view::npos ? dot : dot - start));
        if (dot == std::string_view::npos) return out;
        out += '.';
        start = dot + 1;
    }
}

}  // namespace pgw
