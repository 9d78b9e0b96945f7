#!/usr/bin/env bash
# Step 6: upload SARIF or not. A pull request from a fork (or Dependabot)
# gets a read-only token, which code scanning refuses: skipped with a notice,
# never a failed job. (A repository without code scanning fails the upload
# itself; action.yml lets that step fail and says so with a notice.)
# Env: INPUT_UPLOAD_SARIF, SARIF, EVENT_NAME, HEAD_REPO
# (github.event.pull_request.head.repo.full_name), REPOSITORY, ACTOR, GITHUB_OUTPUT.
set -euo pipefail
# shellcheck source=common.sh
. "$(dirname "$0")/common.sh"

upload=true
if [ "${INPUT_UPLOAD_SARIF:-true}" != true ]; then
    upload=false
elif [ ! -s "${SARIF:-}" ]; then
    upload=false
    notice "no SARIF report to upload"
elif [[ ${EVENT_NAME:-} == pull_request* ]] && [ -n "${HEAD_REPO:-}" ] &&
    [ "$HEAD_REPO" != "${REPOSITORY:-}" ]; then
    upload=false
    notice "SARIF upload skipped: a pull request from the fork $HEAD_REPO cannot write code scanning results (the annotations and the job summary have the findings)"
elif [ "${ACTOR:-}" = "dependabot[bot]" ]; then
    upload=false
    notice "SARIF upload skipped: Dependabot's token cannot write code scanning results"
fi
set_output upload "$upload"
