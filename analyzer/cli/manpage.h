// pgwarden(1), written by the binary itself (`pgwarden manpage`, hidden; the
// build runs it): the commands and options from the CLI definitions and the
// rules from the registry, so the page says what the binary does.
#pragma once

#include <string>

#include "cli/command_tree.h"

namespace pgw {

// troff with the man macros (man(7)); `version` goes in the page's footer.
std::string manpage(const CommandSpec& cli, const std::string& version);

}  // namespace pgw
