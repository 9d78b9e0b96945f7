#!/usr/bin/env python3
"""The GitHub Action (action.yml, scripts/action/*.sh) run the way GitHub runs
a composite action's steps: each step's `run:` and `env:` read from action.yml,
its ${{ }} expressions filled from the inputs, the github context and earlier
steps' outputs, run by `bash --noprofile --norc -eo pipefail` in the workspace
with GITHUB_OUTPUT, GITHUB_ENV and GITHUB_STEP_SUMMARY files, GITHUB_ENV
carried to later steps. The workspace is a shallow clone (depth 1, as
actions/checkout makes it) of a pull request's merge ref in a temporary
repository; the "release" is a file:// folder made with scripts/package.
`uses:` steps (actions/cache, upload-sarif) are GitHub's own and not run.

    action_test.py SOURCE_DIR BUILD_DIR
"""
import hashlib
import os
import re
import shutil
import subprocess
import sys
import tempfile

import yaml

ROOT, BUILD = (os.path.abspath(p) for p in sys.argv[1:3])
failures = []


def check(cond, what, detail=""):
    if not cond:
        failures.append(what)
        print(f"FAIL {what}" + (f"\n{detail}" if detail else ""))


def git(cwd, *args, env=None):
    e = dict(os.environ, GIT_AUTHOR_NAME="t", GIT_AUTHOR_EMAIL="t@example.com",
             GIT_COMMITTER_NAME="t", GIT_COMMITTER_EMAIL="t@example.com", **(env or {}))
    return subprocess.run(["git", *args], cwd=cwd, env=e, check=True, capture_output=True,
                          text=True).stdout.strip()


with open(os.path.join(ROOT, "action.yml")) as f:
    ACTION = yaml.safe_load(f)
STEPS = {s["id"] if "id" in s else s["name"]: s for s in ACTION["runs"]["steps"]}


def read_commands(path):
    """GITHUB_OUTPUT / GITHUB_ENV: NAME=VALUE lines or NAME<<DELIM heredocs."""
    out = {}
    if not os.path.exists(path):
        return out
    lines = open(path).read().split("\n")
    i = 0
    while i < len(lines):
        line = lines[i]
        if "<<" in line and ("=" not in line or line.index("<<") < line.index("=")):
            name, delim = line.split("<<", 1)
            j = lines.index(delim, i + 1)
            out[name] = "\n".join(lines[i + 1:j])
            i = j + 1
            continue
        if "=" in line:
            name, value = line.split("=", 1)
            out[name] = value
        i += 1
    return out


