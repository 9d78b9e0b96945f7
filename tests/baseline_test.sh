#!/bin/sh
# pgwarden baseline (SPEC §10), in a throwaway repository: the baseline is
# written beside the config, `check` leaves baselined findings out and says how
# many, a baselined finding stays hidden when lines are inserted above it and
# comes back when its statement changes, risk still counts it, and the
# fingerprints are SARIF's partialFingerprints, the same from any folder.
. "$(dirname "$0")/shell_checks.sh"

mkdir -p "$T/repo/db/migrations" && cd "$T/repo" && git init -q -b main . || exit 1
printf '{ "migrations": ["db/migrations"] }\n' > .pgwarden.json
cat > db/migrations/001_init.sql <<'SQL'
CREATE TABLE IF NOT EXISTS users (id bigint, name text);
SQL
cat > db/migrations/002_drop.sql <<'SQL'
DROP TABLE users;
SQL
git add . && git commit -qm init

check "before the baseline: the drop fails" 1 "$PGW" check
contains "drop reported" "002_drop.sql:1:1: error[drop-table]"
check "baseline written" 0 "$PGW" baseline
contains "baseline says where" "wrote .pgwarden-baseline.json"
[ -f .pgwarden-baseline.json ] && pass=$((pass + 1)) || { fail=$((fail + 1)); echo "FAIL no baseline file"; }
grep -q '"rule":"drop-table","path":"db/migrations/002_drop.sql"' .pgwarden-baseline.json \
    && pass=$((pass + 1)) || { fail=$((fail + 1)); echo "FAIL baseline row"; cat .pgwarden-baseline.json; }

check "baselined: passes" 0 "$PGW" check
lacks "baselined finding hidden" "error[drop-table]"
contains "says how many" "left out by the baseline .pgwarden-baseline.json"
contains "risk still counts the baselined drop" "002_drop.sql: risk HIGH"
check "--no-baseline shows it" 1 "$PGW" check --no-baseline
contains "--no-baseline: drop back" "error[drop-table]"
check "json summary counts them" 0 "$PGW" check --format json
contains "json baselined" '"baselined": '

# Lines inserted above: the same statement, hidden still.
{ printf -- '-- a comment\n\n-- and another\nSELECT 1;\n'; cat db/migrations/002_drop.sql; } > "$T/x" \
    && mv "$T/x" db/migrations/002_drop.sql
check "lines inserted above: still hidden" 0 "$PGW" check
lacks "shifted finding hidden" "error[drop-table]"
# From a subfolder and with a path argument: the same fingerprints.
cd db
check "from a subfolder: still hidden" 0 "$PGW" check migrations
lacks "subfolder: hidden" "error[drop-table]"
cd "$T/repo"

# The statement changes: the finding is back.
{ printf -- '-- a comment\n\n-- and another\nSELECT 1;\n'; printf 'DROP TABLE users CASCADE;\n'; } > db/migrations/002_drop.sql
check "statement changed: reported again" 1 "$PGW" check
contains "changed statement's finding back" "002_drop.sql:5:1: error[drop-table]"

# A new migration's findings are never baselined.
printf 'DROP TABLE users;\n' > db/migrations/003_again.sql
git checkout -q db/migrations/002_drop.sql 2>/dev/null
check "a new file's finding is reported" 1 "$PGW" check
contains "new file's drop" "003_again.sql:1:1: error[drop-table]"
rm db/migrations/003_again.sql
# Nothing left out (only a new file checked): no baseline line to read.
printf 'DROP TABLE users;\n' > db/migrations/003_again.sql
check "only the new file" 1 "$PGW" check db/migrations/003_again.sql
lacks "no '0 findings left out' line" "left out by the baseline"
rm db/migrations/003_again.sql

# The baseline's fingerprints are SARIF's partialFingerprints.
"$PGW" check --no-baseline --format sarif > "$T/sarif.json"
python3 - "$T/sarif.json" .pgwarden-baseline.json <<'PY' && pass=$((pass + 1)) || fail=$((fail + 1))
import json, sys
sarif = json.load(open(sys.argv[1]))
base = json.load(open(sys.argv[2]))
prints = {r["partialFingerprints"]["pgwarden/v2"] for r in sarif["runs"][0]["results"]}
listed = {f["fingerprint"] for f in base["findings"]}
if not listed or listed != prints:
    print("FAIL fingerprints differ", sorted(prints), sorted(listed))
    sys.exit(1)
PY

# --baseline FILE: a missing one is exit 2; a broken one names the file.
check "missing --baseline" 2 "$PGW" check --baseline nope.json
contains "missing baseline named" "nope.json"
printf '{"findings": 3}' > broken.json
check "broken baseline" 2 "$PGW" check --baseline broken.json
contains "broken baseline named" "broken.json: not a baseline"

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
