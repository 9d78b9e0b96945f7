#!/bin/sh
# The adoption path a team follows on an existing project (issue 15 "Done
# when"), on a copy of a real Prisma project of the corpus in a throwaway git
# repository: `init` writes the config for the layout it finds, `baseline`
# records the existing findings so the first `check` passes, the installed
# hook blocks a commit adding `DROP TABLE "User"`, and a clean new migration
# commits and passes `check --diff-base main` on its branch.
#   adoption_test.sh PGWARDEN PROJECT   (PROJECT: a corpus folder, read only)
. "$(dirname "$0")/shell_checks.sh"
PROJECT=$(cd "$2" && pwd)
mkdir -p "$T/bin" && ln -s "$PGW" "$T/bin/pgwarden"
PATH=$T/bin:$PATH
cd "$T" && git init -q -b main app && cd app || exit 1
mkdir -p prisma && cp -R "$PROJECT" prisma/migrations && rm -f prisma/migrations/SOURCE.txt
git add -A && git commit -qm "existing project"
files=$(find prisma/migrations -name '*.sql' | wc -l)

check "first check: the project's existing findings fail it" 1 pgwarden check --format concise
before=$(grep -c ': error\[' "$T/out")
[ "$before" -gt 0 ] && pass=$((pass + 1)) || { fail=$((fail + 1)); echo "FAIL expected existing errors"; }

check "init" 0 pgwarden init
contains "init writes the config" "wrote .pgwarden.json"
grep -q '"tool": "prisma"' .pgwarden.json && grep -q '"migrations": \["prisma/migrations"\]' .pgwarden.json &&
    pass=$((pass + 1)) || { fail=$((fail + 1)); echo "FAIL init finds the prisma layout"; cat .pgwarden.json; }
check "baseline" 0 pgwarden baseline
contains "baseline counts what it records" "findings in $files files"
check "check passes once baselined" 0 pgwarden check --format concise
contains "the baseline is reported" "baseline"
git add .pgwarden.json .pgwarden-baseline.json && git commit -qm "adopt pgwarden"

check "hook install" 0 pgwarden hook install
git checkout -q -b drop-user
mkdir prisma/migrations/29990101000000_drop_user
printf 'DROP TABLE "User";\n' > prisma/migrations/29990101000000_drop_user/migration.sql
git add -A
check "the hook blocks DROP TABLE \"User\"" 1 git commit -qm "drop user"
contains "the drop is named as SQL" 'error[drop-table] DROP TABLE "User" deletes the table'
git reset -q && rm -r prisma/migrations/29990101000000_drop_user

mkdir prisma/migrations/29990101000000_add_note
printf -- '-- Migration: add a note column\nSET lock_timeout = '"'"'5s'"'"';\nALTER TABLE "User" ADD COLUMN IF NOT EXISTS "note" TEXT;\n' \
    > prisma/migrations/29990101000000_add_note/migration.sql
git add -A
check "a clean migration commits" 0 git commit -qm "add note"
check "first clean check --diff-base of the new migration" 0 pgwarden check --diff-base main --format concise
contains "only the new migration is checked" "1 file checked: 0 errors"

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
