#!/bin/sh
# End-to-end tests of migration sets: discovery (include globs, migrations
# globs relative to the config file, .gitignore), the tool (detected, --tool,
# the config's `tool`), explicit files linted with their set as context, and
# `init` writing what it finds.
set -u
PGW="$1"
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
pass=0
fail=0

check() {  # check NAME EXPECTED_RC COMMAND...
    name=$1 want=$2
    shift 2
    "$@" >"$T/out" 2>"$T/err"
    got=$?
    if [ "$got" -eq "$want" ]; then
        pass=$((pass + 1))
    else
        fail=$((fail + 1))
        echo "FAIL $name: exit $got, expected $want"
        sed 's/^/  | /' "$T/out" "$T/err" | head -20
    fi
}
contains() {  # contains NAME FILE TEXT
    if grep -qF -- "$3" "$2"; then pass=$((pass + 1)); else
        fail=$((fail + 1)); echo "FAIL $1: '$3' not in $2"; sed 's/^/  | /' "$2" | head -20; fi
}
lacks() {  # lacks NAME FILE TEXT
    if grep -qF -- "$3" "$2"; then fail=$((fail + 1)); echo "FAIL $1: '$3' in $2"; sed 's/^/  | /' "$2" | head -20
    else pass=$((pass + 1)); fi
}

cd "$T" || exit 1

# An explicit file is linted with the migrations before it as context: the old
# type comes from 001, so widening varchar is free (no alter-column-type).
mkdir ctx
printf 'CREATE TABLE t (c varchar(10));\n' > ctx/001_create.sql
printf "SET lock_timeout = '1s';\nALTER TABLE t ALTER COLUMN c TYPE varchar(20);\n" > ctx/002_widen.sql
check "explicit file with its set" 0 "$PGW" check ctx/002_widen.sql
contains "only the given file reported" out "1 file checked"
mkdir lone && cp ctx/002_widen.sql lone/
check "same file without its set" 1 "$PGW" check lone/002_widen.sql
contains "old type unknown alone" out "the old type is unknown"

# migrations globs, relative to the config file, from any folder.
mkdir -p proj/services/a/db proj/services/b/db proj/other
printf '{"migrations": ["services/*/db"]}' > proj/.pgwarden.json
printf 'CREATE TABLE a (id int);\n' > proj/services/a/db/001_a.sql
printf 'CREATE TABLE b (id int);\n' > proj/services/b/db/001_b.sql
printf 'DROP TABLE nope;\n' > proj/other/001_other.sql
check "glob from the config's folder" 0 "$PGW" check --config proj/.pgwarden.json
contains "both services" out "2 files checked"
(cd proj/services/a && "$PGW" check --format json >"$T/out" 2>"$T/err"); rc=$?
[ $rc -eq 0 ] && pass=$((pass + 1)) || { fail=$((fail + 1)); echo "FAIL glob from a subfolder rc=$rc"; cat "$T/err"; }
contains "subfolder finds both" out '"files": 2'
printf '{"migrations": ["nothing/*/here"]}' > proj/empty.json
check "glob matching nothing" 2 "$PGW" check --config proj/empty.json
contains "glob error names key" err "key 'migrations': no folder matches"

# include globs
mkdir inc
printf 'CREATE TABLE x (id int);\n' > inc/001_x.pgsql
printf '{"include": ["*.pgsql"], "naming": ["(?P<version>\\\\d+)_[a-z]+\\\\.pgsql"]}' > inc/.pgwarden.json
(cd inc && "$PGW" check >"$T/out" 2>&1); rc=$?
[ $rc -eq 0 ] && pass=$((pass + 1)) || { fail=$((fail + 1)); echo "FAIL include rc=$rc"; cat "$T/out"; }
contains "include glob" out "1 file checked"

# .gitignore'd migrations are skipped unless respect_gitignore is false.
mkdir gi && cd gi && git init -q . && mkdir db
printf 'CREATE TABLE a (id int);\n' > db/001_a.sql
printf 'DROP TABLE users;\n' > db/002_generated.sql
printf 'db/002_generated.sql\n' > .gitignore
check "gitignored skipped" 0 "$PGW" check db
contains "one file" "$T/out" "1 file checked"
printf '{"respect_gitignore": false}' > .pgwarden.json
check "respect_gitignore false" 1 "$PGW" check db
cd "$T"

# The repository root is asked of git once per run, inside a work tree or
# outside one, although a one-file check needs it twice (issue 17).
printf 'CREATE TABLE a (id int);\n' > gi/db/003_b.sql
for where in gi "$T/outside"; do
    mkdir -p "$T/outside" && cp gi/db/001_a.sql "$T/outside/001_a.sql"
    file=$([ "$where" = gi ] && echo gi/db/003_b.sql || echo "$T/outside/001_a.sql")
    rm -f "$T/trace"
    (cd "$(dirname "$file")" && GIT_TRACE="$T/trace" "$PGW" check "$(basename "$file")" >/dev/null 2>&1)
    n=$(grep -c "built-in: git rev-parse --show-toplevel" "$T/trace")
    if [ "$n" = 1 ]; then pass=$((pass + 1)); else
        fail=$((fail + 1)); echo "FAIL git asked for the root of $where $n times, not once"; fi
done

# The tool: detected, forced, refused when unknown.
mkdir goose
printf -- "-- +goose Up\nSET lock_timeout = '1s';\nALTER TABLE users ADD COLUMN x int;\n-- +goose Down\nSET lock_timeout = '1s';\nALTER TABLE users DROP COLUMN x;\n" > goose/00001_a.sql
check "goose detected" 0 "$PGW" check --format json goose
contains "tool in json" out '"tool": "goose"'
check "goose down section is a rollback" 0 "$PGW" check goose
contains "tool in the file line" out "goose/00001_a.sql (goose): risk LOW"
lacks "down section does not raise the risk" out "risk HIGH"
check "--tool plain reads it as plain SQL" 1 "$PGW" check --tool plain goose
contains "plain: the down part is a forward drop" out "error[drop-column]"
check "unknown --tool" 2 "$PGW" check --tool flyaway goose
contains "unknown tool message" err "--tool: unknown migration tool 'flyaway'"
printf '{"tool": "flyaway"}' > bad_tool.json
check "unknown config tool" 2 "$PGW" check --config bad_tool.json goose
contains "config tool message" err "key 'tool'"

# init writes the folders, tool and naming it finds.
mkdir -p initp/db/migrations && cp goose/00001_a.sql initp/db/migrations/
printf -- '-- +goose Up\nCREATE TABLE b (id int);\n' > initp/db/migrations/00002_b.sql
(cd initp && "$PGW" init >/dev/null 2>&1)
contains "init folders" initp/.pgwarden.json '"migrations": ["db/migrations"]'
contains "init tool" initp/.pgwarden.json '"tool": "goose"'
contains "init naming" initp/.pgwarden.json '"naming": ["sequential"]'
(cd initp && "$PGW" check >"$T/out" 2>&1); rc=$?
[ $rc -eq 0 ] && pass=$((pass + 1)) || { fail=$((fail + 1)); echo "FAIL init config checks clean rc=$rc"; cat "$T/out"; }

echo "sets: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
