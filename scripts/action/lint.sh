#!/usr/bin/env bash
# Step 4: lint what the pull request adds or changes (--diff-base its base),
# write the Markdown report to the job summary and SARIF for the upload, and
# annotate with --format github; this last run decides the step's result.
# Env: PGWARDEN, INPUT_PATHS, INPUT_CONFIG, INPUT_PG_VERSION, INPUT_FAIL_ON,
# INPUT_DIFF_BASE, BASE_REF (github.base_ref), RUNNER_TEMP,
# GITHUB_STEP_SUMMARY, GITHUB_OUTPUT.
set -euo pipefail
here=$(dirname "$0")
# shellcheck source=common.sh
. "$here/common.sh"
# shellcheck source=merge_base.sh
. "$here/merge_base.sh"

[ -x "${PGWARDEN:-}" ] || fail "PGWARDEN is not set to an executable (the install step sets it)"
base=${INPUT_DIFF_BASE:-}
branch=""
if [ -z "$base" ] && [ -n "${BASE_REF:-}" ]; then
    base=origin/$BASE_REF
    branch=$BASE_REF
elif [[ $base == origin/* ]]; then
    branch=${base#origin/}
fi
[ -z "$base" ] || ensure_merge_base "$base" "$branch"
set_output base "$base"

args=(--pg-version "${INPUT_PG_VERSION:-15}")
[ -n "${INPUT_CONFIG:-}" ] && args+=(--config "$INPUT_CONFIG")
[ -n "$base" ] && args+=(--diff-base "$base")
# shellcheck disable=SC2206  # paths are space-separated, as the input says
paths=(${INPUT_PATHS:-})
out=${RUNNER_TEMP:?}/pgwarden
mkdir -p "$out"
"$PGWARDEN" check "${args[@]}" --fail-on never --format sarif --output "$out/pgwarden.sarif" "${paths[@]}"
"$PGWARDEN" check "${args[@]}" --fail-on never --format markdown --output "$out/summary.md" "${paths[@]}"
cat "$out/summary.md" >>"${GITHUB_STEP_SUMMARY:?}"
set_output sarif "$out/pgwarden.sarif"
"$PGWARDEN" check "${args[@]}" --fail-on "${INPUT_FAIL_ON:-error}" --format github "${paths[@]}"
