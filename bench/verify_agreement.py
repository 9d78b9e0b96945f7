#!/usr/bin/env python3
"""Static analysis against PostgreSQL, per project (issue 13, Deliver 5):

    bench/verify_agreement.py PGWARDEN CORPUS [PROJECT...] [--json OUT]

For every project folder of CORPUS (or the ones named) it runs `pgwarden
check` and `pgwarden verify` (a private PostgreSQL cluster) and prints:

- the statements traced on relations that existed, and how many of them the
  static predictions (locks, rewrites, scans) got right: a statement with a
  verify-static-mismatch finding is a disagreement, counted by class
  ("took ACCESS EXCLUSIVE, predicted no lock", "rewrote, not predicted", ...);
- the static schema model after the replay against the real catalog: objects
  compared (tables, columns, indexes) and disagreements by class;
- what stopped a project: apply failures (then the model is not compared).

It changes nothing in CORPUS. Exit 0 when every project ran; 1 when pgwarden
crashed or printed something that is not a report, or, with --strict, when a
project disagrees anywhere or its model was not compared (ctest runs it so on
projects that agree fully: a regression in predictions or model fails it).
"""
import argparse
import collections
import json
import pathlib
import re
import subprocess
import sys


def classify(part):
    """A mismatch phrase without its relation names: its class."""
    part = part.removeprefix("PostgreSQL ")
    part = re.sub(r" on \S+", " on X", part)
    part = re.sub(r"^(rewrote|did not rewrite|scanned) \S+", r"\1 X", part)
    return part.rstrip(",")


def run_project(pgwarden, path):
    check = subprocess.run([pgwarden, "check", "--format", "json", str(path)],
                           capture_output=True, text=True, timeout=900)
    verify = subprocess.run([pgwarden, "verify", "--format", "json", str(path)],
                            capture_output=True, text=True, timeout=1800)
    row = {"project": path.name, "check_exit": check.returncode, "verify_exit": verify.returncode}
    if check.returncode not in (0, 1) or verify.returncode not in (0, 1):
        row["error"] = (verify.stderr or check.stderr).strip().splitlines()[-1:] or ["crashed"]
        return row
    static = json.loads(check.stdout)
    report = json.loads(verify.stdout)
    row["static_findings"] = len(static["findings"])
    observed = report.get("verify", {})
    traced = with_relations = 0
    for m in observed.get("migrations", []):
        for s in m.get("statements", []):
            traced += 1
            with_relations += bool(s.get("relations"))
    mismatched = set()
    classes = collections.Counter()
    failed = 0
    for f in report["findings"]:
        if f["rule"] == "verify-apply-failed":
            failed += 1
        if f["rule"] != "verify-static-mismatch" or "schema model" in f["message"]:
            continue
        mismatched.add((f["path"], f["line"]))
        for part in f["message"].split("; "):
            classes[classify(part)] += 1
    model = {"compared": 0, "disagreements": collections.Counter()}
    for mc in observed.get("model_checks", []):
        model["compared"] += mc["compared"]
        for d in mc["disagreements"]:
            model["disagreements"][d["kind"]] += 1
    row.update(statements=traced, on_existing=with_relations, mismatched=len(mismatched),
               classes=dict(classes), apply_failed=failed, model_compared=model["compared"],
               model_disagreements=dict(model["disagreements"]),
               model_sets=len(observed.get("model_checks", [])))
    return row


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("pgwarden")
    ap.add_argument("corpus")
    ap.add_argument("projects", nargs="*")
    ap.add_argument("--json", help="also write the rows to this file")
    ap.add_argument("--strict", action="store_true",
                    help="fail unless every project agrees fully and its model was compared")
    args = ap.parse_args()
    corpus = pathlib.Path(args.corpus)
    names = args.projects or sorted(p.name for p in corpus.iterdir() if p.is_dir())
    rows, bad = [], False
    print(f"{'project':18} {'stmts':>6} {'on existing':>11} {'agree':>7} "
          f"{'model objs':>10} {'model agree':>11} {'failed':>6}")
    for name in names:
        row = run_project(args.pgwarden, corpus / name)
        rows.append(row)
        if "error" in row:
            bad = True
            print(f"{name:18} error: {row['error'][0]}")
            continue
        agree = 1 - row["mismatched"] / row["on_existing"] if row["on_existing"] else 1.0
        off = sum(row["model_disagreements"].values())
        model = (f"{1 - off / row['model_compared']:.1%}" if row["model_compared"]
                 else "not run")
        print(f"{name:18} {row['statements']:6} {row['on_existing']:11} {agree:7.1%} "
              f"{row['model_compared']:10} {model:>11} {row['apply_failed']:6}")
        if args.strict and (row["mismatched"] or off or not row["model_compared"]
                            or not row["on_existing"]):
            bad = True
            print(f"{name:18} does not agree fully (--strict)")
    total = collections.Counter()
    model_total = collections.Counter()
    for row in rows:
        total.update(row.get("classes", {}))
        model_total.update(row.get("model_disagreements", {}))
    if total:
        print("\nlock/rewrite/scan disagreements by class:")
        for k, n in total.most_common():
            print(f"  {n:5}  {k}")
    if model_total:
        print("\nschema model disagreements by class:")
        for k, n in model_total.most_common():
            print(f"  {n:5}  {k}")
    if args.json:
        pathlib.Path(args.json).write_text(json.dumps(rows, indent=1) + "\n")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
