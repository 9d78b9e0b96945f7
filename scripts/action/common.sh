# shellcheck shell=bash
# Shared by the action's steps (action.yml runs each script with bash, as
# GitHub's `shell: bash` does: bash --noprofile --norc -eo pipefail).
# Messages use workflow commands (::error::, ::notice::), which the runner
# turns into annotations; outside GitHub they are plain lines.
# https://docs.github.com/en/actions/reference/workflow-commands-for-github-actions

fail() {  # one line, exit 1
    echo "::error::pgwarden: $*"
    exit 1
}

notice() { echo "::notice::pgwarden: $*"; }

# Step outputs and job environment: the files GitHub names in GITHUB_OUTPUT
# and GITHUB_ENV; values are single lines here.
set_output() { echo "$1=$2" >>"${GITHUB_OUTPUT:?GITHUB_OUTPUT is not set}"; }
set_env() { echo "$1=$2" >>"${GITHUB_ENV:?GITHUB_ENV is not set}"; }

# The release number a pgwarden binary reports ("pgwarden 0.1.0 (git ...) ...").
binary_version() { "$1" --version 2>/dev/null | awk 'NR == 1 && $1 == "pgwarden" {print $2}'; }
