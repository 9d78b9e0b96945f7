#!/usr/bin/env python3
"""The private cluster of `pgwarden verify` leaves nothing behind (SPEC §9):

    verify_hygiene_test.py PGWARDEN SOURCE_DIR CACHE_DIR

No folder and no process after a success, a failure, a start-up error,
SIGINT and SIGTERM in the middle of a run; two runs at once, and two runs
racing to fill an empty cache; --keep leaves the folder stopped; root runs
the cluster as postgres (or as nobody), a normal user as itself; no libpq is
one clear line and exit 2, and the binary does not link it. Also the base of
--diff-base applied untraced, with --seed rows loaded after it.
"""
import json
import os
import pathlib
import pwd
import shutil
import signal
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, str(pathlib.Path(__file__).parent))
from verify_support import Env, check, finish, verify_json  # noqa: E402

PGW, ROOT, CACHE = sys.argv[1:4]
FIX = pathlib.Path(ROOT) / "fixtures" / "verify"
env = Env(PGW, CACHE)
ROOT_USER = os.geteuid() == 0


def clean(what):
    check(env.leftovers() == ([], []), f"{what}: nothing left behind, found {env.leftovers()}")


def rules_of(result):
    return {(f["path"].split("/")[-1], f["line"], f["rule"]) for f in verify_json(result)["findings"]}


def outcomes():
    r = env.run(["verify", "verify-locks/good"], cwd=FIX)
    check(r.returncode == 0, f"success exits 0: {r.returncode} {r.stderr}")
    clean("after a success")
    r = env.run(["verify", "verify-apply-failed/bad"], cwd=FIX)
    check(r.returncode == 1, f"a failing migration exits 1: {r.returncode} {r.stderr}")
    clean("after a failing migration")
    r = env.run(["verify", "--pg-bindir", "/nonexistent", "verify-locks/good"], cwd=FIX)
    check(r.returncode == 2 and "--pg-bindir /nonexistent" in r.stderr and r.stderr.count("\n") == 1,
          f"a bad --pg-bindir is one line and exit 2: {r.returncode} {r.stderr!r}")
    clean("after a start-up error")


def wait_ready(timeout=60):
    """The postmaster pid of the cluster this test's run started, once ready."""
    end = time.time() + timeout
    while time.time() < end:
        for d in pathlib.Path(env.tmp).glob("pgw-*/data/postmaster.pid"):
            lines = d.read_text().splitlines()
            if len(lines) >= 8 and lines[7].startswith("ready"):
                return int(lines[0])
        time.sleep(0.01)
    return None


def signals():
    slow = pathlib.Path(env.tmp) / "slow"
    slow.mkdir()
    (slow / "001_slow.sql").write_text("CREATE TABLE t (id int);\nSELECT pg_sleep(60);\n")
    for sig in (signal.SIGINT, signal.SIGTERM):
        p = env.popen(["verify", str(slow)])
        postmaster = wait_ready()
        check(postmaster is not None, f"{sig.name}: the cluster started")
        time.sleep(0.7)  # the migration is sleeping in the server now
        p.send_signal(sig)
        try:
            p.wait(timeout=30)
        except subprocess.TimeoutExpired:
            p.kill()
            check(False, f"{sig.name}: verify exits")
        check(p.returncode == -sig, f"{sig.name}: dies of the signal (status {p.returncode})")
        alive = postmaster is not None and os.path.exists(f"/proc/{postmaster}") and \
            open(f"/proc/{postmaster}/stat").read().rsplit(")", 1)[1].split()[0] != "Z"
        check(not alive, f"{sig.name}: the postmaster is gone")
        clean(f"after {sig.name}")


def concurrent():
    started = time.time()
    a = env.popen(["verify", "--format", "json", "--fail-on", "warning", "verify-rewrite/bad"], cwd=FIX)
    b = env.popen(["verify", "--format", "json", "verify-scan/bad"], cwd=FIX)
    out_a, err_a = a.communicate(timeout=120)
    out_b, err_b = b.communicate(timeout=120)
    check(a.returncode == 1 and b.returncode == 0, f"two runs at once: {a.returncode} {err_a} {b.returncode} {err_b}")
    check(any(f["rule"] == "verify-rewrite" for f in json.loads(out_a)["findings"]), "first run found its rewrite")
    check(any(f["rule"] == "verify-scan" for f in json.loads(out_b)["findings"]), "second run found its scan")
    print(f"two runs at once: {time.time() - started:.2f} s")
    clean("after two runs at once")
    # An empty cache, filled by two runs at once: one entry, no half-written copy.
    fresh = tempfile.mkdtemp(dir=env.tmp, prefix="cache-")
    runs = [env.popen(["verify", "verify-locks/good"], cwd=FIX, PGWARDEN_CACHE_DIR=fresh) for _ in range(2)]
    for p in runs:
        out, err = p.communicate(timeout=120)
        check(p.returncode == 0, f"cold race: {p.returncode} {err}")
        check("cold start" in out or "warm start" in out, f"cold race reports its start: {out[-300:]}")
    entries = sorted(os.listdir(fresh))
    check(len(entries) == 1 and entries[0].startswith("pg"), f"one cache entry, nothing half-written: {entries}")
    r = env.run(["verify", "verify-locks/good"], cwd=FIX, PGWARDEN_CACHE_DIR=fresh)
    check("warm start" in r.stdout, "the next run starts warm from it")
    clean("after the cold race")


