#!/bin/sh
# Hooks that never pass silently (SPEC §8), with real `git commit` and the real
# pre-commit framework in throwaway repositories: the native hook blocks an
# add, an edit, a rename plus edit and a deletion of a migration, runs the
# binary that installed it when pgwarden is not on PATH, refuses (never
# passes) when no pgwarden can be found, and `uninstall` restores what
# `install --force` moved aside; .pre-commit-hooks.yaml's `pgwarden` checks
# the files of --all-files, --files and --from-ref/--to-ref, and
# `pgwarden-staged` reports a staged deletion.
#   hooks_test.sh PGWARDEN SOURCE_DIR
set -u
PGW=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
ROOT=$(cd "$2" && pwd)
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
pass=0
fail=0
export GIT_CONFIG_NOSYSTEM=1 HOME="$T/home" GIT_AUTHOR_NAME=t GIT_AUTHOR_EMAIL=t@example.com \
    GIT_COMMITTER_NAME=t GIT_COMMITTER_EMAIL=t@example.com PRE_COMMIT_HOME="$T/pre-commit-cache"
unset PGWARDEN
mkdir -p "$HOME" "$T/bin"
ln -s "$PGW" "$T/bin/pgwarden"
BASE_PATH=$PATH
PATH_WITH=$T/bin:$BASE_PATH

check() {  # check NAME EXPECTED_RC COMMAND...
    name=$1 want=$2
    shift 2
    "$@" >"$T/out" 2>"$T/err"
    got=$?
    if [ "$got" -eq "$want" ]; then pass=$((pass + 1)); else
        fail=$((fail + 1)); echo "FAIL $name: exit $got, expected $want"
        sed 's/^/  | /' "$T/out" "$T/err" | head -30; fi
}
contains() {  # contains NAME TEXT: in the last output
    if grep -qF -- "$2" "$T/out" "$T/err"; then pass=$((pass + 1)); else
        fail=$((fail + 1)); echo "FAIL $1: '$2' not in the output"; sed 's/^/  | /' "$T/out" "$T/err" | head -30; fi
}
new_repo() {
    rm -rf "$T/repo" && mkdir -p "$T/repo/db" && cd "$T/repo" && git init -q -b main . || exit 1
    printf 'CREATE TABLE IF NOT EXISTS users (id bigint);\n' > db/001_users.sql
    printf 'CREATE TABLE IF NOT EXISTS posts (id bigint);\n' > db/002_posts.sql
    printf 'notes\n' > README
    git add . && git commit -qm init
}

# --- the native hook ----------------------------------------------------------
new_repo
PATH=$PATH_WITH check "hook install" 0 pgwarden hook install
contains "install names the binary" "it runs $PGW"
grep -qF "installed_by='$PGW'" .git/hooks/pre-commit && pass=$((pass + 1)) ||
    { fail=$((fail + 1)); echo "FAIL the hook records the installing binary"; }
# From here pgwarden is not on PATH: the hook runs the binary that installed it.
printf 'DROP TABLE users;\n' > db/003_drop.sql
git add db/003_drop.sql
check "commit adding a DROP is blocked" 1 git commit -qm drop
contains "the drop is reported" "db/003_drop.sql:1:1: error[drop-table]"
git reset -q && rm db/003_drop.sql
# A rename plus an edit (the case a name filter on added files let through).
git mv db/002_posts.sql db/003_posts.sql && printf 'DROP TABLE users;\n' >> db/003_posts.sql && git add -A
check "rename plus edit is blocked" 1 git commit -qm rename
contains "rename reported" "immutable-migration"
git reset -q --hard
git rm -q db/002_posts.sql
check "deletion is blocked (no pgwarden.sum)" 1 git commit -qm delete
contains "deletion is immutable-migration" "immutable-migration"
git reset -q --hard
printf 'more\n' >> README && git add README
check "a commit touching no migration passes" 0 git commit -qm readme
printf 'CREATE TABLE IF NOT EXISTS tags (id bigint);\n' > db/003_tags.sql && git add db/003_tags.sql
check "a safe migration commits" 0 git commit -qm tags
# No pgwarden anywhere: refused, never passed.
sed "s|^installed_by=.*|installed_by='$T/nowhere/pgwarden'|" .git/hooks/pre-commit > "$T/hook" &&
    cat "$T/hook" > .git/hooks/pre-commit
