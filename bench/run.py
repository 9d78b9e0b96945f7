#!/usr/bin/env python3
"""pgwarden performance benchmark over the migration corpus (pg_regress excluded).

Usage: bench/run.py --pgwarden BIN --raw BIN [--corpus DIR] [--squawk BIN]
                    [--before BIN] [--runs N] [--scale-runs N] [--scales 1,4,16] [--json OUT]
                    [--verify PROJECT [--verify-runs N]]

--raw is bench/raw_parse.cpp (target pgwarden_raw_parse): libpg_query's own
parse of each whole file and nothing else, the floor pgwarden is compared to.
It also runs with --tree for the parse's layers: the grammar alone (no tree
output), the JSON read into a simdjson DOM (what pgwarden reads), protobuf.
The corpus is read-only: it is copied (16 times, for the scaling runs) into a
temporary folder that is removed at the end. Commands that are compared are
run in alternation, several times, and medians are reported; what matters are
the ratios, since this machine is shared and noisy. Peak RSS is the child's
ru_maxrss. Prints a table; --json also writes every median for later tables.
--before BIN: an older pgwarden, run in alternation with the new one on the
single-file-set, the --jobs 1 and the pre-commit runs, for a before/after table.
squawk is compared analysis with analysis: both write JSON (`squawk --reporter
json`, `check --format json`); squawk's terminal reporter costs it several times
its analysis, so the text/tty pair is reported beside it, not as the goal.
The longest set (the project whose `--jobs 1` check takes longest) is also
checked alone with --jobs 1 and with all cores: one set, whose replay other
threads can only help with (parsing ahead, down files' work).
--verify PROJECT: also runs bench/verify_bench.py on that project (warm start,
ratio to plain `psql -f`) and keeps its figures under "verify".
"""
import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT_SQUAWK = "/tmp/squawk/node_modules/@squawk-cli/linux-x64/bin/squawk"


def discover(root):
    """The files `pgwarden check ROOT` lints: *.sql regular files, hidden folders skipped."""
    out = []
    for d, dirs, files in os.walk(root, followlinks=True):
        dirs[:] = sorted(x for x in dirs if not x.startswith("."))
        for f in sorted(files):
            p = os.path.join(d, f)
            if f.lower().endswith(".sql") and os.path.isfile(p):
                out.append(p)
    return sorted(out)


def make_copies(corpus, dest, count):
    """dest/c0 .. dest/c{count-1}, each a copy of every corpus project but pg_regress."""
    projects = sorted(p for p in os.listdir(corpus)
                      if p != "pg_regress" and os.path.isdir(os.path.join(corpus, p)))
    for i in range(count):
        for p in projects:
            shutil.copytree(os.path.join(corpus, p), os.path.join(dest, f"c{i}", p),
                            symlinks=True, copy_function=shutil.copyfile)
    return [os.path.join(dest, f"c{i}") for i in range(count)]


class Sample:
    def __init__(self):
        self.wall, self.cpu, self.rss = [], [], []

    def median(self):
        return statistics.median(self.wall)

    def cpu_median(self):
        return statistics.median(self.cpu)

    def rss_max_kb(self):
        return max(self.rss)


