#!/usr/bin/env python3
"""One long set checked with any --jobs gives the same report, and the right one.

With more than one thread, threads that have no set left parse the files of
a running replay ahead of it (engine/replay_work.h), while the replay checks
each up/down pair and lints each down in trials on the set's model
(SchemaModel::Trial). A single set is where that happens most, so this
builds one golang-migrate set of up/down pairs, some of whose downs do not
undo their ups, and checks that

- the JSON report is byte-identical for --jobs 1, 2, 4 and 8, run several
  times each (the threads interleave differently every time), and
- it holds the findings the pairs call for, and no others of their rules: a
  rollback-mismatch for each down that leaves its table behind or drops more
  than its up created, the concurrent-index findings for an index on a table
  an earlier migration created and for the down's drop of it (both need the
  model as the earlier files left it).

Usage: parallel_test.py PGWARDEN
"""
import json
import os
import subprocess
import sys
import tempfile

PAIRS = 300


def write(path, text):
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)


def build_set(folder):
    """Writes the pairs; returns the (file, rule) pairs the report must hold."""
    expected = set()
    for j in range(1, PAIRS + 1):
        up_name, down_name = f"migrations/{j:06d}_step.up.sql", f"migrations/{j:06d}_step.down.sql"
        up = [f"CREATE TABLE t{j} (id bigint PRIMARY KEY, v text);"]
        down = []
        if j > 1 and j % 5 == 0:
            up.append(f"ALTER TABLE t{j - 1} ADD COLUMN c{j} int;")
            down.append(f"ALTER TABLE t{j - 1} DROP COLUMN c{j};")
        if j > 1 and j % 11 == 0:
            # On a table an earlier migration created: it holds data by now.
            up.append(f"CREATE INDEX i{j} ON t{j - 1} (v);")
            down.append(f"DROP INDEX i{j};")
            expected.add((up_name, "require-concurrent-index"))
            expected.add((down_name, "require-concurrent-index-drop"))
        if j % 7 == 0:
            down.append("SELECT 1;")  # leaves t{j} behind
            expected.add((down_name, "rollback-mismatch"))
        else:
            down.append(f"DROP TABLE t{j};")  # what its own up created: no finding
        if j > 2 and j % 13 == 0:
            # More than its up did: an earlier migration's table, which the
            # rollback check (on its copy of the model) sees removed.
            down.append(f"DROP TABLE t{j - 2};")
            expected.add((down_name, "rollback-mismatch"))
        write(os.path.join(folder, f"{j:06d}_step.up.sql"), "\n".join(up) + "\n")
        write(os.path.join(folder, f"{j:06d}_step.down.sql"), "\n".join(reversed(down)) + "\n")
    return expected


def main():
    pgw = os.path.abspath(sys.argv[1])
    failures = []
    with tempfile.TemporaryDirectory() as tmp:
        os.mkdir(os.path.join(tmp, "migrations"))
        expected = build_set(os.path.join(tmp, "migrations"))
        reports = {}
        for jobs in (1, 2, 4, 8, 1, 2, 4, 8, 2, 2):
            proc = subprocess.run([pgw, "check", "--format", "json", "--fail-on", "never",
                                   "--jobs", str(jobs), "migrations"],
                                  cwd=tmp, capture_output=True, timeout=300)
            if proc.returncode != 0:
                failures.append(f"--jobs {jobs}: exit {proc.returncode}: {proc.stderr[:300]}")
                continue
            first = reports.setdefault("first", proc.stdout)
            if proc.stdout != first:
                failures.append(f"--jobs {jobs}: the report differs from --jobs 1's")
        report = json.loads(reports["first"]) if "first" in reports else {"findings": []}
        rules = {rule for _, rule in expected}
        found = {(f["path"], f["rule"]) for f in report["findings"] if f["rule"] in rules}
        for path, rule in sorted(expected - found):
            failures.append(f"{path}: no {rule}")
        for path, rule in sorted(found - expected):
            failures.append(f"{path}: unexpected {rule}")
        files = {f["path"] for f in report.get("files", [])}
        if len(files) != 2 * PAIRS:
            failures.append(f"{len(files)} files reported, expected {2 * PAIRS}")
    for f in failures:
        print("FAIL", f)
    print(f"parallel: {len(failures)} failure(s)")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
