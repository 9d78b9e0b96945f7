#!/usr/bin/env python3
"""Large files are linear (issue 12 item 10): a generated file of N statements
and one of 4N, the same kind, must cost at most 8x the CPU time (linear work
gives about 4x, quadratic work 16x). Ratios, not absolute times: this runs on
shared, noisy machines. Each size is run several times, alternating, and the
least CPU time of each counts (noise only ever adds time).

Usage: scaling_test.py PGWARDEN [CASE...]
Cases:
  add_column     one table, N ALTER TABLE ... ADD COLUMN (column lookups by name)
  no_timeout     N strong locks with no lock_timeout (require-lock-timeout)
  foreign_keys   one transaction of tables, columns, indexes and foreign keys that
                 no index covers (foreign-key-without-index looks ahead for an
                 index built later in the file)
"""
import os
import subprocess
import sys
import tempfile

PGW = os.path.abspath(sys.argv[1])
ASAN = b"__asan_init" in open(PGW, "rb").read()
SMALL = 0.3 if ASAN else 1  # sizes under ASan
RUNS = 3
MAX_RATIO = 8.0


def add_column(n):
    return "CREATE TABLE t (id int);\n" + "".join(
        f"ALTER TABLE t ADD COLUMN c{i} int;\n" for i in range(n))


def no_timeout(n):
    return "".join(f"ALTER TABLE existing{i % 7} ADD COLUMN c{i} int;\n" for i in range(n))


def foreign_keys(n):
    kinds = [
        lambda i: f"CREATE TABLE t{i} (id int PRIMARY KEY, a text);\n",
        lambda i: f"ALTER TABLE t{i - 1} ADD COLUMN b{i} int NOT NULL DEFAULT 0;\n",
        lambda i: f"CREATE INDEX i{i} ON t{i - 2} (a);\n",
        lambda i: f"UPDATE users SET a = 'x' WHERE id = {i};\n",
        lambda i: f"ALTER TABLE users ADD CONSTRAINT fk{i} FOREIGN KEY (o{i}) REFERENCES orgs (id);\n",
        lambda i: f"ALTER TABLE users ALTER COLUMN c{i} SET NOT NULL;\n",
    ]
    return "BEGIN;\n" + "".join(kinds[i % 6](i) for i in range(n)) + "COMMIT;\n"


# name -> (generator, N): N big enough that quadratic work dominates the start.
CASES = {"add_column": (add_column, 10000), "no_timeout": (no_timeout, 5000),
         "foreign_keys": (foreign_keys, 3000)}


def cpu_seconds(path):
    """CPU time (user + system) of one `check` of the folder holding `path`."""
    p = subprocess.Popen([PGW, "check", "--format", "json", "--output", "/dev/null", path],
                         stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    err = p.stderr.read()
    _, status, ru = os.wait4(p.pid, 0)
    p.stderr.close()
    rc = os.waitstatus_to_exitcode(status)
    if rc not in (0, 1):
        raise RuntimeError(f"{path}: exit {rc}: {err.decode()[-300:]}")
    return ru.ru_utime + ru.ru_stime


def measure(tmp, name, make, base, attempt=0):
    paths = {}
    for size in (base, 4 * base):
        folder = os.path.join(tmp, f"{name}{size}-{attempt}")
        os.mkdir(folder)  # its own folder: the file is a set of one
        paths[size] = os.path.join(folder, "001_big.sql")
        with open(paths[size], "w") as f:
            f.write(make(size))
    best = {size: float("inf") for size in paths}
    for _ in range(RUNS):
        for size, path in paths.items():
            best[size] = min(best[size], cpu_seconds(path))
    # A floor of 10 ms keeps a tiny small run from inflating the ratio.
    return best[base], best[4 * base], best[4 * base] / max(best[base], 0.01)


def main():
    only = sys.argv[2:]
    failures = []
    with tempfile.TemporaryDirectory(prefix="pgwarden-scaling-") as tmp:
        for name, (make, n) in CASES.items():
            if only and name not in only:
                continue
            base = int(n * SMALL)
            small, large, ratio = measure(tmp, name, make, base)
            # A loaded machine can slow one size more than the other: a ratio
            # over the limit is measured again (twice at most) before it
            # counts. Quadratic work is over the limit every time.
            for attempt in (1, 2):
                if ratio <= MAX_RATIO:
                    break
                small, large, ratio = min((small, large, ratio),
                                          measure(tmp, name, make, base, attempt),
                                          key=lambda m: m[2])
            ok = ratio <= MAX_RATIO
            print(f"  {'ok  ' if ok else 'FAIL'}  {name}: {base} statements {small:.3f} s, "
                  f"{4 * base} statements {large:.3f} s: {ratio:.1f}x (at most {MAX_RATIO}x)")
            if not ok:
                failures.append(name)
    print(f"scaling: {len(failures)} failed")
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
