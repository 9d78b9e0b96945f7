#!/bin/sh
# CLI habits (SPEC §1, §7): --format concise, --statistics, --color
# auto|always|never, comma lists in --enable/--disable, `check -` for standard
# input, `did you mean` for an unknown command, a misspelt rule and a
# misspelt format, the text report's help paragraph once per rule and file,
# and identifiers quoted in messages as PostgreSQL needs them.
set -u
PGW=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
pass=0
fail=0
check() {  # check NAME EXPECTED_RC COMMAND...
    name=$1 want=$2
    shift 2
    "$@" >"$T/out" 2>"$T/err"
    got=$?
    if [ "$got" -eq "$want" ]; then pass=$((pass + 1)); else
        fail=$((fail + 1)); echo "FAIL $name: exit $got, expected $want"
        sed 's/^/  | /' "$T/out" "$T/err" | head -20; fi
}
contains() {
    if grep -qF -- "$2" "$T/out" "$T/err"; then pass=$((pass + 1)); else
        fail=$((fail + 1)); echo "FAIL $1: '$2' not in the output"; sed 's/^/  | /' "$T/out" "$T/err" | head -20; fi
}
lacks() {
    if grep -qF -- "$2" "$T/out" "$T/err"; then
        fail=$((fail + 1)); echo "FAIL $1: '$2' in the output"; sed 's/^/  | /' "$T/out" | head -20
    else pass=$((pass + 1)); fi
}
cd "$T"
printf 'DROP TABLE a;\nDROP TABLE b;\nCREATE INDEX i ON t (c);\n' > 001_x.sql

check "concise" 1 "$PGW" check --format concise 001_x.sql
[ "$(grep -c '^001_x.sql:[0-9]*:[0-9]*: ' out)" -eq 7 ] && [ "$(wc -l < out)" -eq 8 ] &&
    pass=$((pass + 1)) || { fail=$((fail + 1)); echo "FAIL concise: one line per finding and the summary"; cat out; }
contains "concise summary" "1 file checked: 3 errors, 4 warnings"
lacks "concise: no help" "help:"

check "statistics" 1 "$PGW" check --statistics 001_x.sql
contains "statistics: drop-table" "$(printf '2\tdrop-table\t2 errors')"
contains "statistics: idempotent-ddl" "$(printf '3\tidempotent-ddl\t3 warnings')"
check "statistics with json: stdout stays JSON" 1 "$PGW" check --statistics --format json 001_x.sql
python3 -c 'import json,sys; json.load(open(sys.argv[1]))' out && pass=$((pass + 1)) ||
    { fail=$((fail + 1)); echo "FAIL json with --statistics is not JSON"; }

check "color always" 1 "$PGW" check --color always 001_x.sql
grep -q "$(printf '\033')\[" out && pass=$((pass + 1)) || { fail=$((fail + 1)); echo "FAIL --color always: no escape"; }
check "color never" 1 "$PGW" check --color never 001_x.sql
grep -q "$(printf '\033')" out && { fail=$((fail + 1)); echo "FAIL --color never: escapes"; } || pass=$((pass + 1))
check "color bad" 2 "$PGW" check --color sometimes 001_x.sql

# The help paragraph once per rule and file: 7 findings, 4 rules.
check "text" 1 "$PGW" check --color never 001_x.sql
[ "$(grep -c '  help:' out)" -eq 4 ] && pass=$((pass + 1)) || { fail=$((fail + 1)); echo "FAIL help once per rule"; grep -c '  help:' out; }

check "comma list" 0 "$PGW" check --disable drop-table,require-concurrent-index --fail-on error 001_x.sql
lacks "comma list: drop-table off" "error[drop-table]"
lacks "comma list: concurrent off" "error[require-concurrent-index]"
check "comma list with a misspelt rule" 2 "$PGW" check --disable drop-table,drop-tabel 001_x.sql
contains "did you mean a rule" "unknown rule 'drop-tabel' (did you mean drop-table?)"
check "misspelt format" 2 "$PGW" check --format conscise 001_x.sql
contains "did you mean a format" "did you mean concise?"
check "unknown command" 2 "$PGW" chekc 001_x.sql
contains "did you mean a command" "unknown command 'chekc' (did you mean check?)"
check "unknown command, nothing close" 2 "$PGW" frobnicate
contains "no suggestion" "unknown command 'frobnicate' (see \`pgwarden --help\`)"

printf 'DROP TABLE x;\n' > stdin.sql
check "check - reads stdin" 1 sh -c "\"$PGW\" check --format concise - < stdin.sql"
contains "stdin finding" "-:1:1: error[drop-table]"
lacks "stdin: no file-naming" "file-naming"
check "check - with --stdin-filename" 1 sh -c "\"$PGW\" check --stdin-filename db/002_x.sql - < stdin.sql"
contains "named stdin" "db/002_x.sql:1:1: error[drop-table]"
check "check - with another path" 2 "$PGW" check - 001_x.sql

# Names are quoted as PostgreSQL needs them, so a message can be pasted back.
mkdir quoted
printf 'DROP TABLE "User";\nALTER TABLE "My Table" DROP COLUMN "firstName", DROP COLUMN age;\nDROP TABLE audit.events, "order";\n' > quoted/001_q.sql
check "quoted names" 1 "$PGW" check --format concise quoted/001_q.sql
contains "quoted table" 'DROP TABLE "User" deletes the table'
contains "quoted columns" 'ALTER TABLE "My Table" DROP COLUMN "firstName", age deletes'
contains "bare and keyword names" 'DROP TABLE audit.events, "order" deletes'
contains "quoted lock target" 'this statement locks "User" (SHARE'

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
