#!/usr/bin/env python3
"""Pathological inputs: each must end in bounded time and memory with a clear
result: exit 0 or 1 with a JSON report naming the file, and the expected
finding where there is one. Never a crash, an exit above 1, or a hang.

Usage: pathological_test.py PGWARDEN [CASE...]
Inputs are generated into a temporary folder. Each run gets a wall-clock bound,
an RLIMIT_CPU hard stop and, unless the binary is built with AddressSanitizer
(whose shadow memory needs a huge address space), an RLIMIT_AS of 4 GB; its
peak RSS (ru_maxrss) must stay under the case's bound. Under ASan the time and
memory bounds are multiplied by ASAN_FACTOR.
"""
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time

ASAN_FACTOR = 5
AS_LIMIT = 4 << 30


def is_asan(binary):
    with open(binary, "rb") as f:
        return b"__asan_init" in f.read()


class Runner:
    def __init__(self, pgw, tmp):
        self.pgw, self.tmp = pgw, tmp
        self.factor = ASAN_FACTOR if is_asan(pgw) else 1
        self.failures = []

    def run(self, name, paths, seconds, rss_mb, extra=()):
        """Runs `pgwarden check` on paths; returns the report, or None after a failure."""
        seconds, rss_mb = seconds * self.factor, rss_mb * self.factor
        out = os.path.join(self.tmp, name + ".json")
        cmd = [self.pgw, "check", "--format", "json", "--output", out, "--jobs", "2", *extra,
               *paths]

        def limits():
            cpu = int(seconds * 2) + 1
            resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 5))
            if self.factor == 1:
                resource.setrlimit(resource.RLIMIT_AS, (AS_LIMIT, AS_LIMIT))

        start = time.monotonic()
        p = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                             preexec_fn=limits, cwd=self.tmp)
        status, usage = None, None
        while status is None:
            pid, st, ru = os.wait4(p.pid, os.WNOHANG)
            if pid:
                status, usage = st, ru
            elif time.monotonic() - start > seconds:
                p.kill()
                _, _, usage = os.wait4(p.pid, 0)
                return self.fail(name, f"still running after {seconds:.0f} s (killed)")
            else:
                time.sleep(0.02)
        elapsed = time.monotonic() - start
        p.returncode = os.waitstatus_to_exitcode(status)
        err = p.stderr.read().decode(errors="replace").strip()
        p.stderr.close()
        rss = usage.ru_maxrss / 1024
        print(f"  {name:24} exit {p.returncode:3}  {elapsed:6.2f} s (bound {seconds:.0f})  "
              f"peak RSS {rss:7.1f} MB (bound {rss_mb})")
        if p.returncode not in (0, 1):
            return self.fail(name, f"exit {p.returncode}: {err[-400:]}")
        if rss > rss_mb:
            return self.fail(name, f"peak RSS {rss:.0f} MB > {rss_mb} MB")
        try:
            with open(out) as f:
                report = json.load(f)
        except (OSError, ValueError) as e:
            return self.fail(name, f"no readable JSON report: {e}")
        return report

    def fail(self, name, why):
        self.failures.append(f"{name}: {why}")
        print(f"  FAIL {name}: {why}")
        return None

    def expect(self, name, report, *wanted, files=1, no_rule=None):
        """wanted: (rule, text in its message or None) pairs that must all be found."""
        if report is None:
            return
        if report["summary"]["files"] != files:
            return self.fail(name, f"{report['summary']['files']} files reported, not {files}")
        rules = {f["rule"] for f in report["findings"]}
        for rule, message in wanted:
            if not any(f["rule"] == rule and (message is None or message in f["message"])
                       for f in report["findings"]):
                return self.fail(name, f"no {rule} finding with {message!r}; got {sorted(rules)}")
        if no_rule and no_rule in rules:
            return self.fail(name, f"unexpected {no_rule} finding")


def write(path, text, mode="w"):
    # Each case in a folder of its own: an explicit file is linted with the
    # other migrations of its folder as context.
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, mode) as f:
        f.write(text)
    return path


