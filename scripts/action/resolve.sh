#!/usr/bin/env bash
# Step 1: what to install and where, before the cache step reads it.
# Outputs: mode (release|source), version, dir (the cached folder), key (the
# cache key: the version, or a hash of the action's sources for a source build),
# url (where releases are downloaded from).
# Env: INPUT_VERSION, INPUT_BUILD_FROM_SOURCE, INPUT_RELEASE_URL, ACTION_REF,
# ACTION_REPOSITORY, GITHUB_REPOSITORY, GITHUB_SERVER_URL, GITHUB_ACTION_PATH, RUNNER_TEMP,
# RUNNER_OS, RUNNER_ARCH.
set -euo pipefail
# shellcheck source=common.sh
. "$(dirname "$0")/common.sh"

version=${INPUT_VERSION:-}
version=${version#v}
from_source=${INPUT_BUILD_FROM_SOURCE:-false}
if [ -z "$version" ] && [[ ${ACTION_REF:-} =~ ^v[0-9]+\.[0-9]+\.[0-9]+ ]]; then
    version=${ACTION_REF#v}  # uses: owner/pgwarden@v0.1.0 installs 0.1.0
fi
if [ -n "$version" ] && ! [[ $version =~ ^[0-9]+\.[0-9]+\.[0-9]+([-+][0-9A-Za-z.-]+)?$ ]]; then
    fail "version: expected a release such as 0.1.0, got '${INPUT_VERSION:-}'"
fi
temp=${RUNNER_TEMP:?RUNNER_TEMP is not set}
platform="${RUNNER_OS:-Linux}-${RUNNER_ARCH:-X64}"

if [ "$from_source" = true ]; then
    src=${GITHUB_ACTION_PATH:?GITHUB_ACTION_PATH is not set}
    # The action's own files, hashed: a new commit of the action is a new key
    # (hashFiles() only sees the workspace, not the action's folder).
    hash=$(cd "$src" && find CMakeLists.txt cmake analyzer rules hooks -type f -print0 |
        LC_ALL=C sort -z | xargs -0 sha256sum | sha256sum | cut -c1-16)
    set_output mode source
    set_output version "${version:-source}"
    set_output dir "$temp/pgwarden-build"
    set_output key "pgwarden-source-$hash-$platform"
    set_output url ""
    exit 0
fi
[ "$from_source" = false ] || fail "build-from-source: expected true or false, got '$from_source'"
[ -n "$version" ] || fail "set the version input (a release such as 0.1.0), or build-from-source: true; the action's ref '${ACTION_REF:-}' is not a release tag"
url=${INPUT_RELEASE_URL:-}
if [ -z "$url" ]; then
    # `uses: ./` (the action inside the repository that runs it) has no
    # action repository: that repository's own releases.
    repo=${ACTION_REPOSITORY:-${GITHUB_REPOSITORY:-}}
    [ -n "$repo" ] || fail "no repository to download releases from: set release-url, or build-from-source: true"
    url="${GITHUB_SERVER_URL:-https://github.com}/$repo/releases/download"
fi
set_output mode release
set_output version "$version"
set_output dir "$temp/pgwarden-$version"
set_output key "pgwarden-$version-$platform"
set_output url "${url%/}"
