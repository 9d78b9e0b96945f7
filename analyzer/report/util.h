// Small helpers shared by the machine-readable reporters (SARIF, GitLab,
// GitHub, Markdown): stable fingerprints, URI encoding, rule documentation.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "engine/engine.h"
#include "engine/rule.h"
#include "frontend/types.h"

namespace pgw {

// 128-bit FNV-1a of `data` as 32 lowercase hex digits. Not cryptographic: it
// only has to tell findings apart and be identical on every platform.
std::string stable_hash_hex(std::string_view data);

// `j.dump(2)` as it reads at nesting `level` of a larger document (continuation
// lines indented by 2 * level): reports write their long arrays item by item,
// with the layout a dump of the whole document would have, without holding it.
// Invalid UTF-8 is replaced, never thrown on.
std::string dump_at_level(const nlohmann::ordered_json& j, int level);

// Appends `s` as a JSON string exactly as nlohmann's dump (UTF-8 kept, invalid
// bytes replaced) would: plain text directly, anything else through nlohmann.
void append_json_string(std::string& out, std::string_view s);

// "./db/001.sql" -> "db/001.sql": how the user spelled the folder must not
// change fingerprints, URIs or the paths CI services match against the diff.
std::string_view strip_dot_prefix(std::string_view path);

// A source line reduced to what identifies it: whitespace runs collapsed to
// one space, leading/trailing whitespace (and a BOM, a CR) dropped.
std::string normalize_source_line(std::string_view line);

// `path` (as displayed, relative to the current folder) relative to `root`
// (an absolute folder: the repository root), '/'-separated; `path` with
// "./" dropped when `root` is empty or does not hold it.
std::string root_relative(std::string_view path, std::string_view root);

// One fingerprint per finding of `file`, parallel to file.findings. Built from
// the rule, the path relative to `root` (root_relative: the same from any
// folder), the normalized text of the finding's first line and the hash of its
// statement's text, plus the finding's index among findings with that same key:
// it survives lines being inserted or removed elsewhere in the file, changes
// when the statement changes, and differs for every finding of a report. The
// baseline (SPEC §10) and SARIF's partialFingerprints are these.
std::vector<std::string> finding_fingerprints(const FileReport& file, std::string_view root = {});

// The path as a URI reference: "./" prefixes dropped, every byte outside the
// RFC 3986 unreserved set (and '/') percent-encoded. An absolute path becomes a
// file:// URI; `relative` tells which one it is.
std::string path_to_uri(std::string_view path, bool& relative);

// Where a rule's documentation lives on the web (a stable anchor per rule id),
// at the release tag `v<version>` (at `main` when no version is known).
std::string rule_help_uri(std::string_view rule_id, std::string_view version);
constexpr std::string_view kInformationUri = "https://github.com/pgwarden/pgwarden";

// The registered rule with that id, or null (custom rules, unknown ids).
const RuleInfo* rule_info(std::string_view rule_id);

// `text` as Markdown inline content that renders as the text itself: code
// spans written in it (`...`) are kept, everything Markdown or HTML would
// interpret is backslash-escaped. In a table cell, '|' is escaped (inside code
// spans too, as GFM tables require) and line breaks become <br>; elsewhere
// line breaks become spaces.
std::string markdown_inline(std::string_view text, bool in_table);

// `text` as one code span, with a fence longer than any backtick run inside.
std::string markdown_code(std::string_view text, bool in_table);

// A fenced code block (language `lang`) whose fence no line of `text` can close.
std::string markdown_code_block(std::string_view text, std::string_view lang);

// "N findings left out by the baseline FILE (...)\n", or "" when no
// baseline was applied (SPEC §10: check says how many it left out).
std::string baseline_note(const RunResult& run);

// "info" for acknowledged findings whatever their severity, else the severity:
// the level every reporter shows.
inline Severity shown_severity(const Finding& f) {
    return f.acknowledged ? Severity::info : f.severity;
}

}  // namespace pgw
