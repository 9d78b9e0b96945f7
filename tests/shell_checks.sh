# Shared by the shell tests: a throwaway folder $T (removed on exit), the
# binary $PGW made absolute from $1, git that reads no user or system
# configuration, and check/contains/lacks, which count into $pass and $fail.
# Sourced: `. "$(dirname "$0")/shell_checks.sh"`.
set -u
PGW=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
pass=0
fail=0
export GIT_CONFIG_NOSYSTEM=1 HOME="$T/home" GIT_AUTHOR_NAME=t GIT_AUTHOR_EMAIL=t@example.com \
    GIT_COMMITTER_NAME=t GIT_COMMITTER_EMAIL=t@example.com
mkdir -p "$HOME"

check() {  # check NAME EXPECTED_RC COMMAND...
    name=$1 want=$2
    shift 2
    "$@" >"$T/out" 2>"$T/err"
    got=$?
    if [ "$got" -eq "$want" ]; then pass=$((pass + 1)); else
        fail=$((fail + 1)); echo "FAIL $name: exit $got, expected $want"
        sed 's/^/  | /' "$T/out" "$T/err" | head -20; fi
}
contains() {  # contains NAME TEXT: in the last output
    if grep -qF -- "$2" "$T/out" "$T/err"; then pass=$((pass + 1)); else
        fail=$((fail + 1)); echo "FAIL $1: '$2' not in the output"; sed 's/^/  | /' "$T/out" "$T/err" | head -20; fi
}
lacks() {  # lacks NAME TEXT
    if grep -qF -- "$2" "$T/out" "$T/err"; then
        fail=$((fail + 1)); echo "FAIL $1: '$2' in the output"; sed 's/^/  | /' "$T/out" | head -20
    else pass=$((pass + 1)); fi
}