def run_once(cmd, stdin_path=None, ok_codes=(0, 1)):
    """Wall seconds, CPU seconds, peak RSS in KB. The RSS comes from /usr/bin/time:
    ru_maxrss of a child forked from Python includes Python's own pages."""
    with tempfile.NamedTemporaryFile("r", prefix="pgwarden-bench-rss-") as rss_file:
        stdin = open(stdin_path, "rb") if stdin_path else subprocess.DEVNULL
        t0 = time.perf_counter()
        p = subprocess.Popen(["/usr/bin/time", "-f", "%M", "-o", rss_file.name] + cmd,
                             stdin=stdin, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        err = p.stderr.read()
        _, status, ru = os.wait4(p.pid, 0)
        wall = time.perf_counter() - t0
        p.returncode = os.waitstatus_to_exitcode(status)
        p.stderr.close()
        if stdin_path:
            stdin.close()
        if p.returncode not in ok_codes:
            sys.exit(f"bench: {' '.join(cmd[:4])} ... exited {p.returncode}: {err.decode()[-500:]}")
        rss = int(rss_file.read().split()[-1])
    return wall, ru.ru_utime + ru.ru_stime, rss


def measure(commands, runs, warmup=True):
    """commands: name -> (argv, stdin path or None, ok exit codes). Alternating runs."""
    samples = {name: Sample() for name in commands}
    if warmup:
        for argv, stdin, ok in commands.values():
            run_once(argv, stdin, ok)
    for _ in range(runs):
        for name, (argv, stdin, ok) in commands.items():
            wall, cpu, rss = run_once(argv, stdin, ok)
            s = samples[name]
            s.wall.append(wall)
            s.cpu.append(cpu)
            s.rss.append(rss)
    return samples


def print_samples(samples, width):
    """One line per command: wall and CPU medians, peak RSS."""
    for name, smp in samples.items():
        print(f"{name:{width}} {smp.median() * 1e3:7.1f} ms wall {smp.cpu_median() * 1e3:6.1f} ms cpu"
              f"  peak RSS {smp.rss_max_kb() / 1024:5.1f} MB")


def check_cmd(pgw, paths, jobs=None, fmt="json"):
    cmd = [pgw, "check", "--fail-on", "never", "--format", fmt, "--output", "/dev/null"]
    if jobs:
        cmd += ["--jobs", str(jobs)]
    return cmd + paths


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--pgwarden", required=True)
    ap.add_argument("--raw", required=True, help="the pgwarden_raw_parse helper")
    ap.add_argument("--corpus", default=os.path.join(HERE, "../../shared/corpus"))
    ap.add_argument("--squawk", default=DEFAULT_SQUAWK)
    ap.add_argument("--before", help="an older pgwarden binary to compare with")
    ap.add_argument("--runs", type=int, default=7)
    ap.add_argument("--scale-runs", type=int, default=3)
    ap.add_argument("--scales", default="1,4,16")
    ap.add_argument("--precommit-runs", type=int, default=21)
    ap.add_argument("--json", help="also write the results here")
    ap.add_argument("--verify", help="a project to run bench/verify_bench.py on")
    ap.add_argument("--verify-runs", type=int, default=3)
    args = ap.parse_args()
    scales = [int(x) for x in args.scales.split(",")]
    pgw, raw = os.path.abspath(args.pgwarden), os.path.abspath(args.raw)
    squawk = args.squawk if args.squawk and os.access(args.squawk, os.X_OK) else None
    results = {"cores": os.cpu_count()}

    with tempfile.TemporaryDirectory(prefix="pgwarden-bench-") as tmp:
        copies = make_copies(os.path.abspath(args.corpus), tmp, max(scales))
        files = discover(copies[0])
        size = sum(os.path.getsize(f) for f in files)
        lists = {}
        for k in scales:
            lists[k] = os.path.join(tmp, f"files{k}.txt")
            with open(lists[k], "w") as out:
                for c in copies[:k]:
                    out.write("".join(p + "\n" for p in discover(c)))
        results.update(files=len(files), bytes=size)
        print(f"corpus: {len(files)} files, {size / 1e6:.2f} MB (pg_regress excluded), "
              f"{os.cpu_count()} cores; medians of {args.runs} alternating runs\n")

        # 1x: pgwarden against the raw parse, formats, threads, squawk.
        cmds = {
            "raw parse": ([raw, "-"], lists[1], (0,)),
            # The parse's layers (raw_parse.cpp --tree): what the grammar alone
            # costs, what reading its JSON into a DOM adds, and libpg_query's
            # other output format.
            "parse: grammar only": ([raw, "--tree=grammar", "-"], lists[1], (0,)),
            "parse: json + DOM": ([raw, "--tree=json+dom", "-"], lists[1], (0,)),
            "parse: protobuf": ([raw, "--tree=protobuf", "-"], lists[1], (0,)),
            "check --jobs 1 (text)": (check_cmd(pgw, [copies[0]], 1, "text"), None, (0,)),
            "check --jobs 1 (json)": (check_cmd(pgw, [copies[0]], 1, "json"), None, (0,)),
            "check --jobs 2 (json)": (check_cmd(pgw, [copies[0]], 2, "json"), None, (0,)),
            "check all cores (text)": (check_cmd(pgw, [copies[0]], None, "text"), None, (0,)),
            "check all cores (json)": (check_cmd(pgw, [copies[0]], None, "json"), None, (0,)),
        }
        if squawk:
            cmds["squawk (json)"] = ([squawk, "--reporter", "json"] + files, None, (0, 1, 2))
            cmds["squawk (tty)"] = ([squawk] + files, None, (0, 1, 2))
        before = os.path.abspath(args.before) if args.before else None
        if before:
            for fmt in ("text", "json"):
                cmds[f"before: --jobs 1 ({fmt})"] = (check_cmd(before, [copies[0]], 1, fmt), None,
                                                     (0,))
        s = measure(cmds, args.runs)
        base, base_cpu = s["raw parse"].median(), s["raw parse"].cpu_median()
        print(f"{'command':24} {'wall ms':>8} {'cpu ms':>7} {'x raw':>6} {'cpu x raw':>9} "
              f"{'files/s':>8} {'MB/s':>5} {'peak RSS MB':>11}")
        for name, smp in s.items():
            w, c = smp.median(), smp.cpu_median()
            print(f"{name:24} {w * 1e3:8.0f} {c * 1e3:7.0f} {w / base:6.2f} {c / base_cpu:9.2f} "
                  f"{len(files) / w:8.0f} {size / 1e6 / w:5.1f} {smp.rss_max_kb() / 1024:11.1f}")
            results[name] = {"wall": w, "cpu": c, "rss_kb": smp.rss_max_kb()}

        def ratio(a, b, cpu=False):
            return (s[a].cpu_median() / s[b].cpu_median()) if cpu else s[a].median() / s[b].median()

        ratios = {
            "check --jobs 1 (text) / raw parse, wall": ratio("check --jobs 1 (text)", "raw parse"),
            "check --jobs 1 (text) / raw parse, cpu": ratio("check --jobs 1 (text)", "raw parse", 1),
            "check --jobs 1 (json) / raw parse, wall": ratio("check --jobs 1 (json)", "raw parse"),
            "check --jobs 1 (json) / raw parse, cpu": ratio("check --jobs 1 (json)", "raw parse", 1),
            "check --jobs 2 / --jobs 1 (json), wall": ratio("check --jobs 2 (json)",
                                                            "check --jobs 1 (json)"),
            "parse: grammar only / raw parse, cpu": ratio("parse: grammar only", "raw parse", 1),
            "parse: json + DOM / raw parse, cpu": ratio("parse: json + DOM", "raw parse", 1),
            "parse: protobuf / raw parse, cpu": ratio("parse: protobuf", "raw parse", 1),
            "check --jobs 1 (json) / grammar only, cpu": ratio("check --jobs 1 (json)",
                                                               "parse: grammar only", 1),
        }
        if squawk:
            # The goal (issue 17): analysis against analysis, both writing JSON.
            ratios["check all cores (json) / squawk (json), wall"] = ratio(
                "check all cores (json)", "squawk (json)")
            ratios["check all cores (json) / squawk (json), cpu"] = ratio(
                "check all cores (json)", "squawk (json)", True)
            ratios["check all cores (text) / squawk (tty), wall"] = ratio(
                "check all cores (text)", "squawk (tty)")
        if before:
            for fmt in ("text", "json"):
                for cpu in (False, True):
                    ratios[f"before: --jobs 1 ({fmt}) / raw parse, {'cpu' if cpu else 'wall'}"] = \
                        ratio(f"before: --jobs 1 ({fmt})", "raw parse", cpu)
        print()
        for k, v in ratios.items():
            print(f"{k:44} {v:6.2f}")
        results["ratios"] = ratios

        # The longest set alone (issue 17 item 2): one set is replayed by one
        # thread, so before other threads could help a replay, --jobs 2 took
        # as long as --jobs 1 on it and the set bounded every run with more cores.
        projects = [os.path.join(copies[0], d) for d in sorted(os.listdir(copies[0]))
                    if os.path.isdir(os.path.join(copies[0], d))]
        longest = max(projects, key=lambda p: run_once(check_cmd(pgw, [p], 1, "json"))[0])
        cmds = {"longest set --jobs 1": (check_cmd(pgw, [longest], 1, "json"), None, (0,)),
                "longest set all cores": (check_cmd(pgw, [longest], None, "json"), None, (0,))}
        if before:
            cmds["before: longest set all cores"] = (check_cmd(before, [longest], None, "json"),
                                                     None, (0,))
        s = measure(cmds, args.runs)
        print(f"\nthe longest set alone: {os.path.basename(longest)}, "
              f"{len(discover(longest))} files (json)")
        print_samples(s, 30)
        one = s["longest set --jobs 1"].median()
        longest_ratios = {"longest set all cores / --jobs 1, wall":
                          s["longest set all cores"].median() / one}
        if before:
            longest_ratios["before: longest set all cores / --jobs 1, wall"] = \
                s["before: longest set all cores"].median() / one
        for k, v in longest_ratios.items():
            print(f"{k:48} {v:6.2f}")
        results["longest_set"] = {"project": os.path.basename(longest),
                                  **{n: {"wall": smp.median(), "cpu": smp.cpu_median(),
                                         "rss_kb": smp.rss_max_kb()} for n, smp in s.items()},
                                  "ratios": longest_ratios}

        # Scaling: the same corpus 1, 4 and 16 times.
        print(f"\nscaling (medians of {args.scale_runs} alternating runs, --jobs 1, json)")
        cmds = {}
        for k in scales:
            cmds[f"raw x{k}"] = ([raw, "-"], lists[k], (0,))
            cmds[f"check x{k}"] = (check_cmd(pgw, copies[:k], 1, "json"), None, (0,))
        s = measure(cmds, args.scale_runs, warmup=False)
        w1, r1 = s[f"check x{scales[0]}"].median() / scales[0], s[f"check x{scales[0]}"].rss_max_kb()
        print(f"{'copies':>6} {'files':>7} {'check/raw':>9} {'cpu':>5} {'time/copy vs x1':>15} "
              f"{'peak RSS MB':>11} {'RSS vs x1':>9}")
        results["scaling"] = {}
        for k in scales:
            c, r = s[f"check x{k}"], s[f"raw x{k}"]
            per_copy = c.median() / k / w1
            print(f"{k:6} {k * len(files):7} {c.median() / r.median():9.2f} "
                  f"{c.cpu_median() / r.cpu_median():5.2f} {per_copy:15.2f} "
                  f"{c.rss_max_kb() / 1024:11.1f} {c.rss_max_kb() / r1:9.2f}")
            results["scaling"][k] = {"check_wall": c.median(), "raw_wall": r.median(),
                                     "rss_kb": c.rss_max_kb()}

        # Pre-commit: one small staged-size file, process start included.
        small = min((f for f in files if 300 <= os.path.getsize(f) <= 2000),
                    key=os.path.getsize, default=files[0])
        # And the file a pre-commit hook most often sees: the newest migration
        # of the longest set (the one that takes longest to check, above),
        # after every other file of it (all replayed).
        in_longest = [f for f in files if f.startswith(longest + os.sep)]
        newest = max(in_longest)
        cmds = {"true": (["/bin/true"], None, (0,)),
                "raw parse 1 file": ([raw, small], None, (0,)),
                "check 1 file": ([pgw, "check", small], None, (0, 1)),
                "check newest file": ([pgw, "check", newest], None, (0, 1))}
        if args.before:
            cmds["before: check 1 file"] = ([os.path.abspath(args.before), "check", small], None,
                                            (0, 1))
            cmds["before: check newest"] = ([os.path.abspath(args.before), "check", newest],
                                            None, (0, 1))
        s = measure(cmds, args.precommit_runs)
        print(f"\npre-commit run, one {os.path.getsize(small)}-byte file "
              f"({os.path.relpath(small, copies[0])}); the newest file of the longest set "
              f"({os.path.relpath(newest, copies[0])}, {len(in_longest)} files) "
              f"(medians of {args.precommit_runs} alternating runs)")
        print_samples(s, 20)
        spawn = s["true"].median()
        print(f"{'check 1 file - true':20} {(s['check 1 file'].median() - spawn) * 1e3:7.1f} ms wall "
              "(without the cost of spawning and timing any process here)")
        results["precommit"] = {n: {"wall": smp.median(), "cpu": smp.cpu_median()}
                                for n, smp in s.items()}

    if args.verify:
        with tempfile.NamedTemporaryFile("r", suffix=".json", prefix="pgwarden-verify-") as vj:
            print(f"\nverify on {args.verify}")
            subprocess.run([sys.executable, os.path.join(HERE, "verify_bench.py"), pgw,
                            os.path.abspath(args.verify), "--runs", str(args.verify_runs),
                            "--json", vj.name], check=True)
            results["verify"] = json.load(vj)

    if args.json:
        with open(args.json, "w") as out:
            json.dump(results, out, indent=1)


if __name__ == "__main__":
    main()
