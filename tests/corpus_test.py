#!/usr/bin/env python3
"""Runs pgwarden over ../shared/corpus: no crash, every migration reported (or
skipped because its tool does not run it on PostgreSQL), each project's
migration tool detected as expected, parse-error files <= 1% of migration files
(pg_regress excluded from the ratio, still run for robustness)."""
import json
import os
import subprocess
import sys

pgw, corpus = sys.argv[1], sys.argv[2]
if not os.path.isdir(corpus):  # registered only where the corpus exists
    sys.exit(f"corpus: {corpus} not found")

sql_files = sorted(
    os.path.join(d, f)
    for d, dirs, files in os.walk(corpus)
    for f in files
    if f.lower().endswith(".sql") and not any(p.startswith(".") for p in os.path.relpath(d, corpus).split(os.sep) if p != ".")
)
r = subprocess.run([pgw, "check", "--format", "json", "--fail-on", "never", corpus],
                   capture_output=True, text=True, timeout=800)
failures = []
if r.returncode != 0:
    failures.append(f"exit code {r.returncode}: {r.stderr.strip()[:500]}")
    report = {"files": [], "findings": []}
else:
    report = json.loads(r.stdout)
reported = {f["path"] for f in report["files"]}
skipped = {s["path"]: s for s in report.get("skipped", [])}
missing = [p for p in sql_files if p not in reported and p not in skipped]
if missing:
    failures.append(f"{len(missing)} files missing from the report, e.g. {missing[:3]}")

def project(path):
    return os.path.relpath(path, corpus).split(os.sep)[0]

# The tool each project's migrations are written for (its SOURCE.txt names the
# repository): what detection must find, from the files alone.
EXPECTED_TOOLS = {
    "concourse": "golang-migrate",  # NNN_name.up.sql / .down.sql pairs
    "crates_io": "diesel",          # <date>_name/up.sql + down.sql
    "documenso": "prisma",          # <14 digits>_name/migration.sql
    "ente": "golang-migrate",
    "harbor": "golang-migrate",
    "hydra": "popx",                # ory: X.postgres.up.sql, X.autocommit.up.sql
    "kestra": "flyway",             # V1_7__name.sql
    "kratos": "popx",
    "langfuse": "prisma",
    "lemmy": "diesel",
    "pg_regress": "plain",          # not migrations
    "supabase_auth": "pop",         # gobuffalo pop: Go templates in .up.sql files
    "supabase_postgres": "dbmate",  # -- migrate:up
    "supabase_storage": "plain",    # 0001-name.sql (node postgres-migrations)
    "temporal": "plain",            # versioned/v1.5/*.sql schema folders
}
tools = {}
for f in report["files"]:
    tools.setdefault(project(f["path"]), set()).add(f["tool"])
for name, expected in EXPECTED_TOOLS.items():
    if name not in tools:
        continue
    got = tools[name] - ({"plain"} if name == "supabase_postgres" else set())  # its init-scripts/ are plain SQL
    if got != {expected}:
        failures.append(f"{name}: detected {sorted(tools[name])}, expected {expected}")
print("corpus: tools " + ", ".join(f"{p}={'/'.join(sorted(t))}" for p, t in sorted(tools.items())))
for p, s in sorted(skipped.items()):
    if s["tool"] != "popx":  # only ory's dialect variants are expected to be skipped
        failures.append(f"{p} skipped by {s['tool']}: {s['reason']}")

error_files = {f["path"] for f in report["findings"] if f["rule"] == "parse-error"}
counted = [p for p in reported if project(p) != "pg_regress"]
errors = [p for p in error_files if project(p) != "pg_regress"]
ratio = len(errors) / max(1, len(counted))
print(f"corpus: {len(reported)} files reported ({len(sql_files)} on disk), "
      f"{len(report['findings'])} findings")
print(f"corpus: parse-error in {len(errors)} of {len(counted)} migration files "
      f"({ratio:.2%}), pg_regress: {len(error_files) - len(errors)} files")
for p in sorted(errors)[:20]:
    msg = next(f["message"] for f in report["findings"] if f["path"] == p and f["rule"] == "parse-error")
    print(f"  parse-error {p}: {msg}")
if ratio > 0.01:
    failures.append(f"parse-error ratio {ratio:.2%} > 1%")
for f in failures:
    print("FAIL", f)
print(f"corpus: {len(failures)} failed")
sys.exit(1 if failures else 0)
