#!/usr/bin/env python3
"""Compares two `pgwarden check --format json` reports of the same folder of
projects (for example ../shared/corpus before and after a change): per project
and rule, the count of errors and warnings in each, and the rules whose count
changed. Acknowledged findings and infos are left out.

    bench/diff_reports.py BEFORE.json AFTER.json [--project NAME] [--examples N]

With --examples, prints up to N findings of each changed (project, rule) that
exist on one side only, to review what appeared or disappeared.
"""
import argparse
import collections
import json
import os


def key(f, root):
    rel = os.path.relpath(f["path"], root) if root else f["path"]
    return rel.split(os.sep)[0]


def load(path):
    with open(path) as fh:
        d = json.load(fh)
    paths = [f["path"] for f in d["files"]]
    root = os.path.commonpath(paths) if len(paths) > 1 else ""
    counts = collections.Counter()
    items = collections.defaultdict(set)
    for f in d["findings"]:
        if f["severity"] not in ("error", "warning") or f["acknowledged"]:
            continue
        k = (key(f, root), f["rule"], f["severity"])
        counts[k] += 1
        items[k].add((os.path.relpath(f["path"], root) if root else f["path"], f["line"], f["message"]))
    return counts, items


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("before")
    ap.add_argument("after")
    ap.add_argument("--project")
    ap.add_argument("--examples", type=int, default=0)
    a = ap.parse_args()
    b, bi = load(a.before)
    n, ni = load(a.after)
    projects = sorted({k[0] for k in b} | {k[0] for k in n})
    for p in projects:
        if a.project and p != a.project:
            continue
        rows = sorted({k for k in b if k[0] == p} | {k for k in n if k[0] == p}, key=lambda k: (k[2], k[1]))
        changed = [k for k in rows if b[k] != n[k]]
        tot = lambda c, sev: sum(v for k, v in c.items() if k[0] == p and k[2] == sev)
        print(f"{p}: errors {tot(b, 'error')} -> {tot(n, 'error')}, warnings {tot(b, 'warning')} -> {tot(n, 'warning')}")
        for k in changed:
            print(f"    {k[2]:7} {k[1]:38} {b[k]:5} -> {n[k]}")
            if a.examples:
                gone = sorted(bi[k] - ni[k])[: a.examples]
                new = sorted(ni[k] - bi[k])[: a.examples]
                for g in gone:
                    print(f"        - {g[0]}:{g[1]} {g[2][:150]}")
                for g in new:
                    print(f"        + {g[0]}:{g[1]} {g[2][:150]}")


if __name__ == "__main__":
    main()
