#!/bin/sh
# Git integration end to end, in throwaway repositories: --staged (index content,
# deletions, subfolders, worktrees, core.hooksPath, spaces), --diff-base
# (immutable-migration, version-order, tables created by the change),
# pgwarden.sum, and the pre-commit hook (refuse / chain / force, a commit
# blocked by DROP TABLE and allowed once acknowledged).
. "$(dirname "$0")/shell_checks.sh"
new_repo() {
    rm -rf "$T/repo" && mkdir -p "$T/repo" && cd "$T/repo" && git init -q -b main . || exit 1
}

# --- --staged ---------------------------------------------------------------
new_repo
mkdir -p "db/mig rations"
printf 'CREATE TABLE IF NOT EXISTS users (id bigint);\n' > "db/mig rations/001_users.sql"
printf 'CREATE TABLE IF NOT EXISTS old (id bigint);\n' > "db/mig rations/002_old.sql"
git add . && git commit -qm init
check "nothing staged" 0 "$PGW" check --staged
contains "nothing staged: no files" "0 files checked"

# The index holds a safe file; the working tree has a DROP on top: the index wins.
printf 'CREATE TABLE IF NOT EXISTS tags (id bigint);\n' > "db/mig rations/003_tags.sql"
git add "db/mig rations/003_tags.sql"
printf 'DROP TABLE users;\n' >> "db/mig rations/003_tags.sql"
check "staged content, not the working tree" 0 "$PGW" check --staged
contains "staged file with a space in its path" "db/mig rations/003_tags.sql: risk LOW"
git add "db/mig rations/003_tags.sql"
check "staged DROP blocks" 1 "$PGW" check --staged
contains "staged DROP reported" "db/mig rations/003_tags.sql:2:1: error[drop-table]"
lacks "unchanged migration not linted" "001_users.sql"

# A deleted migration that exists at HEAD is immutable-migration (SPEC §8);
# the other staged file is still linted.
git rm -q "db/mig rations/002_old.sql"
check "deleted file reported" 1 "$PGW" check --staged
contains "deleted file is immutable-migration" "db/mig rations/002_old.sql:1:1: error[immutable-migration]"

# From a subfolder: paths relative to it, as git shows them.
cd "db" && check "from a subfolder" 1 "$PGW" check --staged
contains "subfolder-relative path" "mig rations/003_tags.sql:2:1: error[drop-table]"
cd ..
git reset -q --hard

# An index on a table created by another staged new migration: no locking finding;
# on a table that already exists: require-concurrent-index.
printf 'CREATE TABLE IF NOT EXISTS events (id bigint);\n' > "db/mig rations/010_events.sql"
printf 'CREATE INDEX IF NOT EXISTS events_id ON events (id);\nCREATE INDEX IF NOT EXISTS users_id ON users (id);\n' > "db/mig rations/011_indexes.sql"
git add .
check "index on a table of the change" 1 "$PGW" check --staged --format json
contains "old table still flagged" '"line": 2'
lacks "new table not flagged" '"line": 1,'
git commit -qm more

# A worktree with core.hooksPath set: --staged works there too.
git worktree add -q "$T/wt" 2>/dev/null
cd "$T/wt" && git config core.hooksPath .githooks
printf 'TRUNCATE users;\n' > "db/mig rations/012_truncate.sql" && git add .
check "worktree staged" 1 "$PGW" check --staged
contains "worktree finding" "012_truncate.sql:1:1: error[truncate-table]"
cd "$T/repo"

