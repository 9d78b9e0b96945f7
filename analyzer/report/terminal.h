// Text for a terminal: file names, identifiers, source lines and rollback
// plans come from the repository and may hold escape sequences (ANSI colours,
// OSC 8 links, a title change, cursor moves), a newline that breaks the
// `path:line:col` line, or bidirectional overrides that reorder what is shown
// (CVE-2021-42574). They are written visibly escaped instead: `\x1b`, `\n`,
// `\u{202e}`. Other formats escape as their own syntax needs.
#pragma once

#include <string>
#include <string_view>

namespace pgw {

// `text` with every control character (C0 but tab, DEL, C1) and bidi control
// escaped. Invalid UTF-8 bytes are escaped as `\xNN`.
std::string terminal_safe(std::string_view text);

// One character (as `characters` cuts them): itself, or its escape.
std::string terminal_char(std::string_view ch);

}  // namespace pgw