def keep():
    r = env.run(["verify", "--keep", "verify-locks/good"], cwd=FIX)
    folders, procs = env.leftovers()
    check(r.returncode == 0 and len(folders) == 1 and not procs,
          f"--keep leaves one stopped folder: {folders} {procs} {r.stderr}")
    check(f"cluster kept (stopped) in {env.tmp}/" in r.stderr and "pg_ctl" in r.stderr,
          f"--keep says where and how to start it: {r.stderr}")
    for f in folders:
        check(os.path.exists(f"{env.tmp}/{f}/data/PG_VERSION"), "the kept folder holds the cluster")
        shutil.rmtree(f"{env.tmp}/{f}")


def users():
    case = str(FIX / "verify-rewrite" / "bad")
    if ROOT_USER:
        r = env.run(["verify", "--fail-on", "warning", case], PGWARDEN_CLUSTER_USER="nobody")
        check(r.returncode == 1 and "verify-rewrite" in r.stdout, f"root, cluster as nobody: {r.stderr}")
        clean("after a cluster run as nobody")
        r = env.run(["verify", case], PGWARDEN_CLUSTER_USER="root")
        check(r.returncode == 2 and "refuses to run as root" in r.stderr, f"no unprivileged user: {r.stderr}")
        clean("after refusing root")
        # pgwarden itself run by an unprivileged user: the cluster is its own.
        home = pathlib.Path(env.tmp) / "nobody"
        home.mkdir()
        os.chown(home, pwd.getpwnam("nobody").pw_uid, pwd.getpwnam("nobody").pw_gid)
        script = (f"PGWARDEN_TMPDIR={home} PGWARDEN_CACHE_DIR={home}/cache HOME={home} NO_COLOR=1 "
                  f"{PGW} verify --format json --fail-on warning {case}")
        r = subprocess.run(["su", "nobody", "-s", "/bin/sh", "-c", script], capture_output=True, text=True,
                           timeout=300)
        check(r.returncode == 1 and any(f["rule"] == "verify-rewrite" for f in verify_json(r)["findings"]),
              f"run by nobody: {r.returncode} {r.stderr}")
        check(not list(home.glob("pgw-*")), "run by nobody: nothing left behind")
    else:
        r = env.run(["verify", "--fail-on", "warning", case])
        check(r.returncode == 1 and "verify-rewrite" in r.stdout, f"a normal user's own cluster: {r.stderr}")
        clean("after a normal user's run")


def libpq():
    r = env.run(["verify", "verify-locks/good"], cwd=FIX, PGWARDEN_LIBPQ="/nonexistent/libpq.so.5")
    check(r.returncode == 2 and "libpq" in r.stderr and r.stderr.count("\n") == 1,
          f"no libpq: exit 2 and one line: {r.returncode} {r.stderr!r}")
    r = subprocess.run(["readelf", "-d", PGW], capture_output=True, text=True)
    needed = [line for line in r.stdout.splitlines() if "NEEDED" in line]
    check(needed and not any("libpq" in line for line in needed), f"the binary does not link libpq: {needed}")
    r = env.run(["check", str(FIX / "verify-locks" / "good")], PGWARDEN_LIBPQ="/nonexistent/libpq.so.5")
    check(r.returncode in (0, 1), f"check runs without libpq: {r.returncode} {r.stderr}")


def diff_base_and_seed():
    repo = pathlib.Path(env.tmp) / "repo"
    (repo / "db").mkdir(parents=True)
    git = lambda *a: subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@t", *a], cwd=repo,
                                    check=True, capture_output=True)
    git("init", "-q", "-b", "main")
    (repo / "db" / "001_create.sql").write_text("CREATE TABLE t (id int PRIMARY KEY, note text);\n")
    git("add", ".")
    git("commit", "-qm", "base")
    (repo / "db" / "002_not_null.sql").write_text("ALTER TABLE t ALTER COLUMN note SET NOT NULL;\n")
    (repo / "seed.psql").write_text("INSERT INTO t VALUES (1, 'kept'), (2, NULL);\n")
    r = env.run(["verify", "--format", "json", "--diff-base", "main", "db"], cwd=repo)
    data = verify_json(r)
    traced = {m["path"]: m["traced"] for m in data.get("verify", {}).get("migrations", [])}
    check(traced == {"db/001_create.sql": False, "db/002_not_null.sql": True},
          f"--diff-base: the base applied untraced, the new migration traced: {traced} {r.stderr}")
    found = rules_of(r)
    check(("002_not_null.sql", 1, "verify-scan") in found and not any(p == "001_create.sql" for p, _, _ in found),
          f"--diff-base: findings for the new migration only: {found}")
    r = env.run(["verify", "--format", "json", "--diff-base", "main", "--seed", "seed.psql", "db"], cwd=repo)
    failed = [f for f in verify_json(r)["findings"] if f["rule"] == "verify-apply-failed"]
    check(len(failed) == 1 and failed[0]["path"] == "db/002_not_null.sql" and "null values" in failed[0]["message"],
          f"--seed rows are loaded after the base and before the new migration: {failed} {r.stderr}")
    clean("after --diff-base")


try:
    for part in (outcomes, signals, concurrent, keep, users, libpq, diff_base_and_seed):
        started = time.time()
        part()
        print(f"{part.__name__}: {time.time() - started:.2f} s")
finally:
    env.cleanup()
sys.exit(finish("verify_hygiene_test"))