printf 'even more\n' >> README && git add README
check "no pgwarden: refused" 1 git commit -qm nothing
contains "says why" "the commit is not checked, so it is refused"
PGWARDEN=$PGW check "PGWARDEN wins" 0 git commit -qm readme2

# install --force moves a foreign hook aside; uninstall puts it back.
new_repo
printf '#!/bin/sh\necho foreign hook\n' > .git/hooks/pre-commit && chmod +x .git/hooks/pre-commit
check "install refuses a foreign hook" 2 "$PGW" hook install
check "install --force" 0 "$PGW" hook install --force
check "uninstall" 0 "$PGW" hook uninstall
contains "uninstall says it restored" "restored the previous hook"
grep -q "foreign hook" .git/hooks/pre-commit && [ -x .git/hooks/pre-commit ] && pass=$((pass + 1)) ||
    { fail=$((fail + 1)); echo "FAIL uninstall restores the --force backup"; cat .git/hooks/pre-commit; }
[ ! -e .git/hooks/pre-commit.pgwarden-backup ] && pass=$((pass + 1)) ||
    { fail=$((fail + 1)); echo "FAIL the backup is gone after uninstall"; }

# --- the pre-commit framework -------------------------------------------------
if ! command -v pre-commit >/dev/null 2>&1; then
    echo "FAIL pre-commit (Debian package pre-commit, scripts/setup) is not installed"
    fail=$((fail + 1))
else
    # A hook repository holding this project's .pre-commit-hooks.yaml.
    mkdir -p "$T/hookrepo" && cd "$T/hookrepo" && git init -q -b main . &&
        cp "$ROOT/.pre-commit-hooks.yaml" . && git add . && git commit -qm hooks
    rev=$(git rev-parse HEAD)
    new_repo
    cat > .pre-commit-config.yaml <<YAML
repos:
  - repo: $T/hookrepo
    rev: $rev
    hooks:
      - id: pgwarden
      - id: pgwarden-staged
YAML
    git add .pre-commit-config.yaml && git commit -qm config
    git checkout -q -b feature
    printf 'DROP TABLE users;\n' > db/003_drop.sql
    git add db/003_drop.sql && git commit -qm drop --no-verify
    PATH=$PATH_WITH check "pre-commit --all-files fails" 1 pre-commit run --all-files
    contains "--all-files: the drop" "db/003_drop.sql:1:1: error[drop-table]"
    PATH=$PATH_WITH check "pre-commit --files fails" 1 pre-commit run pgwarden --files db/003_drop.sql
    contains "--files: the drop" "error[drop-table]"
    PATH=$PATH_WITH check "pre-commit --files of a clean file passes" 0 pre-commit run pgwarden --files db/001_users.sql
    PATH=$PATH_WITH check "pre-commit --from-ref/--to-ref fails" 1 \
        pre-commit run pgwarden --from-ref main --to-ref feature
    contains "--from-ref: the drop" "db/003_drop.sql:1:1: error[drop-table]"
    # In a set: an explicit file's tables created by earlier migrations are known.
    printf 'ALTER TABLE posts ADD COLUMN title text;\n' > db/004_title.sql
    PATH=$PATH_WITH check "pre-commit --files: set context" 0 pre-commit run pgwarden --files db/004_title.sql
    rm db/004_title.sql
    git checkout -q main
    git rm -q db/002_posts.sql
    PATH=$PATH_WITH check "pgwarden-staged: a staged deletion fails" 1 pre-commit run pgwarden-staged
    contains "pgwarden-staged: immutable" "immutable-migration"
    git reset -q --hard
fi

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
