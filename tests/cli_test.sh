#!/bin/sh
# End-to-end tests of the pgwarden command: exit codes, stdin, odd file names,
# missing and unreadable paths, folders named *.sql, symlink loops, formats.
set -u
PGW="$1"
ROOT="$2"
T=$(mktemp -d)
trap 'chmod -R u+rwx "$T" 2>/dev/null; rm -rf "$T"' EXIT
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

cd "$T" || exit 1
mkdir safe unsafe
printf 'CREATE TABLE IF NOT EXISTS t (id bigint);\n' > safe/001_create.sql
printf 'SELECT 1;\nDROP TABLE users;\n' > unsafe/002_drop.sql

check "clean folder exits 0" 0 "$PGW" check safe
check "destructive exits 1" 1 "$PGW" check unsafe
contains "finding line" out "unsafe/002_drop.sql:2:1: error[drop-table]"
contains "caret" out "^^^^^"
contains "summary" out "1 file checked: 1 error"
check "fail-on never" 0 "$PGW" check --fail-on never unsafe
check "disable rule" 0 "$PGW" check --disable drop-table unsafe
check "severity override" 0 "$PGW" check --severity drop-table=warning unsafe
check "fail-on warning" 1 "$PGW" check --severity drop-table=warning --fail-on warning unsafe
check "unknown rule" 2 "$PGW" check --disable drop-tabel unsafe
contains "unknown rule message" err "unknown rule 'drop-tabel'"
check "bad format" 2 "$PGW" check --format yaml unsafe
check "missing path" 2 "$PGW" check does/not/exist
contains "missing path message" err "does/not/exist"
check "no subcommand" 2 "$PGW"
check "version" 0 "$PGW" --version
contains "version text" out "pgwarden"

# stdin
printf 'DROP TABLE x;\n' | "$PGW" check --stdin-filename db/001_x.sql >"$T/out" 2>&1
[ $? -eq 1 ] && pass=$((pass + 1)) || { fail=$((fail + 1)); echo "FAIL stdin exit"; }
contains "stdin name" out "db/001_x.sql:1:1"

# odd file names
mkdir odd
printf 'DROP TABLE a;\n' > "odd/with space.sql"
printf 'DROP TABLE b;\n' > "odd/it's \"quoted\".sql"
printf 'DROP TABLE c;\n' > "odd/-dash.sql"
check "odd names" 1 "$PGW" check odd
contains "space" out "odd/with space.sql:1:1"
contains "quotes" out "odd/it's \"quoted\".sql:1:1"
contains "dash" out "odd/-dash.sql:1:1"
(cd odd && "$PGW" check -- -dash.sql >"$T/out" 2>&1)
[ $? -eq 1 ] && pass=$((pass + 1)) || { fail=$((fail + 1)); echo "FAIL leading dash via --"; cat "$T/out"; }

# a folder named x.sql, a symlink loop, a hidden folder
mkdir -p tree/folder.sql tree/.hidden
printf 'DROP TABLE d;\n' > tree/folder.sql/001_in_folder.sql
printf 'DROP TABLE e;\n' > tree/.hidden/001_hidden.sql
ln -s .. tree/folder.sql/loop
check "folder named .sql and loop" 1 "$PGW" check tree
contains "inside folder.sql" out "tree/folder.sql/001_in_folder.sql:1:1"
if grep -q "hidden" "$T/out"; then fail=$((fail + 1)); echo "FAIL hidden folder scanned"; else pass=$((pass + 1)); fi

# unreadable file (root can read anything, so only when not root)
if [ "$(id -u)" -ne 0 ]; then
    printf 'SELECT 1;\n' > unreadable.sql && chmod 000 unreadable.sql
    check "unreadable" 1 "$PGW" check unreadable.sql
    contains "unreadable message" out "cannot read file"
fi

# binary and empty files
printf 'SELECT 1;\000\001\002' > binary.sql
check "binary file" 1 "$PGW" check binary.sql
contains "binary message" out "NUL bytes"
: > .sql
check "empty file named .sql" 1 "$PGW" check .sql
contains "empty" out "empty-migration"

# JSON report keys and --output
check "json output" 1 "$PGW" check --format json --output report.json unsafe
python3 - "$T/report.json" <<'PY' && pass=$((pass + 1)) || { fail=$((fail + 1)); echo "FAIL json keys"; }
import json, sys
d = json.load(open(sys.argv[1]))
assert set(d) == {"tool", "files", "findings", "summary"}, d.keys()
assert set(d["tool"]) == {"name", "version"}
assert set(d["files"][0]) == {"path", "risk", "declared_risk", "statements", "tool"}
assert d["files"][0]["tool"] == "plain"
assert set(d["findings"][0]) == {"rule", "severity", "category", "acknowledged", "message", "help",
                                 "path", "line", "column", "end_line", "end_column"}
assert set(d["summary"]) == {"files", "errors", "warnings", "infos", "risk"}
assert d["findings"][0]["rule"] == "drop-table" and d["summary"]["risk"] == "HIGH"
PY
check "unwritable output" 2 "$PGW" check --output no/such/dir/report.json unsafe

# output identical whatever --jobs is
for i in 1 2 3 4 5 6 7 8 9; do printf 'SELECT 1;\nDROP TABLE t%s;\n' "$i" > "unsafe/00${i}_m.sql"; done
"$PGW" check --jobs 1 --format json unsafe > j1.json
"$PGW" check --jobs 4 --format json unsafe > j4.json
if cmp -s j1.json j4.json; then pass=$((pass + 1)); else fail=$((fail + 1)); echo "FAIL jobs differ"; fi

# config: found upward, errors are exit 2 naming the key
mkdir -p proj/db/migrations && printf 'DROP TABLE z;\n' > proj/db/migrations/001_z.sql
printf '{ // comment\n "migrations": ["db/migrations"], "rules": {"drop-table": "warning"} }\n' > proj/.pgwarden.json
(cd proj && "$PGW" check >"$T/out" 2>&1); rc=$?
[ $rc -eq 0 ] && pass=$((pass + 1)) || { fail=$((fail + 1)); echo "FAIL config default folder rc=$rc"; cat "$T/out"; }
contains "config applied" out "warning[drop-table]"
printf '{"rulez": {}}' > bad.json
check "bad config" 2 "$PGW" check --config bad.json safe
contains "bad config names key" err "bad.json: key 'rulez': unknown key"

# rules / explain / init
check "rules" 0 "$PGW" rules
contains "rules list" out "drop-table"
check "rules json" 0 "$PGW" rules --format json
check "explain" 0 "$PGW" explain drop-table
contains "explain bad" out "Bad:"
contains "explain good" out "Good:"
check "explain unknown" 2 "$PGW" explain nope
mkdir initdir && cd initdir
check "init" 0 "$PGW" init
check "init refuses overwrite" 2 "$PGW" init
check "init config valid" 0 "$PGW" check --config .pgwarden.json "$T/safe"
cd "$T"

# the bundled examples
check "examples run" 1 "$PGW" check "$ROOT/examples/migrations"

echo "cli: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
