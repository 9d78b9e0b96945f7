#!/bin/sh
# The same answer from any folder (SPEC §1, §6): the same check started at the
# repository root, in a subfolder and outside the repository gives the same
# findings (GitHub output: paths from the repository root), for a plain run,
# --staged and --diff-base; the nearest .pgwarden.json above the paths governs.
. "$(dirname "$0")/shell_checks.sh"
mkdir -p "$T/repo/backend/db"
cd "$T/repo" && git init -q -b main . || exit 1
# The config turns a rule off: a run that misses it reports more.
printf '{ "migrations": ["db"], "rules": { "require-lock-timeout": "off" } }\n' > backend/.pgwarden.json
printf 'CREATE TABLE IF NOT EXISTS users (id bigint);\n' > backend/db/001_users.sql
git add . && git commit -qm init
printf 'DROP TABLE users;\n' > backend/db/002_drop.sql
git add backend/db/002_drop.sql

same() {  # same NAME ARGS...: github output from the root, backend/db and outside
    name=$1
    shift
    (cd "$T/repo" && "$PGW" check --format github "$@" backend/db) > "$T/root" 2>&1
    (cd "$T/repo/backend/db" && "$PGW" check --format github "$@" .) > "$T/sub" 2>&1
    (cd "$T" && "$PGW" check --format github "$@" repo/backend/db) > "$T/out" 2>&1
    if grep -q "error file=backend/db/002_drop.sql" "$T/root" && ! grep -q require-lock-timeout "$T/root" &&
        cmp -s "$T/root" "$T/sub" && cmp -s "$T/root" "$T/out"; then pass=$((pass + 1)); else
        fail=$((fail + 1)); echo "FAIL $name: outputs differ"
        for f in root sub out; do echo "  [$f]"; sed 's/^/  | /' "$T/$f" | cut -c1-160 | head -6; done
    fi
}
same "plain check"
same "--staged" --staged
same "--diff-base" --diff-base HEAD

# A repository inside the repository (a submodule, a vendored project): its
# files' paths start at its own root, also when the run starts in the outer one
# (the repository root is remembered only across folders with no .git between).
mkdir -p "$T/repo/vendor/inner/db" && (cd "$T/repo/vendor/inner" && git init -q -b main .)
printf 'DROP TABLE users;\n' > "$T/repo/vendor/inner/db/001_drop.sql"
check "nested repository" 1 "$PGW" check --format github vendor/inner/db
contains "paths from the nested root" "error file=db/001_drop.sql"
check "outer repository after it" 1 "$PGW" check --format github backend/db vendor/inner/db
contains "outer paths from the outer root" "error file=backend/db/002_drop.sql"

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
