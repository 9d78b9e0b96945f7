#!/bin/sh
# bench/raw_parse.cpp's --tree layers (the benchmark's "parse trees" rows):
# every layer parses the same files and finds the same parse errors, the
# grammar-only layer included (it calls libpg_query's internal entry point with
# prototypes of our own, which this would catch drifting), and a tree it does
# not know is refused.
set -u
RAW=$1
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
printf 'CREATE TABLE t (id int PRIMARY KEY);\nCREATE INDEX CONCURRENTLY t_i ON t (id);\n' >"$T/good.sql"
printf 'CREATE TABLE (;\n' >"$T/bad.sql"
printf 'DO $$ BEGIN PERFORM 1; END $$;\n' >"$T/do.sql"
fail=0
want="3 files, $(cat "$T/good.sql" "$T/bad.sql" "$T/do.sql" | wc -c) bytes, 1 with parse errors"
for tree in json json+dom grammar protobuf; do
    got=$("$RAW" --tree=$tree "$T/good.sql" "$T/bad.sql" "$T/do.sql" 2>&1)
    rc=$?
    if [ $rc -ne 0 ] || [ "$got" != "$want" ]; then
        echo "FAIL --tree=$tree: exit $rc, '$got', expected '$want'"
        fail=1
    fi
done
if "$RAW" --tree=xml "$T/good.sql" >/dev/null 2>"$T/err" || ! grep -q "unknown --tree xml" "$T/err"; then
    echo "FAIL --tree=xml was not refused"
    fail=1
fi
[ $fail -eq 0 ] && echo "raw parse trees: all layers agree"
exit $fail
