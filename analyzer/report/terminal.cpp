#include "report/terminal.h"

#include <cstdio>

namespace pgw {

namespace {

std::string hex_byte(unsigned char c) {
    char buf[8];
    std::snprintf(buf, sizeof buf, "\\x%02x", c);
    return buf;
}

// Code point of a well-formed UTF-8 sequence, or -1.
long decode(std::string_view ch) {
    auto b = [&](std::size_t i) { return static_cast<unsigned char>(ch[i]); };
    if (ch.size() == 1) return b(0) < 0x80 ? b(0) : -1;
    if (ch.size() == 2 && (b(0) >> 5) == 6) return ((b(0) & 0x1F) << 6) | (b(1) & 0x3F);
    if (ch.size() == 3 && (b(0) >> 4) == 14)
        return ((b(0) & 0x0F) << 12) | ((b(1) & 0x3F) << 6) | (b(2) & 0x3F);
    if (ch.size() == 4 && (b(0) >> 3) == 30)
        return ((b(0) & 0x07) << 18) | ((b(1) & 0x3F) << 12) | ((b(2) & 0x3F) << 6) | (b(3) & 0x3F);
    return -1;
}

bool needs_escape(long cp) {
    return (cp < 0x20 && cp != '\t') || cp == 0x7F || (cp >= 0x80 && cp <= 0x9F) ||
           (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069) || cp == 0x200E ||
           cp == 0x200F || cp == 0x061C;
}

}  // namespace

std::string terminal_char(std::string_view ch) {
    long cp = decode(ch);
    if (cp < 0) {
        std::string out;
        for (char c : ch) out += hex_byte(static_cast<unsigned char>(c));
        return out;
    }
    if (!needs_escape(cp)) return std::string(ch);
    switch (cp) {
        case '\n':
            return "\\n";
        case '\r':
            return "\\r";
        default:
            break;
    }
    if (cp < 0x80) return hex_byte(static_cast<unsigned char>(cp));
    char buf[16];
    std::snprintf(buf, sizeof buf, "\\u{%lx}", cp);
    return buf;
}

std::string terminal_safe(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (std::size_t i = 0; i < text.size();) {
        auto c = static_cast<unsigned char>(text[i]);
        if (c >= 0x20 && c < 0x7F) {  // the common case, byte by byte
            out += text[i++];
            continue;
        }
        std::size_t n = c < 0x80         ? 1
                        : (c >> 5) == 6  ? 2
                        : (c >> 4) == 14 ? 3
                        : (c >> 3) == 30 ? 4
                                         : 1;
        if (i + n > text.size()) n = 1;
        for (std::size_t k = 1; k < n; ++k)
            if ((static_cast<unsigned char>(text[i + k]) & 0xC0) != 0x80) n = 1;
        out += terminal_char(text.substr(i, n));
        i += n;
    }
    return out;
}

}  // namespace pgw
