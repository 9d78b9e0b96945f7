#!/bin/sh
# SPEC §6: without --config each file is governed by the nearest .pgwarden.json
# above it, up to the repository root, so the hook run at a monorepo's root,
# a run inside one project and an explicit run over two projects agree;
# --config forces one file for all (issue 15 item 2).
. "$(dirname "$0")/shell_checks.sh"
same() {  # same NAME FILE_A DIR_A FILE_B DIR_B: two JSON reports (paths relative to DIR_*) agree
    if python3 - "$2" "$3" "$4" "$5" <<'PY'
import json, os, sys
def key(path, base):
    d = json.load(open(path))
    return sorted((os.path.normpath(os.path.join(base, f["path"])), f["rule"], f["severity"], f["line"])
                  for f in d["findings"])
sys.exit(0 if key(sys.argv[1], sys.argv[2]) == key(sys.argv[3], sys.argv[4]) else 1)
PY
    then pass=$((pass + 1)); else fail=$((fail + 1)); echo "FAIL $1: reports differ"; cat "$2" "$4" | head -40; fi
}
cd "$T" && git init -q repo && cd repo
mkdir -p backend/db backend/scripts api/migrations
# backend: its migrations are under db/, drop-table is only a warning there.
printf '{ "migrations": ["db"], "rules": { "drop-table": "warning" } }\n' > backend/.pgwarden.json
# api: no rule changed, but require-lock-timeout off.
printf '{ "rules": { "require-lock-timeout": "off" } }\n' > api/.pgwarden.json
printf 'CREATE TABLE IF NOT EXISTS users (id bigint);\n' > backend/db/001_users.sql
printf 'CREATE TABLE IF NOT EXISTS orders (id bigint);\n' > api/migrations/001_orders.sql
printf 'DROP TABLE customers;\n' > backend/scripts/cleanup.sql
git add -A && git commit -qm base

printf 'DROP TABLE IF EXISTS users;\n' > backend/db/002_drop.sql
printf 'DROP TABLE IF EXISTS orders;\n' > api/migrations/002_drop.sql
git add -A

check "hook at the root" 1 "$PGW" check --staged --format json
cp "$T/out" "$T/root.json"
contains "backend: warning under its own config" '"rule": "drop-table",'
python3 -c "
import json,sys
d=json.load(open('$T/root.json'))
got=sorted((f['path'],f['rule'],f['severity']) for f in d['findings'] if f['rule'] in ('drop-table','require-lock-timeout'))
want=[('api/migrations/002_drop.sql','drop-table','error'),
      ('backend/db/002_drop.sql','drop-table','warning'),
      ('backend/db/002_drop.sql','require-lock-timeout','warning')]
sys.exit(0 if got==want else print(got) or 1)" && pass=$((pass + 1)) || { fail=$((fail + 1)); echo "FAIL each file under its nearest config"; }
lacks "backend/scripts is not backend's migrations" "cleanup.sql"

(cd backend && "$PGW" check --staged --format json > "$T/backend.json")
python3 -c "
import json,sys
d=json.load(open('$T/root.json')); d['findings']=[f for f in d['findings'] if f['path'].startswith('backend/')]
json.dump(d, open('$T/root_backend.json','w'))"
same "root and backend/ agree on backend" "$T/root_backend.json" "$T/repo" "$T/backend.json" "$T/repo/backend"

check "two projects named on the command line" 1 "$PGW" check --format json backend/db api/migrations
python3 -c "
import json,sys
d=json.load(open('$T/out'))
sev={(f['path'],f['rule']):f['severity'] for f in d['findings']}
ok=sev.get(('backend/db/002_drop.sql','drop-table'))=='warning' and sev.get(('api/migrations/002_drop.sql','drop-table'))=='error' \
   and ('api/migrations/002_drop.sql','require-lock-timeout') not in sev
sys.exit(0 if ok else print(sev) or 1)" && pass=$((pass + 1)) || { fail=$((fail + 1)); echo "FAIL explicit paths under two configs"; }

check "--config forces one" 1 "$PGW" check --config api/.pgwarden.json --format json backend/db api/migrations
python3 -c "
import json,sys
d=json.load(open('$T/out'))
sev={(f['path'],f['rule']):f['severity'] for f in d['findings']}
ok=sev.get(('backend/db/002_drop.sql','drop-table'))=='error' and ('backend/db/002_drop.sql','require-lock-timeout') not in sev
sys.exit(0 if ok else print(sev) or 1)" && pass=$((pass + 1)) || { fail=$((fail + 1)); echo "FAIL --config for all"; }

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
