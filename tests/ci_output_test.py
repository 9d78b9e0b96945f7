#!/usr/bin/env python3
"""CI output by importance (SPEC §7), on a generated repository: GitHub
annotations ordered (errors before warnings before notices) and capped by
--annotations with a closing notice; Markdown cut by importance within
--markdown-limit (errors kept, warnings dropped first) with links to file and
line (GitHub blob URLs from GITHUB_* variables); SARIF URIs relative to the
repository root from any folder and a versioned helpUri; GitLab content.body.

usage: ci_output_test.py PGWARDEN"""
import json
import os
import subprocess
import sys
import tempfile

PGW = os.path.abspath(sys.argv[1])
failures = 0
passed = 0


def expect(name, ok, detail=""):
    global failures, passed
    if ok:
        passed += 1
    else:
        failures += 1
        print(f"FAIL {name}\n{detail[:3000]}")


def run(args, cwd, env=None):
    e = dict(os.environ)
    for k in ("GITHUB_SERVER_URL", "GITHUB_REPOSITORY", "GITHUB_SHA"):
        e.pop(k, None)
    e.update(env or {})
    return subprocess.run([PGW] + args, cwd=cwd, capture_output=True, text=True, env=e)


with tempfile.TemporaryDirectory() as tmp:
    repo = os.path.join(tmp, "repo")
    mig = os.path.join(repo, "db", "migrations")
    os.makedirs(mig)
    subprocess.run(["git", "init", "-q", "-b", "main", repo], check=True)
    # Old files full of warnings (idempotent-ddl in a plain folder), sorted
    # first; the newest file holds the one error.
    for i in range(1, 40):
        with open(os.path.join(mig, f"{i:03d}_t{i}.sql"), "w") as f:
            f.write("".join(f"CREATE TABLE t{i}_{j} (id bigint);\n" for j in range(3)))
    with open(os.path.join(mig, "999_drop.sql"), "w") as f:
        f.write('SELECT 1;\nDROP TABLE t1_0;\n')

    # --- GitHub annotations -------------------------------------------------
    r = run(["check", "--format", "github", "--no-baseline", "db/migrations"], repo)
    lines = [l for l in r.stdout.splitlines() if l.startswith("::")]
    expect("github: exit 1", r.returncode == 1, r.stdout + r.stderr)
    expect("github: the error first", lines and lines[0].startswith("::error file=db/migrations/999_drop.sql"),
           "\n".join(lines[:3]))
    annotations = [l for l in lines if "title=pgwarden%3A more findings" not in l]
    expect("github: default cap 50", len(annotations) == 50, str(len(annotations)))
    expect("github: closing notice counts the rest",
           lines[-1].startswith("::notice title=pgwarden%3A more findings::")
           and "not shown as annotations" in lines[-1], lines[-1] if lines else "")
    r = run(["check", "--format", "github", "--annotations", "3", "db/migrations"], repo)
    lines = [l for l in r.stdout.splitlines() if l.startswith("::")]
    expect("github: --annotations 3", len(lines) == 4, "\n".join(lines))
    r = run(["check", "--format", "github", "--annotations", "-1", "db/migrations"], repo)
    expect("github: negative --annotations is exit 2", r.returncode == 2, r.stderr)
    # From a subfolder: paths still relative to the repository root.
    r = run(["check", "--format", "github", "--annotations", "1", "migrations"], os.path.join(repo, "db"))
    expect("github: root-relative from a subfolder",
           r.stdout.startswith("::error file=db/migrations/999_drop.sql"), r.stdout[:300])

    # --- Markdown -------------------------------------------------------------
    r = run(["check", "--format", "markdown", "--markdown-limit", "4096", "db/migrations"], repo)
    md = r.stdout
    expect("markdown: within the limit", len(md.encode()) < 4096, str(len(md.encode())))
    expect("markdown: the error is kept", "`drop-table`" in md, md)
    expect("markdown: warnings cut, and said", "were omitted" in md and "--markdown-limit" in md, md)
    expect("markdown: relative link to the line", "(db/migrations/999_drop.sql#L2)" in md, md)
    env = {"GITHUB_SERVER_URL": "https://github.com", "GITHUB_REPOSITORY": "o/r", "GITHUB_SHA": "abc123"}
    r = run(["check", "--format", "markdown", "migrations"], os.path.join(repo, "db"), env)
    expect("markdown: blob link from the repository root",
           "(https://github.com/o/r/blob/abc123/db/migrations/999_drop.sql#L2)" in r.stdout, r.stdout[-2000:])
    r = run(["check", "--format", "markdown", "--markdown-limit", str(1 << 20), "db/migrations"], repo)
    expect("markdown: 1 MiB keeps everything", "omitted" not in r.stdout, r.stdout[-500:])

    # --- SARIF ----------------------------------------------------------------
    for cwd, arg in ((repo, "db/migrations"), (os.path.join(repo, "db"), "migrations"),
                     (tmp, "repo/db/migrations")):
        r = run(["check", "--format", "sarif", arg], cwd)
        doc = json.loads(r.stdout)
        run0 = doc["runs"][0]
        uris = {res["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for res in run0["results"]}
        expect(f"sarif from {cwd}: root-relative URIs", "db/migrations/999_drop.sql" in uris, str(sorted(uris)[:3]))
        base = run0["originalUriBaseIds"]["%SRCROOT%"]["uri"]
        expect(f"sarif from {cwd}: %SRCROOT% is the repository", base.endswith("/repo/"), base)
        helps = {d["helpUri"] for d in run0["tool"]["driver"]["rules"]}
        expect("sarif: helpUri versioned", all("/blob/v" in h and "/blob/main/" not in h for h in helps),
               str(helps))

    # --- GitLab ---------------------------------------------------------------
    r = run(["check", "--format", "gitlab", "db/migrations"], repo)
    issues = json.loads(r.stdout)
    drop = [i for i in issues if i["check_name"] == "drop-table"]
    expect("gitlab: content.body holds the help", drop and "rollback" in drop[0]["content"]["body"].lower(),
           json.dumps(drop[:1]))

print(f"{passed} passed, {failures} failed")
sys.exit(1 if failures else 0)