class Job:
    """One job: the github context, the inputs, and what steps leave behind."""

    def __init__(self, tmp, workspace, inputs, github):
        self.tmp, self.workspace = tmp, workspace
        self.inputs = {k: str(v.get("default", "")) for k, v in ACTION["inputs"].items()}
        for k in inputs:
            check(k in self.inputs, f"test uses input '{k}', which action.yml lacks")
        self.inputs.update(inputs)
        self.github = github
        self.outputs = {}
        self.env = {}
        self.summary = ""
        self.runner_temp = os.path.join(tmp, "runner-temp")
        os.makedirs(self.runner_temp, exist_ok=True)

    def lookup(self, expr):
        parts = expr.strip().split(".")
        if parts[0] == "inputs":
            return self.inputs.get(parts[1], "")
        if parts[0] == "steps" and parts[2] == "outputs":
            return self.outputs.get(parts[1], {}).get(parts[3], "")
        if parts[0] == "github":
            value = self.github
            for p in parts[1:]:
                value = value.get(p, "") if isinstance(value, dict) else ""
            return value if isinstance(value, str) else ""
        raise ValueError(f"expression not handled by the test: {expr}")

    def fill(self, text):
        return re.sub(r"\$\{\{(.*?)\}\}", lambda m: self.lookup(m.group(1)), str(text))

    def run(self, step_id):
        step = STEPS[step_id]
        files = {k: os.path.join(self.tmp, f"{step_id}.{k}") for k in ("output", "env", "summary")}
        for p in files.values():
            open(p, "w").close()
        env = {"PATH": os.environ["PATH"], "HOME": self.tmp, "CI": "true",
               "GITHUB_ACTIONS": "true", "GITHUB_ACTION_PATH": ROOT,
               "GITHUB_WORKSPACE": self.workspace, "RUNNER_TEMP": self.runner_temp,
               "RUNNER_OS": "Linux", "RUNNER_ARCH": "X64",
               "GITHUB_EVENT_NAME": self.github.get("event_name", ""),
               "GITHUB_REPOSITORY": self.github.get("repository", ""),
               "GITHUB_SERVER_URL": "https://github.com",
               "GITHUB_OUTPUT": files["output"], "GITHUB_ENV": files["env"],
               "GITHUB_STEP_SUMMARY": files["summary"], **self.env}
        for k, v in (step.get("env") or {}).items():
            env[k] = self.fill(v)
        script = os.path.join(self.tmp, f"{step_id}.sh")
        with open(script, "w") as f:
            f.write(self.fill(step["run"]))
        check(step.get("shell") == "bash", f"step {step_id}: shell is not bash")
        p = subprocess.run(["bash", "--noprofile", "--norc", "-eo", "pipefail", script],
                           cwd=self.workspace, env=env, capture_output=True, text=True)
        self.outputs[step_id] = read_commands(files["output"])
        self.env.update(read_commands(files["env"]))
        self.summary += open(files["summary"]).read()
        return p.returncode, p.stdout + p.stderr


def errors(log):
    return [l for l in log.splitlines() if l.startswith("::error::")]


