#!/bin/sh
# scripts/pre-commit-hook, the pre-commit framework's entry: $PGWARDEN first,
# then pgwarden on PATH, then build-hook/pgwarden of the hook's checkout; with
# none of them and no cmake, one clear line and exit 2. (The build itself is
# scripts/build's: not repeated here, it takes minutes.)
#   pre_commit_hook_test.sh PGWARDEN SOURCE_DIR
set -u
PGW=$1
ROOT=$(cd "$2" && pwd)
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
pass=0
fail=0
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL $*"; }

# A PATH with the basic tools and no pgwarden, no cmake.
mkdir "$T/tools" "$T/onpath"
for tool in sh dirname cat; do ln -s "$(command -v "$tool")" "$T/tools/$tool"; done
# Each candidate is a script that says who it is, then runs the real binary.
who() { printf '#!/bin/sh\necho "via %s"\nexec "%s" "$@"\n' "$1" "$PGW" >"$2"; chmod +x "$2"; }
who env "$T/env-pgwarden"
who path "$T/onpath/pgwarden"
mkdir -p "$T/hookrepo/scripts" "$T/hookrepo/build-hook"
cp "$ROOT/scripts/pre-commit-hook" "$T/hookrepo/scripts/"
HOOK=$T/hookrepo/scripts/pre-commit-hook
printf 'DROP TABLE users;\n' >"$T/001_drop.sql"

run() {  # run NAME WANT_VIA WANT_RC PATH [PGWARDEN]
    name=$1 via=$2 want=$3 path=$4
    PATH=$path PGWARDEN=${5:-} "$HOOK" check "$T/001_drop.sql" >"$T/out" 2>"$T/err"
    rc=$?
    if [ "$rc" -eq "$want" ] && { [ -z "$via" ] || grep -qx "via $via" "$T/out"; }; then ok; else
        bad "$name: exit $rc (want $want, via $via)"; cat "$T/out" "$T/err" | head -10; fi
}
run "PGWARDEN wins over PATH" env 1 "$T/onpath:$T/tools" "$T/env-pgwarden"
grep -q "drop-table" "$T/out" && ok || bad "the hook's arguments reach pgwarden"
run "PATH" path 1 "$T/onpath:$T/tools"
run "nothing, no cmake" "" 2 "$T/tools"
[ "$(wc -l <"$T/err")" -eq 1 ] && grep -q "no pgwarden on PATH" "$T/err" && ok || { bad "one clear line"; cat "$T/err"; }
run "PGWARDEN not executable" "" 2 "$T/tools" "$T/nonexistent"
who checkout "$T/hookrepo/build-hook/pgwarden"
run "the checkout's build" checkout 1 "$T/tools"

echo "pre_commit_hook_test: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
