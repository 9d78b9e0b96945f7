#!/usr/bin/env bash
# Step 3 (after the cache): the released binary, checksum verified, or a
# source build when asked. Sets PGWARDEN in the job's environment.
# Env: MODE, VERSION, DIR, URL (resolve.sh's outputs), GITHUB_ACTION_PATH,
# RUNNER_OS, RUNNER_ARCH, GITHUB_ENV, GITHUB_OUTPUT.
set -euo pipefail
# shellcheck source=common.sh
. "$(dirname "$0")/common.sh"

start=$SECONDS
if [ "$MODE" = source ]; then
    cd "${GITHUB_ACTION_PATH:?}"
    if [ "$(id -u)" -ne 0 ]; then
        sudo PGWARDEN_SETUP_NO_TEST_TOOLS=1 scripts/setup
    else
        PGWARDEN_SETUP_NO_TEST_TOOLS=1 scripts/setup
    fi
    BUILD_DIR=$DIR CMAKE_ARGS="-DPGWARDEN_TESTS=OFF -DPGWARDEN_PORTABLE=OFF" scripts/build >/dev/null
    bin=$DIR/pgwarden
else
    if [ "${RUNNER_OS:-Linux}" != Linux ] || [ "${RUNNER_ARCH:-X64}" != X64 ]; then
        fail "releases are built for Linux x86-64; on ${RUNNER_OS:-}/${RUNNER_ARCH:-} set build-from-source: true"
    fi
    bin=$DIR/bin/pgwarden
    if [ -x "$bin" ] && [ "$(binary_version "$bin")" = "$VERSION" ]; then
        echo "pgwarden $VERSION: from the cache ($DIR)"
    else
        asset=pgwarden-$VERSION-linux-x86_64.tar.gz
        base=$URL/v$VERSION
        work=$(mktemp -d)
        trap 'rm -rf "$work"' EXIT
        fetch() {  # fetch URL FILE
            if command -v curl >/dev/null; then
                curl -fsSL --retry 3 -o "$2" "$1" 2>"$work/err"
            elif command -v wget >/dev/null; then
                wget -q -O "$2" "$1" 2>"$work/err"
            else
                fail "downloading a release needs curl or wget (apt-get install curl), or set build-from-source: true"
            fi || fail "cannot download $1: $(head -c 300 "$work/err" | tr '\n' ' ')"
        }
        fetch "$base/SHA256SUMS" "$work/SHA256SUMS"
        fetch "$base/$asset" "$work/$asset"
        want=$(awk -v a="$asset" '$2 == a || $2 == "*" a {print $1; exit}' "$work/SHA256SUMS")
        [ -n "$want" ] || fail "$base/SHA256SUMS has no line for $asset"
        got=$(sha256sum "$work/$asset" | cut -d' ' -f1)
        [ "$got" = "$want" ] || fail "checksum mismatch for $asset: SHA256SUMS says $want, the download is $got"
        rm -rf "$DIR"
        mkdir -p "$DIR"
        tar -xzf "$work/$asset" -C "$DIR" --strip-components=1 || fail "cannot unpack $asset"
        echo "pgwarden $VERSION: downloaded $(stat -c %s "$work/$asset") bytes, checksum verified"
    fi
fi
[ -x "$bin" ] || fail "no pgwarden at $bin"
got=$(binary_version "$bin")
if [ "$MODE" = release ] && [ "$got" != "$VERSION" ]; then
    fail "$bin reports version '$got', expected $VERSION"
fi
"$bin" --version
echo "install took $((SECONDS - start)) s"
set_env PGWARDEN "$bin"
set_output path "$bin"
