#!/usr/bin/env python3
"""Compares pgwarden with squawk on the corpus migrations, rule by rule.

Usage: bench/squawk_compare.py PGWARDEN SQUAWK [CORPUS]
  SQUAWK: e.g. node_modules/@squawk-cli/linux-x64/bin/squawk (`npm install squawk-cli`)
Both tools run with every rule on; squawk's rule ids are mapped to ours and the
findings compared by (file, line). Prints a table per mapped rule with counts
of agreement and one example of each kind of disagreement, to be explained.
"""
import collections
import json
import os
import subprocess
import sys

# squawk rule id -> pgwarden rule id
MAPPING = {
    "require-concurrent-index-creation": "require-concurrent-index",
    "require-concurrent-index-deletion": "require-concurrent-index-drop",
    "ban-concurrent-index-creation-in-transaction": "concurrently-in-transaction",
    "adding-required-field": "add-column-not-null-without-default",
    "adding-field-with-default": "add-column-volatile-default",
    "adding-not-nullable-field": "set-not-null",
    "adding-foreign-key-constraint": "constraint-not-valid",
    "constraint-missing-not-valid": "constraint-not-valid",
    "disallowed-unique-constraint": "add-unique-constraint",
    "adding-serial-primary-key-field": "add-unique-constraint",
    "require-lock-timeout": "require-lock-timeout",
    "require-concurrent-reindex": "blocking-maintenance",
    "identifier-too-long": "identifier-too-long",
    "ban-drop-column": "drop-column",
    "ban-drop-table": "drop-table",
    "ban-drop-database": "drop-database",
    "ban-truncate-cascade": "truncate-table",
    "ban-drop-not-null": "drop-not-null",
    "renaming-column": "rename-column",
    "renaming-table": "rename-table",
    "changing-column-type": "alter-column-type",
    "prefer-robust-stmts": "idempotent-ddl",
    "transaction-nesting": "transaction-nesting",
    "prefer-bigint-over-int": "prefer-bigint",
    "prefer-bigint-over-smallint": "prefer-bigint",
    "prefer-identity": "prefer-identity",
    "prefer-text-field": "prefer-text",
    "prefer-timestamp-tz": "prefer-timestamptz",
    "ban-char-field": "ban-char",
    "syntax-error": "parse-error",
}
OPT_IN = ["prefer-bigint", "prefer-identity", "prefer-text", "prefer-timestamptz", "ban-char"]


def main():
    pgw, squawk = sys.argv[1], sys.argv[2]
    corpus = sys.argv[3] if len(sys.argv) > 3 else os.path.join(os.path.dirname(__file__), "../../shared/corpus")
    files = sorted(os.path.join(d, f) for d, _, fs in os.walk(corpus) for f in fs
                   if f.endswith(".sql") and "pg_regress" not in d)
    ours = collections.defaultdict(set)
    cmd = [pgw, "check", "--format", "json", "--fail-on", "never"]
    for r in OPT_IN:
        cmd += ["--enable", r]
    report = json.loads(subprocess.run(cmd + files, capture_output=True, text=True).stdout)
    for f in report["findings"]:
        ours[f["rule"]].add((f["path"], f["line"]))
    theirs = collections.defaultdict(set)
    for i in range(0, len(files), 200):
        out = subprocess.run([squawk, "--reporter", "json"] + files[i:i + 200],
                             capture_output=True, text=True).stdout
        for f in json.loads(out or "[]"):
            rule = MAPPING.get(f["rule_name"])
            if rule:
                theirs[rule].add((f["file"], f["line"] + 1))  # squawk lines are 0-based
    print(f"{len(files)} files (pg_regress excluded)\n")
    # By line (squawk often points at an ALTER TABLE subcommand's line, pgwarden at the
    # statement's first line) and by file (does the rule fire on the migration at all).
    print(f"{'pgwarden rule':38} {'lines: both':>11} {'sq only':>8} {'pgw only':>8}"
          f" {'files: both':>11} {'sq only':>8} {'pgw only':>8}")
    for rule in sorted(set(MAPPING.values())):
        a, b = ours[rule], theirs[rule]
        fa, fb = {p for p, _ in a}, {p for p, _ in b}
        print(f"{rule:38} {len(a & b):11} {len(b - a):8} {len(a - b):8}"
              f" {len(fa & fb):11} {len(fb - fa):8} {len(fa - fb):8}")
        a, b = fa, fb
        a, b = {(p, 0) for p in a}, {(p, 0) for p in b}
        for label, diff in (("squawk only", b - a), ("pgwarden only", a - b)):
            if diff and label == "squawk only":
                downs = sum(1 for p, _ in diff if "down" in os.path.basename(p).lower())
                print(f"    {downs} of {len(diff)} squawk-only files are down migrations")
            if diff:
                path, _ = sorted(diff)[0]
                print(f"    e.g. {label} (file): {os.path.relpath(path, corpus)}")


if __name__ == "__main__":
    main()