def big_migration(target_bytes):
    """A seed-data migration: a table, then multi-row INSERTs, comments, an index."""
    parts = ["-- Migration: 001_seed\nCREATE TABLE IF NOT EXISTS seed (id bigint PRIMARY KEY, "
             "name text NOT NULL, note text, created_at timestamptz DEFAULT now());\n"]
    size, i = len(parts[0]), 0
    while size < target_bytes:
        rows = ",\n".join(f"  ({i * 50 + k}, 'name {i * 50 + k}', 'it''s row {k}', now())"
                          for k in range(50))
        chunk = f"/* batch {i} */\nINSERT INTO seed (id, name, note, created_at) VALUES\n{rows};\n"
        parts.append(chunk)
        size += len(chunk)
        i += 1
    parts.append("CREATE INDEX IF NOT EXISTS seed_name ON seed (name);\n")
    return "".join(parts)


def many_statements(n):
    kinds = [
        "CREATE TABLE IF NOT EXISTS t{i} (id bigint PRIMARY KEY, v text);",
        "CREATE INDEX IF NOT EXISTS t{i}_v ON t{i} (v);",
        "INSERT INTO t{i} (id, v) VALUES ({i}, 'v{i}');",
        "COMMENT ON TABLE t{i} IS 'table {i}';",
        "UPDATE t{i} SET v = 'x' WHERE id = {i};",
    ]
    return "\n".join(kinds[i % 5].format(i=i // 5) for i in range(n)) + "\n"


def main():
    pgw = os.path.abspath(sys.argv[1])
    only = set(sys.argv[2:])
    with tempfile.TemporaryDirectory(prefix="pgwarden-pathological-") as tmp:
        r = Runner(pgw, tmp)
        print(f"pathological inputs ({'ASan build, bounds x%d' % r.factor if r.factor > 1 else 'release'})")
        rnd = random.Random(6)
        cases = {
            "10mb_migration": lambda: r.expect(
                "10mb_migration",
                r.run("10mb_migration", [write(f"{tmp}/001/001_big.sql", big_migration(10 << 20))],
                      60, 512), no_rule="parse-error"),
            "100k_statements": lambda: r.expect(
                "100k_statements",
                r.run("100k_statements", [write(f"{tmp}/002/002_many.sql", many_statements(100000))],
                      60, 384), no_rule="parse-error"),
            "nested_parens": lambda: r.expect(
                "nested_parens",
                r.run("nested_parens", [write(f"{tmp}/003/003_parens.sql",
                                              "SELECT " + "(" * 20000 + "1" + ")" * 20000 + ";\n")],
                      30, 256), ("parse-error", None)),
            "nested_calls": lambda: r.expect(
                "nested_calls",
                r.run("nested_calls", [write(f"{tmp}/004/004_calls.sql",
                                             # PostgreSQL 15 runs 4,000 levels, not 5,000
                                             "SELECT " + "f(" * 6000 + "1" + ")" * 6000 + ";\n"
                                             "DROP TABLE users;\n")],
                      30, 256), ("parse-error", "nested too deeply"), ("drop-table", None)),
            "unterminated_dollar": lambda: r.expect(
                "unterminated_dollar",
                r.run("unterminated_dollar", [write(
                    f"{tmp}/005/005_dollar.sql",
                    "CREATE TABLE a (id int);\nCREATE FUNCTION f() RETURNS int AS $body$\n"
                    "SELECT 1;\n" + "SELECT 2;\n" * 10000)], 30, 256),
                ("parse-error", "unterminated dollar-quoted string")),
            "unterminated_comment": lambda: r.expect(
                "unterminated_comment",
                r.run("unterminated_comment", [write(
                    f"{tmp}/006/006_comment.sql",
                    "CREATE TABLE a (id int);\n/* never closed /* nested\n" + "DROP TABLE a;\n" * 10000)],
                    30, 256), ("parse-error", "unterminated /* comment")),
            "placeholders": lambda: r.expect(
                "placeholders",
                r.run("placeholders", [write(
                    f"{tmp}/007/007_placeholders.sql",
                    "INSERT INTO ${schema}.t VALUES (" + ", ".join(
                        [":v%d" % i if i % 3 == 0 else ":'s%d'" % i if i % 3 == 1 else "${p%d}" % i
                         for i in range(1000)]) + ");\n")], 30, 256), no_rule="parse-error"),
            "random_bytes": lambda: r.expect(
                "random_bytes",
                r.run("random_bytes", [write(f"{tmp}/008/008_random.sql",
                                             bytes(rnd.getrandbits(8) for _ in range(1 << 20)), "wb")],
                      30, 256), ("parse-error", None)),
            "random_text": lambda: r.expect(
                "random_text",
                r.run("random_text", [write(f"{tmp}/009/009_random_text.sql", "".join(
                    rnd.choice("abcdefghijklmnopqrstuvwxyz ;()'\"$-/*\\\n:{}é€😀0123456789,.")
                    for _ in range(1 << 20)))], 60, 512), ("parse-error", None)),
            "empty_file": lambda: r.expect(
                "empty_file", r.run("empty_file", [write(f"{tmp}/010/010_empty.sql", "")], 10, 128),
                ("empty-migration", None)),
            "dot_sql": lambda: r.expect(
                "dot_sql", r.run("dot_sql", [dot_sql_file(tmp)], 10, 128), ("empty-migration", None)),
            "dot_sql_in_folder": lambda: r.expect(
                "dot_sql_in_folder", r.run("dot_sql_in_folder", [f"{tmp}/dotdir"], 10, 128),
                ("empty-migration", None)),
            "config_number_overflow": lambda: config_error(
                r, tmp, "config_number_overflow", '{"pg_version": 2e3333333333}'),
            "config_deep_nesting": lambda: config_error(
                r, tmp, "config_deep_nesting", '{"rules": ' + "[" * 100000 + "]" * 100000 + "}"),
            "50k_files": lambda: r.expect(
                "50k_files", r.run("50k_files", [make_folder(f"{tmp}/many", 50000)], 120, 384),
                files=50000, no_rule="parse-error"),
        }
        selected = [name for name in cases if not only or name in only]
        for name in selected:
            cases[name]()
        print(f"pathological: {len(selected) - len(r.failures)} passed, {len(r.failures)} failed")
        for f in r.failures:
            print("  " + f)
        sys.exit(1 if r.failures else 0)


def config_error(r, tmp, name, text):
    """A broken .pgwarden.json (the first found by fuzz_config): exit 2 and one line
    on stderr naming the file, never an uncaught exception."""
    os.makedirs(f"{tmp}/{name}")
    config = write(f"{tmp}/{name}/.pgwarden.json", text)
    sql = write(f"{tmp}/{name}/001_a.sql", "SELECT 1;\n")
    p = subprocess.run([r.pgw, "check", "--config", config, sql], capture_output=True, text=True,
                       timeout=60 * r.factor)
    lines = p.stderr.strip().splitlines()
    print(f"  {name:24} exit {p.returncode:3}  {p.stderr.strip()[-60:]}")
    if p.returncode != 2 or len(lines) != 1 or config not in lines[0]:
        r.fail(name, f"want exit 2 and one stderr line naming {config}, got exit "
                               f"{p.returncode}: {p.stderr.strip()[:300]!r}")


def dot_sql_file(tmp):
    """A 0-byte file named `.sql`, alone in its folder."""
    os.makedirs(f"{tmp}/dotdir", exist_ok=True)
    return write(f"{tmp}/dotdir/.sql", "")


def make_folder(path, n):
    os.makedirs(path)
    for i in range(n):
        write(f"{path}/{i:05d}_create_t{i}.sql",
              f"-- Migration: {i:05d}\nCREATE TABLE IF NOT EXISTS t{i} (id bigint PRIMARY KEY);\n")
    return path


if __name__ == "__main__":
    main()
