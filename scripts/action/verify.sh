#!/usr/bin/env bash
# Step 5 (input verify: true): `pgwarden verify` on the migrations the pull
# request adds, applied to a private cluster of the runner's own PostgreSQL
# (GitHub's Ubuntu runners ship it: /usr/lib/postgresql/N/bin), and its
# Markdown report (per migration: locks, rewrites, scans) in the job summary.
# Env: PGWARDEN, BASE (lint.sh's output), INPUT_PG_BINDIR, INPUT_DATABASE_URL,
# INPUT_PATHS, INPUT_CONFIG, INPUT_FAIL_ON, RUNNER_TEMP, GITHUB_STEP_SUMMARY.
set -euo pipefail
# shellcheck source=common.sh
. "$(dirname "$0")/common.sh"

[ -x "${PGWARDEN:-}" ] || fail "PGWARDEN is not set to an executable (the install step sets it)"
args=()
if [ -n "${INPUT_DATABASE_URL:-}" ]; then
    args+=(--database-url "$INPUT_DATABASE_URL")
else
    bindir=${INPUT_PG_BINDIR:-}
    if [ -z "$bindir" ]; then
        while read -r d; do
            if [ -x "$d/initdb" ] && [ -x "$d/pg_ctl" ]; then bindir=$d; fi
        done < <(printf '%s\n' /usr/lib/postgresql/*/bin | sort -V)
    fi
    if [ -z "$bindir" ] || [ ! -x "$bindir/initdb" ]; then
        fail "verify: no PostgreSQL server binaries (initdb) in ${bindir:-/usr/lib/postgresql/*/bin}; set pg-bindir or database-url"
    fi
    args+=(--pg-bindir "$bindir")
fi
[ -n "${INPUT_CONFIG:-}" ] && args+=(--config "$INPUT_CONFIG")
[ -n "${BASE:-}" ] && args+=(--diff-base "$BASE")
# shellcheck disable=SC2206
paths=(${INPUT_PATHS:-})
out=${RUNNER_TEMP:?}/pgwarden
mkdir -p "$out"
status=0
"$PGWARDEN" verify "${args[@]}" --fail-on "${INPUT_FAIL_ON:-error}" --format markdown \
    --output "$out/verify.md" "${paths[@]}" || status=$?
[ -s "$out/verify.md" ] && cat "$out/verify.md" >>"${GITHUB_STEP_SUMMARY:?}"
[ "$status" -le 1 ] || fail "verify could not run (exit $status); see the log above"
exit "$status"
