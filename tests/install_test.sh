#!/bin/sh
# cmake --install and the .deb (SPEC §8 Releases): the installed binary runs,
# its man page renders and lists every command and rule, the bash completion
# loads through bash-completion and completes, zsh and fish read theirs (fish
# completes too), and the .deb's Depends name the packages of every library
# the binary links, and `dpkg -x` of it gives a working pgwarden.
#   install_test.sh BUILD_DIR SOURCE_DIR
set -u
BUILD=$(cd "$1" && pwd)
ROOT=$(cd "$2" && pwd)
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
pass=0
fail=0
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL $*"; }
expect() {  # expect NAME TEXT FILE: TEXT (fixed string) is in FILE
    if grep -qF -- "$2" "$3"; then ok; else bad "$1: '$2' not in $3"; sed 's/^/  | /' "$3" | head -20; fi
}

# --- cmake --install into a DESTDIR, default prefix /usr/local
DESTDIR=$T/dest cmake --install "$BUILD" --prefix /usr/local >"$T/install.log" 2>&1 ||
    { bad "cmake --install"; cat "$T/install.log"; }
P=$T/dest/usr/local
for f in bin/pgwarden share/man/man1/pgwarden.1 share/bash-completion/completions/pgwarden \
    share/zsh/site-functions/_pgwarden share/fish/vendor_completions.d/pgwarden.fish; do
    if [ -s "$P/$f" ]; then ok; else bad "installed $f missing"; fi
done
BIN=$P/bin/pgwarden
"$BIN" --version >"$T/version" 2>&1 || bad "installed --version exit $?"
if grep -Eq '^pgwarden [0-9]+\.[0-9]+\.[0-9]+( \(git [^)]+\))? parser PostgreSQL 15\.[0-9]+' "$T/version"
then ok; else bad "--version: $(cat "$T/version")"; fi
"$BIN" check --fail-on never "$ROOT/examples/migrations" >"$T/check" 2>&1 || bad "installed check"
expect "installed check" "004_drop_legacy_notes.sql" "$T/check"

# --- the man page: renders without groff warnings, names every command and rule
PAGE=$P/share/man/man1/pgwarden.1
MANWIDTH=100 man -l "$PAGE" >"$T/man.txt" 2>"$T/man.err" || bad "man -l exit $?"
if [ -s "$T/man.err" ]; then bad "man -l warnings"; cat "$T/man.err"; else ok; fi
groff -man -ww -z "$PAGE" >"$T/groff.err" 2>&1
if [ -s "$T/groff.err" ]; then bad "groff warnings"; cat "$T/groff.err"; else ok; fi
"$BIN" --help | sed -n '/^Subcommands:/,$p' | awk 'NR>1 && NF {print $1}' >"$T/commands"
[ -s "$T/commands" ] || bad "no subcommands in --help"
while read -r cmd; do expect "man page command" "pgwarden $cmd" "$T/man.txt"; done <"$T/commands"
"$BIN" rules --format json | python3 -c 'import json,sys; [print(r["id"]) for r in json.load(sys.stdin)]' >"$T/rules" ||
    bad "rules --format json"
[ "$(wc -l <"$T/rules")" -gt 20 ] || bad "fewer than 20 rules"
while read -r id; do expect "man page rule" "$id" "$T/man.txt"; done <"$T/rules"
expect "man page exit status" "EXIT STATUS" "$T/man.txt"
expect "man page option" "--diff-base" "$T/man.txt"

# --- bash: bash-completion finds the file by command name and completes
cat >"$T/complete.bash" <<'SH'
. /usr/share/bash-completion/bash_completion
__load_completion pgwarden || { echo "not loaded"; exit 1; }
complete -p pgwarden
c() { COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); COMPREPLY=(); _pgwarden; echo "${COMPREPLY[*]}"; }
c pgwarden ch
c pgwarden check --for
c pgwarden check --format sa
c pgwarden explain drop-ta
c pgwarden hook ""
c pgwarden completion f
SH
XDG_DATA_DIRS=$P/share bash "$T/complete.bash" >"$T/bash.out" 2>&1 || bad "bash completion exit $?"
expect "bash complete -p" "complete -o default -F _pgwarden pgwarden" "$T/bash.out"
for want in "check" "--format" "sarif" "drop-table" "install uninstall" "fish"; do
    if grep -qx -- "$want" "$T/bash.out"; then ok; else bad "bash completion: no line '$want'"; cat "$T/bash.out"; fi