# --- --diff-base ------------------------------------------------------------
new_repo
mkdir -p db
printf 'CREATE TABLE IF NOT EXISTS users (id bigint);\n' > db/001_users.sql
printf 'CREATE TABLE IF NOT EXISTS orders (id bigint);\n' > db/003_orders.sql
git add . && git commit -qm base
git checkout -q -b feature
printf 'CREATE TABLE IF NOT EXISTS users (id bigint, email text);\n' > db/001_users.sql
printf 'CREATE TABLE IF NOT EXISTS coupons (id bigint);\n' > db/002_coupons.sql
printf 'CREATE TABLE IF NOT EXISTS invoices (id bigint);\nCREATE INDEX IF NOT EXISTS invoices_id ON invoices (id);\n' > db/004_invoices.sql
printf 'CREATE INDEX IF NOT EXISTS invoices_total ON invoices (id);\nCREATE INDEX IF NOT EXISTS orders_id ON orders (id);\n' > db/005_indexes.sql
git add . && git commit -qm feature
check "diff-base" 1 "$PGW" check --diff-base main
contains "edited old migration" "db/001_users.sql:1:1: error[immutable-migration]"
contains "out of order" "db/002_coupons.sql:1:1: error[version-order]"
contains "index on an old table" "db/005_indexes.sql:2:1: error[require-concurrent-index]"
lacks "index on a table created by the change" "db/005_indexes.sql:1:1: error[require-concurrent-index]"
lacks "unchanged migration not linted" "db/003_orders.sql: risk"
check "diff-base unknown revision" 2 "$PGW" check --diff-base no-such-branch
contains "one-line error" "--diff-base"
check "staged and diff-base together" 2 "$PGW" check --staged --diff-base main

# --- pgwarden sum -----------------------------------------------------------
new_repo
mkdir -p db
printf 'CREATE TABLE IF NOT EXISTS a (id bigint);\n' > db/001_a.sql
printf 'CREATE TABLE IF NOT EXISTS b (id bigint);\n' > db/002_b.sql
check "sum writes" 0 "$PGW" sum db
contains "sum summary" "2 added, 0 changed, 0 removed"
head -1 pgwarden.sum | grep -q '^h1 [0-9a-f]\{64\}$' && pass=$((pass + 1)) || { fail=$((fail + 1)); echo "FAIL sum header"; }
check "sum clean" 0 "$PGW" check db
printf -- '-- edited\n' >> db/001_a.sql
check "edited applied migration" 1 "$PGW" check db
contains "which entry changed" "db/001_a.sql:1:1: error[immutable-migration]"
rm db/002_b.sql
check "deleted applied migration" 1 "$PGW" check db
contains "disappeared entry" "db/002_b.sql:1:1: error[immutable-migration]"
check "sum rewrites" 0 "$PGW" sum db
contains "sum changes listed" "changed: db/001_a.sql"
check "clean after sum" 0 "$PGW" check db
sed -i 's/^h1 ./h1 0/' pgwarden.sum
check "hand-edited sum" 2 "$PGW" check db
contains "sum error message" "pgwarden.sum"

# --- hook ---------------------------------------------------------------------
new_repo
mkdir -p bin && ln -s "$PGW" bin/pgwarden
printf '#!/bin/sh\necho foreign-hook-ran\n' > .git/hooks/pre-commit && chmod +x .git/hooks/pre-commit
check "foreign hook refused" 2 "$PGW" hook install
contains "refusal explains" "--chain"
check "chain" 0 "$PGW" hook install --chain
mkdir -p db && printf 'DROP TABLE users;\n' > db/001_drop.sql && git add .
PATH="$T/repo/bin:$PATH" check "commit blocked by DROP TABLE" 1 git commit -qm drop
contains "chained hook ran first" "foreign-hook-ran"
contains "hook reported the drop" "error[drop-table]"
printf -- '-- @override-destructive legacy table, unused since v2\n-- @rollback-plan: restore from the nightly backup\nDROP TABLE IF EXISTS users;\n' > db/001_drop.sql
git add .
PATH="$T/repo/bin:$PATH" check "commit allowed once acknowledged" 0 git commit -qm drop
printf 'x\n' > notes.txt && git add notes.txt
PATH="/usr/bin:/bin" check "no migration staged: fast no-op without pgwarden" 0 git commit -qm notes
check "uninstall restores the chained hook" 0 "$PGW" hook uninstall
grep -q foreign-hook-ran .git/hooks/pre-commit && pass=$((pass + 1)) || { fail=$((fail + 1)); echo "FAIL restore"; }
check "force replaces" 0 "$PGW" hook install --force
contains "backup kept" "pre-commit.pgwarden-backup"
check "reinstall over our own hook" 0 "$PGW" hook install
git config core.hooksPath custom-hooks
check "core.hooksPath respected" 0 "$PGW" hook install
[ -x custom-hooks/pre-commit ] && pass=$((pass + 1)) || { fail=$((fail + 1)); echo "FAIL hooksPath"; }
cd "$T" && check "hook outside a repository" 2 "$PGW" hook install

echo "git_test: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
