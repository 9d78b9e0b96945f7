#!/usr/bin/env python3
"""What `pgwarden verify` costs (issue 13 "Measured"), as ratios:

    bench/verify_bench.py PGWARDEN PROJECT [--tool TOOL] [--runs N] [--json OUT]

- cold start (initdb + start, empty cache) and warm start (cached cluster),
  in seconds, as the verify run reports them;
- tracing: `verify --database-url` with only the tracing checks
  (idempotency and rollback off) against plain `psql -f` of the same files
  in the same order, both on one cluster (the one `verify --keep` leaves,
  started again), each run in a new database: wall time, and CPU time (the
  client's plus the server's, from the postmaster's reaped children), which
  a machine shared with other work disturbs far less;
- everything on: idempotency (each migration applied twice) and rollback
  (each down migration tried) too.

The goal is a tracing ratio of at most 3. Medians of --runs (default 3).
PROJECT is read only (for example ../shared/corpus/langfuse).
"""
import argparse
import json
import os
import pathlib
import re
import resource
import shutil
import statistics
import subprocess
import tempfile
import time


def run(cmd, env=None, **kw):
    return subprocess.run(cmd, env=env, capture_output=True, text=True, **kw)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("pgwarden")
    ap.add_argument("project")
    ap.add_argument("--tool", default="auto")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--json", help="also write the figures here (bench/run.py --verify reads them)")
    a = ap.parse_args()
    pgw = os.path.abspath(a.pgwarden)
    project = pathlib.Path(a.project).resolve()
    tmp = tempfile.mkdtemp(prefix="pgwb-", dir="/dev/shm" if os.path.isdir("/dev/shm") else None)
    os.chmod(tmp, 0o755)
    env = dict(os.environ, PGWARDEN_TMPDIR=tmp, PGWARDEN_CACHE_DIR=tmp + "/cache", NO_COLOR="1")
    empty = tempfile.mkdtemp(dir=tmp)
    try:
        # Start-up: a cold start fills the cache, the next ones are warm.
        starts = {"cold": [], "warm": []}
        for i in range(a.runs):
            shutil.rmtree(tmp + "/cache", ignore_errors=True)
            for kind in ("cold", "warm"):
                out = json.loads(run([pgw, "verify", "--format", "json", empty], env).stdout)
                m = re.search(r"(cold|warm) start ([0-9.]+) s", out["verify"]["server"])
                starts[m.group(1)].append(float(m.group(2)))

        # The files in the order verify applies them (its own plan), for psql.
        traced = ["verify", "--tool", a.tool, "--format", "json", "--disable", "verify-not-idempotent",
                  "--disable", "verify-rollback-incomplete", str(project)]
        first = json.loads(run([pgw, *traced], env).stdout)
        order = [m["path"] for m in first["verify"]["migrations"]]
        applied = sum(1 for m in first["verify"]["migrations"] if m["outcome"] == "applied")
        statements = sum(len(m["statements"]) for m in first["verify"]["migrations"])
        failed = [f["path"] for f in first["findings"] if f["rule"] == "verify-apply-failed"]

        # One cluster for both: the one `verify --keep` leaves, started again.
        kept = run([pgw, "verify", "--keep", empty], env).stderr
        m = re.search(r"cluster kept \(stopped\) in (\S+): start it with `([^`]+)`", kept)
        folder, start = m.group(1), m.group(2)
        run(start, shell=True, check=True)
        time.sleep(0.3)
        postmaster = int(open(folder + "/data/postmaster.pid").readline())
        psql = ["psql", "-X", "-q", "-h", folder, "-U", "postgres"]
        script = pathlib.Path(tmp) / "all.psql"
        script.write_text("".join(f"\\i {p}\n" for p in order))
        tick = os.sysconf("SC_CLK_TCK")

        def cpu():
            fields = open(f"/proc/{postmaster}/stat").read().rsplit(")", 1)[1].split()
            server = sum(int(x) for x in fields[11:15]) / tick  # utime stime cutime cstime
            me = resource.getrusage(resource.RUSAGE_CHILDREN)
            return server + me.ru_utime + me.ru_stime

        databases = iter(range(1000))

        def measure(cmd):
            walls, cpus = [], []
            for _ in range(a.runs):
                db = f"b{next(databases)}"
                run(psql + ["-d", "postgres", "-c", f"CREATE DATABASE {db} TEMPLATE template0"], check=True)
                time.sleep(0.2)  # the CREATE DATABASE backend is reaped
                c0, t0 = cpu(), time.time()
                run([x.replace("DB", db) for x in cmd], env, cwd=str(project.parent))
                walls.append(time.time() - t0)
                time.sleep(0.2)
                cpus.append(cpu() - c0)
            return statistics.median(walls), statistics.median(cpus)

        url = f"host={folder} user=postgres dbname=DB"
        plain_wall, plain_cpu = measure(psql + ["-d", "DB", "-v", "ON_ERROR_STOP=0", "-f", str(script)])
        trace_wall, trace_cpu = measure([pgw, *traced[:-1], "--database-url", url, str(project)])
        full_wall, full_cpu = measure([pgw, "verify", "--tool", a.tool, "--format", "json", "--database-url", url,
                                       str(project)])
        os.kill(postmaster, 3)
        time.sleep(0.5)
        shutil.rmtree(folder, ignore_errors=True)
        print(f"project {project.name} (--tool {a.tool}): {len(order)} migrations, {applied} applied, "
              f"{statements} statements traced" + (f"; failing: {failed[:3]}" if failed else ""))
        print(f"cold start (initdb + start): {statistics.median(starts['cold']):.2f} s; "
              f"warm start (cached cluster): {statistics.median(starts['warm']):.2f} s")
        print(f"plain psql -f of the same files: {plain_wall:.2f} s wall, {plain_cpu:.2f} s CPU")
        print(f"verify, tracing only: {trace_wall:.2f} s wall = {trace_wall / plain_wall:.2f}x plain, "
              f"{trace_cpu:.2f} s CPU = {trace_cpu / plain_cpu:.2f}x plain (goal: at most 3x)")
        print(f"verify, every check (idempotency, rollback): {full_wall:.2f} s wall = "
              f"{full_wall / plain_wall:.2f}x, {full_cpu:.2f} s CPU = {full_cpu / plain_cpu:.2f}x plain")
        if a.json:
            figures = {
                "project": project.name, "migrations": len(order), "applied": applied,
                "statements": statements, "cold_start": statistics.median(starts["cold"]),
                "warm_start": statistics.median(starts["warm"]),
                "psql": {"wall": plain_wall, "cpu": plain_cpu},
                "tracing": {"wall": trace_wall, "cpu": trace_cpu},
                "every_check": {"wall": full_wall, "cpu": full_cpu},
                "ratios": {"tracing / psql, wall": trace_wall / plain_wall,
                           "tracing / psql, cpu": trace_cpu / plain_cpu,
                           "every check / psql, wall": full_wall / plain_wall,
                           "every check / psql, cpu": full_cpu / plain_cpu}}
            with open(a.json, "w") as out:
                json.dump(figures, out, indent=1)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