done

"$BIN" completion tcsh >"$T/tcsh.out" 2>"$T/tcsh.err"
rc=$?
[ "$rc" -eq 2 ] && [ ! -s "$T/tcsh.out" ] && [ "$(wc -l <"$T/tcsh.err")" -eq 1 ] && ok ||
    bad "completion tcsh: exit $rc, not one line"

# --- zsh and fish read their files; fish completes
zsh -n "$P/share/zsh/site-functions/_pgwarden" >"$T/zsh.err" 2>&1 || { bad "zsh -n"; cat "$T/zsh.err"; }
FISH=$P/share/fish/vendor_completions.d/pgwarden.fish
fish -n "$FISH" >"$T/fish.err" 2>&1 || { bad "fish -n"; cat "$T/fish.err"; }
HOME=$T fish -c "source $FISH; complete -C 'pgwarden ch'; complete -C 'pgwarden check --form'; complete -C 'pgwarden check --format ma'; complete -C 'pgwarden hook un'" >"$T/fish.out" 2>&1
for want in "check" "--format" "markdown" "uninstall"; do
    if grep -q "^$want	" "$T/fish.out" || grep -qx -- "$want" "$T/fish.out"; then ok; else
        bad "fish completion: no '$want'"; cat "$T/fish.out"; fi
done

# --- the .deb: Depends from dpkg-shlibdeps, dpkg -x gives a working pgwarden
(cd "$T" && cpack -G DEB --config "$BUILD/CPackConfig.cmake" -B "$T/pkg" >"$T/cpack.log" 2>&1) ||
    { bad "cpack"; tail -20 "$T/cpack.log"; }
DEB=$(ls "$T"/pkg/*.deb 2>/dev/null | head -1)
if [ -n "$DEB" ]; then
    dpkg-deb -f "$DEB" Depends >"$T/depends"
    # Every shared library the binary needs comes from a package it depends on.
    readelf -d "$BUILD/pgwarden" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p' >"$T/needed"
    while read -r lib; do
        path=$(ldconfig -p | awk -v l="$lib" '$1 == l && /x86-64/ {print $NF; exit}')
        real=$(readlink -f "$path")
        pkg=$(dpkg -S "$real" 2>/dev/null | head -1 | cut -d: -f1)
        [ -n "$pkg" ] || pkg=$(dpkg -S "$path" 2>/dev/null | head -1 | cut -d: -f1)
        if [ -n "$pkg" ] && tr ',' '\n' <"$T/depends" | awk '{print $1}' | grep -qxF "$pkg"; then ok; else
            bad "Depends lacks '$pkg' (for $lib): $(cat "$T/depends")"; fi
    done <"$T/needed"
    if grep -q libpq "$T/depends"; then bad "libpq in Depends (it is dlopen'ed)"; else ok; fi
    dpkg -x "$DEB" "$T/root"
    R=$T/root/usr
    "$R/bin/pgwarden" --version >"$T/deb.version" 2>&1 || bad "deb pgwarden --version"
    cmp -s "$T/version" "$T/deb.version" && ok || bad "deb --version differs"
    "$R/bin/pgwarden" check --fail-on never "$ROOT/examples/migrations" >"$T/deb.check" 2>&1
    cmp -s "$T/check" "$T/deb.check" && ok || bad "deb check output differs"
    man -l "$R/share/man/man1/pgwarden.1" 2>/dev/null | grep -q "drop-table" && ok || bad "deb man page"
    for f in share/bash-completion/completions/pgwarden share/zsh/vendor-completions/_pgwarden \
        share/fish/vendor_completions.d/pgwarden.fish; do
        [ -s "$R/$f" ] && ok || bad "deb lacks usr/$f"
    done
else
    bad "no .deb made"
fi

echo "install_test: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