tmp = tempfile.mkdtemp(prefix="pgw-action-")
try:
    # --- the release: scripts/package's tarball and SHA256SUMS under vVERSION/
    tarball = subprocess.run([os.path.join(ROOT, "scripts/package"), BUILD, tmp + "/dist"],
                             check=True, capture_output=True, text=True).stdout.strip()
    version = re.match(r"pgwarden-(.+)-linux-x86_64\.tar\.gz", os.path.basename(tarball)).group(1)
    releases = os.path.join(tmp, "releases")
    rel = os.path.join(releases, "v" + version)
    os.makedirs(rel)
    shutil.copy(tarball, rel)
    digest = hashlib.sha256(open(tarball, "rb").read()).hexdigest()
    with open(os.path.join(rel, "SHA256SUMS"), "w") as f:
        f.write(f"{digest}  {os.path.basename(tarball)}\n")
    size = os.path.getsize(tarball)
    print(f"release tarball: {size} bytes")

    # --- origin: main with 60 commits after the branch point, a pull request
    # adding a destructive migration, and its merge ref (refs/pull/1/merge)
    origin = os.path.join(tmp, "origin")
    os.makedirs(origin + "/db/migrations")
    git(origin, "init", "-q", "-b", "main")
    shutil.copy(os.path.join(ROOT, "examples/migrations/001_create_users.sql"),
                origin + "/db/migrations/")
    git(origin, "add", ".")
    git(origin, "commit", "-qm", "first")
    git(origin, "checkout", "-qb", "feature")
    with open(origin + "/db/migrations/002_drop_users.sql", "w") as f:
        f.write("-- risk: LOW\nDROP TABLE users;\n")
    git(origin, "add", ".")
    git(origin, "commit", "-qm", "drop users")
    git(origin, "checkout", "-q", "main")
    for i in range(60):
        with open(origin + "/notes.txt", "a") as f:
            f.write(f"{i}\n")
        git(origin, "add", "notes.txt")
        git(origin, "commit", "-qm", f"note {i}")
    git(origin, "checkout", "-q", "--detach", "main")
    git(origin, "merge", "-q", "--no-ff", "-m", "merge", "feature")
    git(origin, "update-ref", "refs/pull/1/merge", "HEAD")
    git(origin, "checkout", "-q", "--orphan", "unrelated")
    git(origin, "commit", "-qm", "unrelated root")
    git(origin, "checkout", "-q", "main")

    def checkout(name):
        """actions/checkout@v4 of a pull request: depth 1, the merge ref's commit."""
        ws = os.path.join(tmp, name)
        os.makedirs(ws)
        git(ws, "init", "-q")
        git(ws, "remote", "add", "origin", "file://" + origin)
        git(ws, "fetch", "-q", "--no-tags", "--depth=1", "origin",
            "+refs/pull/1/merge:refs/remotes/pull/1/merge")
        git(ws, "checkout", "-q", "--detach", "refs/remotes/pull/1/merge")
        return ws

    pr = {"event_name": "pull_request", "repository": "acme/app", "base_ref": "main",
          "action_ref": "", "action_repository": "",
          "event": {"pull_request": {"head": {"repo": {"full_name": "acme/app"}}}}}
    release_inputs = {"version": version, "release-url": "file://" + releases,
                      "paths": "db/migrations", "verify": "true"}

    # --- a pull request: install the release, lint, verify, decide the upload
    ws = checkout("ws")
    check(git(ws, "rev-list", "--count", "HEAD") == "1", "the checkout is not shallow")
    job = Job(tmp + "/job1", ws, release_inputs, pr)
    rc, log = job.run("resolve")
    check(rc == 0, "resolve", log)
    check(job.outputs["resolve"].get("key") == f"pgwarden-{version}-Linux-X64",
          "cache key is the version", str(job.outputs["resolve"]))
    rc, log = job.run("install")
    check(rc == 0 and "checksum verified" in log, "install downloads and verifies", log)
    pgw = job.env.get("PGWARDEN", "")
    check(pgw == os.path.join(job.runner_temp, f"pgwarden-{version}", "bin", "pgwarden"),
          "GITHUB_ENV PGWARDEN", pgw)
    check(job.outputs["install"].get("path") == pgw, "install output path")
    rc, log = job.run("lint")
    check(rc == 1, f"lint exit {rc}, expected 1 (a DROP TABLE)", log)
    check("merge base with origin/main" in log, "lint deepened to the merge base", log)
    print("\n".join(l for l in log.splitlines() if "merge base" in l or l.startswith("::error")))
    check(git(ws, "merge-base", "HEAD", "origin/main") != "", "merge base present")
    check("::error file=db/migrations/002_drop_users.sql" in log, "annotation", log)
    check("002_drop_users.sql" in job.summary and "001_create_users" not in job.summary,
          "summary has only the pull request's migration", job.summary)
    sarif = job.outputs["lint"].get("sarif", "")
    check(os.path.exists(sarif) and '"version": "2.1.0"' in open(sarif).read(), "SARIF file")
    check(job.outputs["lint"].get("base") == "origin/main", "lint output base")
    before = len(job.summary)
    rc, log = job.run("Verify migrations on PostgreSQL")
    check(rc in (0, 1), f"verify exit {rc}", log)
    check("Verified on a real server" in job.summary[before:] and
          "002_drop_users.sql" in job.summary[before:], "verify report in the summary",
          job.summary[before:])
    rc, log = job.run("sarif")
    check(rc == 0 and job.outputs["sarif"].get("upload") == "true", "same-repo PR uploads", log)

    # --- the cache: the folder is there, nothing is downloaded
    os.rename(releases, releases + ".gone")
    job.env = {}
    rc, log = job.run("install")
    check(rc == 0 and "from the cache" in log, "install from the cache", log)
    os.rename(releases + ".gone", releases)

    # --- a tampered download: one line, nothing installed
    bad = os.path.join(tmp, "bad", "v" + version)
    shutil.copytree(rel, bad)
    with open(os.path.join(bad, os.path.basename(tarball)), "ab") as f:
        f.write(b"x")
    job2 = Job(tmp + "/job2", ws, dict(release_inputs, **{"release-url": "file://" + tmp + "/bad"}), pr)
    job2.run("resolve")
    rc, log = job2.run("install")
    check(rc == 1 and len(errors(log)) == 1 and "checksum mismatch" in log, "tampered tarball", log)
    check(not os.path.exists(job2.outputs["resolve"]["dir"]), "tampered tarball not unpacked")

    # --- no version and not a release tag: one line
    job3 = Job(tmp + "/job3", ws, {}, dict(pr, action_ref="main", action_repository="x/pgwarden"))
    rc, log = job3.run("resolve")
    check(rc == 1 and len(errors(log)) == 1 and "version" in log, "resolve without version", log)
    # ... a release tag as the action's ref names the version and the repository
    job3b = Job(tmp + "/job3b", ws, {}, dict(pr, action_ref="v9.8.7", action_repository="x/pgwarden"))
    rc, log = job3b.run("resolve")
    check(rc == 0 and job3b.outputs["resolve"].get("url") ==
          "https://github.com/x/pgwarden/releases/download" and
          job3b.outputs["resolve"].get("version") == "9.8.7", "version from the action's tag",
          str(job3b.outputs["resolve"]))

    # --- a fork's pull request: SARIF skipped with a notice, not a failure
    fork = dict(pr, event={"pull_request": {"head": {"repo": {"full_name": "mallory/app"}}}})
    job4 = Job(tmp + "/job4", ws, {}, fork)
    job4.outputs["lint"] = {"sarif": sarif}
    rc, log = job4.run("sarif")
    check(rc == 0 and job4.outputs["sarif"].get("upload") == "false" and
          "::notice::" in log and "fork" in log, "fork PR skips the upload", log)

    # --- a base with no common history: one line, exit 1
    ws5 = checkout("ws5")
    job5 = Job(tmp + "/job5", ws5, release_inputs, dict(pr, base_ref="unrelated"))
    job5.run("resolve")
    job5.run("install")
    rc, log = job5.run("lint")
    check(rc == 1 and len(errors(log)) == 1 and "unrelated" in log, "unrelated base", log)
    print(log.strip())

    # --- a push of the branch, compared with origin/main: the merge base is 61
    # commits down main's side, found by deepening 32 and then 64 more
    ws6 = os.path.join(tmp, "ws6")
    os.makedirs(ws6)
    git(ws6, "init", "-q")
    git(ws6, "remote", "add", "origin", "file://" + origin)
    git(ws6, "fetch", "-q", "--no-tags", "--depth=1", "origin", "+refs/heads/feature:refs/remotes/origin/feature")
    git(ws6, "checkout", "-q", "--detach", "refs/remotes/origin/feature")
    push = dict(pr, event_name="push", base_ref="", event={})
    job6 = Job(tmp + "/job6", ws6, dict(release_inputs, **{"diff-base": "origin/main"}), push)
    job6.run("resolve")
    job6.run("install")
    rc, log = job6.run("lint")
    check(rc == 1 and "(fetched 96 more commits)" in log and "002_drop_users.sql" in log,
          "push: deepened twice to the merge base", log)
    check(git(ws6, "merge-base", "HEAD", "origin/main") == git(origin, "rev-list", "--max-parents=0", "main"),
          "push: the merge base is the branch point")

    # --- the workflows that use the action pass only inputs it has
    for wf in [".github/workflows/ci.yml", ".github/workflows/example.yml",
               "examples/github-workflow.yml"]:
        doc = yaml.safe_load(open(os.path.join(ROOT, wf)))
        for jobdef in doc["jobs"].values():
            for st in jobdef.get("steps", []):
                uses = st.get("uses", "")
                if uses == "./" or uses.startswith("pgwarden/pgwarden@"):
                    for k in st.get("with", {}):
                        check(k in ACTION["inputs"], f"{wf}: input '{k}' not in action.yml")
finally:
    shutil.rmtree(tmp, ignore_errors=True)

print(f"action_test: {len(failures)} failed")
sys.exit(1 if failures else 0)
