#!/bin/sh
# The portable release tarball (SPEC §8 Releases, cmake/portable.cmake), made
# by scripts/package and unpacked outside the build: it runs with an empty
# environment and says what build/pgwarden says; it needs nothing of the
# system but the C library (ldd), plus libstdc++.so.6/libgcc_s.so.1 for the
# carried simdjson only; libpq is not linked, and `verify` without it is one
# clear line; the glibc it needs is at most Ubuntu 22.04's (2.35).
#   portable_test.sh BUILD_DIR SOURCE_DIR
set -u
BUILD=$(cd "$1" && pwd)
ROOT=$(cd "$2" && pwd)
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
pass=0
fail=0
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL $*"; }

tarball=$("$ROOT/scripts/package" "$BUILD" "$T/dist") || { bad "scripts/package"; exit 1; }
mkdir "$T/unpacked"
tar -xzf "$tarball" -C "$T/unpacked" || bad "tar -x"
top=$(ls "$T/unpacked")
[ "$(echo "$top" | wc -l)" -eq 1 ] && ok || bad "tarball has not one top folder: $top"
P=$T/unpacked/$top
BIN=$P/bin/pgwarden
echo "tarball: $(basename "$tarball") $(stat -c %s "$tarball") bytes; binary $(stat -c %s "$BIN") bytes"
for f in share/man/man1/pgwarden.1 share/bash-completion/completions/pgwarden \
    share/zsh/site-functions/_pgwarden share/fish/vendor_completions.d/pgwarden.fish; do
    [ -s "$P/$f" ] && ok || bad "tarball lacks $f"
done

# Same answers as the normal build, from an empty environment, outside the build.
cp -r "$ROOT/examples" "$T/examples"
cd "$T" || exit 1
same() {  # same NAME ARGS...: exit code and stdout equal (standard input: $IN)
    name=$1
    shift
    env -i "$BUILD/pgwarden" "$@" <"${IN:-/dev/null}" >"$T/want" 2>"$T/want.err"
    want=$?
    env -i "$BIN" "$@" <"${IN:-/dev/null}" >"$T/got" 2>"$T/got.err"
    got=$?
    if [ "$got" -eq "$want" ] && cmp -s "$T/want" "$T/got" && [ -s "$T/got" ]; then ok; else
        bad "$name: exit $got (normal build $want)"; diff "$T/want" "$T/got" | head -10; cat "$T/got.err"; fi
}
same "--version" --version
same "text" check examples/migrations
same "json" check --format json examples/migrations
same "sarif" check --format sarif examples/migrations
same "markdown" check --format markdown examples/migrations
same "rules" rules --format json
same "explain" explain drop-table
IN=$ROOT/examples/migrations/004_drop_legacy_notes.sql same "stdin" check --stdin-filename x.sql
env -i "$BIN" --version | grep -q "parser PostgreSQL 15\." && ok || bad "--version names no parser"

# What the binary asks of the system.
readelf -d "$BIN" >"$T/dynamic"
sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p' "$T/dynamic" | sort >"$T/needed"
printf '%s\n' ld-linux-x86-64.so.2 libc.so.6 libm.so.6 libsimdjson.so.14 >"$T/allowed"
extra=$(sort "$T/allowed" | comm -23 "$T/needed" -)
[ -z "$extra" ] && ok || bad "binary NEEDED beyond libc/libm/simdjson: $extra"
grep -q libpq "$T/needed" && bad "binary links libpq" || ok
grep -Eq '(RUNPATH|RPATH).*\[\$ORIGIN/\.\./lib\]' "$T/dynamic" && ok || bad "no \$ORIGIN/../lib rpath"
readelf -d "$P"/lib/libsimdjson.so.* | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p' | sort >"$T/simdjson.needed"
extra=$(printf '%s\n' libc.so.6 libgcc_s.so.1 libstdc++.so.6 | comm -23 "$T/simdjson.needed" -)
[ -z "$extra" ] && ok || bad "carried simdjson needs $extra"
env -i ldd "$BIN" >"$T/ldd" 2>&1 || bad "ldd failed"
while read -r line; do
    lib=${line%% *}
    case "$lib" in
        linux-vdso.so.1 | /lib64/ld-linux-x86-64.so.2 | libc.so.6 | libm.so.6) ok ;;
        libstdc++.so.6 | libgcc_s.so.1) grep -qx "$lib" "$T/simdjson.needed" && ok || bad "ldd: $line" ;;
        libsimdjson.so.*) case "$line" in *"=> $P/bin/../lib/"*) ok ;; *) bad "simdjson not the carried one: $line" ;; esac ;;
        *) bad "ldd: $line" ;;
    esac
done <"$T/ldd"
glibc=$(objdump -T "$BIN" | grep -o 'GLIBC_[0-9.]*' | sort -uV | tail -1)
echo "binary needs $glibc at most"
newest=$(printf '%s\n' "$glibc" GLIBC_2.35 | sort -V | tail -1)
[ "$newest" = GLIBC_2.35 ] && ok || bad "needs $glibc, newer than Ubuntu 22.04's GLIBC_2.35"

# check without libpq is the run above (not linked); verify says what is missing.
env -i PGWARDEN_LIBPQ=/nonexistent/libpq.so.5 "$BIN" verify examples/migrations >"$T/v.out" 2>"$T/v.err"
rc=$?
[ "$rc" -eq 2 ] && ok || bad "verify without libpq: exit $rc"
[ "$(wc -l <"$T/v.err")" -eq 1 ] && grep -q "verify needs libpq" "$T/v.err" && ok ||
    { bad "verify without libpq: not one clear line"; cat "$T/v.err"; }

echo "portable_test: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
