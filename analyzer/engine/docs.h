// `pgwarden rules` and `pgwarden explain`, generated from rule metadata only.
#pragma once

#include <string>

namespace pgw {

std::string rules_text();
std::string rules_json();
// docs/rules.md: an index table and a section per rule (SARIF helpUri anchors).
std::string rules_markdown();
// False when no rule has that id.
bool explain_rule(const std::string& id, std::string& out);

}  // namespace pgw
