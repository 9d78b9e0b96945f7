#!/usr/bin/env python3
"""Issue 12: every defect of the adversarial pass, one case each (the case
name carries the issue's item number). Each case builds its input in a fresh
temporary folder (git repositories included), runs the real binary and checks
the outcome; each fails on the code before its fix.

Usage: reliability_test.py PGWARDEN [CASE...]
"""
import json
import os
import resource
import shutil
import signal
import stat
import subprocess
import sys
import tempfile
import threading
import time

PGW = os.path.abspath(sys.argv[1])
ASAN = b"__asan_init" in open(PGW, "rb").read()
SLOW = 5 if ASAN else 1
FAILURES = []


class Fail(Exception):
    pass


def check(cond, why):
    if not cond:
        raise Fail(why)


def run(args, cwd, stdin=None, env=None, timeout=60, preexec=None, binary=True):
    full_env = dict(os.environ, NO_COLOR="1", **(env or {}))
    full_env.pop("GIT_DIR", None)
    p = subprocess.run([PGW, *args] if binary else args, cwd=cwd, stdin=stdin,
                       capture_output=True, env=full_env, timeout=timeout * SLOW,
                       preexec_fn=preexec)
    return p.returncode, p.stdout.decode(errors="replace"), p.stderr.decode(errors="replace")


def write(path, text, mode="w"):
    os.makedirs(os.path.dirname(path) or ".", exist_ok=True)
    with open(path, mode) as f:
        f.write(text)
    return path


def findings(cwd, *args, **kw):
    """`check --format json` -> (exit code, findings, stderr)."""
    rc, out, err = run(["check", "--format", "json", *args], cwd, **kw)
    check(rc in (0, 1), f"check {' '.join(args)[:80]}: exit {rc}: {err.strip()[:300]}")
    return rc, json.loads(out)["findings"], err


def has(fs, rule, text=None, line=None):
    return any(f["rule"] == rule and (text is None or text in f["message"]) and
               (line is None or f["line"] == line) for f in fs)


def rules_of(fs):
    return sorted({f["rule"] for f in fs})


def git(cwd, *args, check_rc=True):
    p = subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True,
                       env=dict(os.environ, GIT_AUTHOR_NAME="t", GIT_AUTHOR_EMAIL="t@t",
                                GIT_COMMITTER_NAME="t", GIT_COMMITTER_EMAIL="t@t"))
    if check_rc and p.returncode != 0:
        raise Fail(f"git {' '.join(args)}: {p.stderr.strip()}")
    return p


def repo(tmp, files):
    os.makedirs(tmp, exist_ok=True)
    git(tmp, "init", "-q", "-b", "main")
    for path, text in files.items():
        write(os.path.join(tmp, path), text)
    git(tmp, "add", "-A")
    git(tmp, "commit", "-q", "-m", "base")
    return tmp


def no_file_limit():
    """A full disk, as far as pgwarden can tell: no regular file may grow (EFBIG)."""
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (0, 0))


def leftovers(folder):
    return [n for n in os.listdir(folder) if ".pgwarden-" in n or n.endswith(".tmp")]


# -- crashes and silent passes ------------------------------------------------

def case_01_deep_expression(tmp):
    chain = "+".join(["1"] * 70000)
    concat = "||".join(["'a'"] * 70000)
    write(f"{tmp}/001_a.sql", f"SELECT {chain};\nDROP TABLE users;\n")
    write(f"{tmp}/002_b.sql", f"SELECT {concat};\nDROP TABLE orders;\n")
    write(f"{tmp}/003_c.sql", f"DO $$ BEGIN EXECUTE 'SELECT {chain}'; END $$;\nDROP TABLE items;\n")
    for name, table in (("001_a.sql", "users"), ("002_b.sql", "orders"), ("003_c.sql", "items")):
        _, fs, _ = findings(tmp, name)
        check(has(fs, "parse-error", "nested too deeply"), f"{name}: {rules_of(fs)}")
        check(has(fs, "drop-table", table), f"{name}: the next statement is linted")


def case_02_do_in_do(tmp):
    write(f"{tmp}/001_a.sql",
          "DO $$ BEGIN DO $x$ BEGIN DROP TABLE users; END $x$; END $$;\n")
    _, fs, _ = findings(tmp, "001_a.sql")
    check(has(fs, "drop-table", "users"), f"nested DO not linted: {rules_of(fs)}")


def case_03_do_not_silently_skipped(tmp):
    write(f"{tmp}/001_a.sql",
          "DO $$\nDECLARE x text COLLATE \"C\";\n  y varchar(10) COLLATE pg_catalog.\"default\" := 'a';\n"
          "BEGIN\n  DROP TABLE users;\nEND $$;\n")
    _, fs, _ = findings(tmp, "001_a.sql")
    check(has(fs, "drop-table", "users", line=5), f"COLLATE body skipped: {fs}")
    check(not has(fs, "parse-error"), "a valid DO block is no parse error")
    # A body pgwarden cannot read is reported, never passed.
    write(f"{tmp}/002_b.sql", "DO LANGUAGE plperl $$ my $x = 1; $$;\n")
    _, fs, _ = findings(tmp, "002_b.sql")
    check(has(fs, "parse-error", "not analysed"), f"plperl DO passed silently: {fs}")


def case_04_copy_from_stdin_by_tokens(tmp):
    write(f"{tmp}/001_a.sql", "COPY t FROM '/data/from stdin.csv';\nDROP TABLE users;\n")
    _, fs, _ = findings(tmp, "001_a.sql")
    check(has(fs, "drop-table"), f"a file name swallowed the file: {rules_of(fs)}")
    write(f"{tmp}/002_b.sql", "COPY t (a, b) FROM  stdin;\n1\thello world\n2\t'x\n\\.\nDROP TABLE users;\n")
    _, fs, _ = findings(tmp, "002_b.sql")
    check(not has(fs, "parse-error"), f"COPY data parsed as SQL: {fs}")
    check(has(fs, "drop-table", line=5), f"after the data: {rules_of(fs)}")


def case_05_recovery_after_broken_statement(tmp):
    write(f"{tmp}/001_a.sql", "CREATE TABLE a (id int;\nDROP TABLE users;\nCREATE TABLE b (x int);\n")
    write(f"{tmp}/002_b.sql", "CREATE FUNCTION f() RETURNS int LANGUAGE sql\nBEGIN ATOMIC SELECT 1;\n"
          "DROP TABLE users;\n")
    write(f"{tmp}/003_c.sql", "SELECT '{{';\nDROP TABLE users;\nSELECT '}}';\n")
    for name, parse_error in (("001_a.sql", True), ("002_b.sql", True), ("003_c.sql", False)):
        _, fs, _ = findings(tmp, name)
        check(has(fs, "drop-table", line=2 if name != "002_b.sql" else 3),
              f"{name}: statement after the broken one hidden: {rules_of(fs)}")
        check(has(fs, "parse-error") == parse_error, f"{name}: parse-error {not parse_error}")
    # A BEGIN ATOMIC body that is closed keeps its statements inside.
    write(f"{tmp}/004_d.sql", "CREATE FUNCTION g() RETURNS void LANGUAGE sql\nBEGIN ATOMIC\n"
          "  DELETE FROM t;\n  SELEC 1;\nEND;\n")
    _, fs, _ = findings(tmp, "004_d.sql")
    check(not has(fs, "delete-without-where"), "a body's statement linted as a migration's")


def case_06_hook_and_staged_see_renames_and_deletions(tmp):
    r = repo(f"{tmp}/r", {"db/001_a.sql": "CREATE TABLE a (id int);\n",
                          "db/002_b.sql": "CREATE TABLE b (id int);\n"})
    git(r, "mv", "db/001_a.sql", "db/003_a.sql")
    _, fs, _ = findings(r, "--staged")
    check(has(fs, "immutable-migration", "renamed to db/003_a.sql"), f"rename: {fs}")
    git(r, "reset", "-q", "--hard")
    git(r, "rm", "-q", "db/002_b.sql")
    _, fs, _ = findings(r, "--staged")
    check(has(fs, "immutable-migration", "deleted"), f"deletion: {fs}")
    # The installed hook blocks a commit that only deletes a migration.
    rc, out, err = run(["hook", "install"], r)
    check(rc == 0, f"hook install: {err}")
    p = subprocess.run(["git", "commit", "-q", "-m", "drop b"], cwd=r, capture_output=True,
                       text=True, env=dict(os.environ, PGWARDEN=PGW, GIT_AUTHOR_NAME="t",
                                           GIT_AUTHOR_EMAIL="t@t", GIT_COMMITTER_NAME="t",
                                           GIT_COMMITTER_EMAIL="t@t"))
    check(p.returncode != 0, "the hook let a deleted migration through")
    # --diff-base: deleted on a branch.
    git(r, "reset", "-q", "--hard")
    git(r, "checkout", "-q", "-b", "topic")
    git(r, "rm", "-q", "db/001_a.sql")
    git(r, "commit", "-q", "--no-verify", "-m", "gone")
    _, fs, _ = findings(r, "--diff-base", "main")
    check(has(fs, "immutable-migration", "deleted"), f"--diff-base deletion: {fs}")


def case_07_writes_are_atomic(tmp):
    r = repo(f"{tmp}/r", {"001_a.sql": "CREATE TABLE a (id int);\n"})
    hooks = f"{r}/.git/hooks"
    mine = "#!/bin/sh\necho mine\n"
    write(f"{hooks}/pre-commit", mine)
    os.chmod(f"{hooks}/pre-commit", 0o755)
    for flags in (["--chain"], ["--force"]):
        rc, _, err = run(["hook", "install", *flags], r, preexec=no_file_limit)
        check(rc == 2 and err.count("\n") == 1, f"hook install {flags} on a full disk: {rc} {err}")
        check(open(f"{hooks}/pre-commit").read() == mine, "the user's hook was touched")
        check(not os.path.exists(f"{hooks}/pre-commit.pgwarden-chain") and
              not os.path.exists(f"{hooks}/pre-commit.pgwarden-backup"), "moved aside anyway")
        check(not leftovers(hooks), f"temporary files left: {leftovers(hooks)}")
    rc, _, err = run(["init"], r, preexec=no_file_limit)
    check(rc == 2 and not os.path.lexists(f"{r}/.pgwarden.json"), f"init on a full disk: {rc} {err}")
    write(f"{r}/report.json", "old report")
    rc, _, err = run(["check", "--format", "json", "--output", "report.json", "001_a.sql"], r,
                     preexec=no_file_limit)
    check(rc == 2 and open(f"{r}/report.json").read() == "old report", f"--output: {rc} {err}")
    rc, _, err = run(["sum"], r)
    check(rc == 0, f"sum: {err}")
    recorded = open(f"{r}/pgwarden.sum").read()
    write(f"{r}/002_b.sql", "SELECT 1;\n")
    rc, _, err = run(["sum"], r, preexec=no_file_limit)
    check(rc == 2 and open(f"{r}/pgwarden.sum").read() == recorded, f"sum on a full disk: {err}")
    check(not leftovers(r), f"temporary files left: {leftovers(r)}")
    # Two runs writing one report leave one whole report.
    big = "".join(f"DROP TABLE t{i};\n" for i in range(3000))
    write(f"{r}/003_c.sql", big)
    procs = [subprocess.Popen([PGW, "check", "--format", "json", "--output", "same.json",
                               "003_c.sql"], cwd=r, stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL) for _ in range(4)]
    for p in procs:
        p.wait()
    check(len(json.load(open(f"{r}/same.json"))["findings"]) >= 3000, "a mixed report")
    # /dev/full as the report: the error is reported.
    rc, _, err = run(["check", "--output", "/dev/full", "001_a.sql"], r)
    check(rc == 2 and "/dev/full" in err, f"--output /dev/full: {rc} {err}")


# -- hangs and blow-ups -------------------------------------------------------

def case_08_non_regular_inputs(tmp):
    os.mkfifo(f"{tmp}/001_fifo.sql")
    write(f"{tmp}/002_a.sql", "SELECT 1;\n")
    os.mkfifo(f"{tmp}/config.json")
    for args in (["001_fifo.sql"], ["--config", "config.json", "002_a.sql"], ["/dev/zero"]):
        t = time.monotonic()
        rc, _, err = run(["check", *args], tmp, timeout=20)
        check(rc == 2 and err.count("\n") == 1, f"{args}: exit {rc}: {err}")
        check(time.monotonic() - t < 10 * SLOW, f"{args}: too slow")
    with open("/dev/zero", "rb") as zero:
        rc, _, err = run(["check", "--stdin-filename", "001_a.sql"], tmp, stdin=zero, timeout=60)
    check(rc == 2 and "larger than" in err, f"stdin /dev/zero: {rc} {err}")
    fd = os.open(tmp, os.O_RDONLY)  # a folder as stdin: read() fails with EISDIR
    try:
        rc, _, err = run(["check", "--stdin-filename", "001_a.sql"], tmp, stdin=fd)
    finally:
        os.close(fd)
    check(rc == 2 and "standard input" in err, f"unreadable stdin: {rc} {err}")
    # In a folder, a FIFO named like a migration is not a migration.
    rc, _, err = run(["check", "."], tmp, timeout=20)
    check(rc in (0, 1), f"folder with a FIFO: {rc} {err}")


def case_09_change_sets_are_linear(tmp):
    n = 4000
    r = repo(f"{tmp}/r", {"db/0000_base.sql": "CREATE TABLE base (id int);\n"})
    for i in range(1, n + 1):
        write(f"{r}/db/{i:04d}_t.sql", f"CREATE TABLE IF NOT EXISTS t{i} (id bigint PRIMARY KEY);\n")
    git(r, "add", "-A")
    times, rss = {}, {}
    for label, args in (("plain", ["db"]), ("staged", ["--staged"]), ("diff-base", ["--diff-base", "main"])):
        t = time.monotonic()
        # Peak RSS from /usr/bin/time: the quadratic version took 7.5 GB.
        rc, out, err = run(["/usr/bin/time", "-f", "%M", "-o", f"{tmp}/rss", PGW, "check",
                            "--format", "json", "--jobs", "2", *args], r, timeout=120, binary=False)
        times[label] = time.monotonic() - t
        rss[label] = int(open(f"{tmp}/rss").read().split()[-1]) // 1024
        check(rc in (0, 1), f"{label}: {rc} {err}")
        check(len(json.loads(out)["files"]) >= n, f"{label}: files missing")
    print("    " + ", ".join(f"{k} {times[k]:.2f} s {rss[k]} MB" for k in times))
    check(times["staged"] < 10 * SLOW and times["diff-base"] < 10 * SLOW, f"quadratic: {times}")
    for label in ("staged", "diff-base"):
        check(rss[label] < 3 * rss["plain"] + 64, f"{label} memory: {rss}")


def case_10_large_files_and_long_lines(tmp):
    line = "INSERT INTO t (a) VALUES " + ", ".join(f"('{i}')" for i in range(3000)) + ";"
    one_line = "ALTER TABLE t ADD COLUMN c int NOT NULL; " * 800 + line
    write(f"{tmp}/001_a.sql", one_line)
    rc, out, err = run(["check", "001_a.sql"], tmp)
    check(rc == 1, f"exit {rc}: {err}")
    print(f"    {len(one_line)} byte one-line file: {len(out)} byte text report")
    check(len(out) < 2_000_000, f"text report of {len(out)} bytes")


def case_10_output_file_is_streamed(tmp):
    # --output streams into its temporary file: a 20 MB report is not held in
    # memory on top of the run (issue 17, peak RSS), and the file is whole.
    write(f"{tmp}/db/001_a.sql", "".join(f"DROP TABLE t{i};\n" for i in range(12000)))
    rss = {}
    for label, extra in (("stdout", []), ("output", ["--output", f"{tmp}/report.json"])):
        rc, out, err = run(["/usr/bin/time", "-f", "%M", "-o", f"{tmp}/rss", PGW, "check",
                            "--format", "json", *extra, "db"], tmp, binary=False)
        check(rc == 1, f"{label}: exit {rc}: {err[-300:]}")
        rss[label] = int(open(f"{tmp}/rss").read().split()[-1]) // 1024
        if label == "stdout":
            size = len(out) // (1024 * 1024)
            expected = out
    check(open(f"{tmp}/report.json").read() == expected, "--output differs from stdout")
    print(f"    {size} MB report: peak RSS {rss['stdout']} MB to stdout, {rss['output']} MB with --output")
    check(size >= 8, f"report of {size} MB: too small to tell")
    check(rss["output"] < rss["stdout"] + size // 2, f"--output holds the report: {rss}")


def case_11_exclude_globs_are_linear(tmp):
    write(f"{tmp}/" + "a" * 120 + ".sql", "SELECT 1;\n")
    write(f"{tmp}/.pgwarden.json", json.dumps({"exclude": ["*a" * 30 + "*b"]}))
    t = time.monotonic()
    rc, _, err = run(["check", "."], tmp, timeout=30)
    check(rc in (0, 1) and time.monotonic() - t < 5 * SLOW, f"exclude glob: {rc} {err}")


PTHREAD_SHIM = r"""
#include <errno.h>
#include <pthread.h>
int pthread_create(pthread_t *t, const pthread_attr_t *a, void *(*f)(void *), void *arg) {
    (void)t; (void)a; (void)f; (void)arg;
    return EAGAIN;
}
"""


def case_12_no_threads_same_output(tmp):
    shim = write(f"{tmp}/shim.c", PTHREAD_SHIM)
    if ASAN or not shutil.which("cc"):
        print("    (ASan build or no C compiler: shim not used)")
        return
    subprocess.run(["cc", "-shared", "-fPIC", "-o", f"{tmp}/shim.so", shim], check=True)
    for d in range(6):
        write(f"{tmp}/m/s{d}/001_a.sql", f"DROP TABLE t{d};\nCREATE INDEX i{d} ON t (a);\n")
    rc1, out1, err1 = run(["check", "--format", "json", "--jobs", "1", "m"], tmp)
    rc2, out2, err2 = run(["check", "--format", "json", "--jobs", "4", "m"], tmp,
                          env={"LD_PRELOAD": f"{tmp}/shim.so"})
    check(rc2 == rc1 and out2 == out1, f"without threads: exit {rc2} ({err2.strip()[:200]})")


def as_nobody():
    os.setgid(65534)
    os.setgroups([])
    os.setuid(65534)


def case_13_unreadable_folder(tmp):
    os.chmod(tmp, 0o755)
    write(f"{tmp}/m/ok/001_a.sql", "SELECT 1;\n")
    write(f"{tmp}/m/locked/002_b.sql", "DROP TABLE users;\n")
    for d in ("m", "m/ok"):
        os.chmod(f"{tmp}/{d}", 0o755)
    os.chmod(f"{tmp}/m/ok/001_a.sql", 0o644)
    os.chmod(f"{tmp}/m/locked", 0)
    try:
        rc, _, err = run(["check", "m"], tmp, preexec=as_nobody if os.geteuid() == 0 else None)
    finally:
        os.chmod(f"{tmp}/m/locked", 0o755)
    check(rc == 2 and "m/locked" in err and err.count("\n") == 1, f"exit {rc}: {err}")


def case_14_text_escapes_terminal_controls(tmp):
    name = "001_\x1b[31mred\nx\u202e.sql"
    write(os.path.join(tmp, name),
          'DROP TABLE "\x1b]0;pwned\x07";\n-- @override-destructive\n-- @rollback-plan: \x1b[2J restore\n'
          'DROP TABLE b;\n')
    rc, out, err = run(["check", "--format", "text", name], tmp)
    check(rc == 1, f"exit {rc}: {err}")
    check("\x1b" not in out and "\u202e" not in out and "\x07" not in out, f"raw controls: {out!r}")
    check("001_\\x1b[31mred\\nx\\u{202e}.sql:1:1: error[drop-table]" in out,
          f"path:line:col broken: {out[:300]!r}")


def case_14_verify_tables_escape_terminal_controls(tmp):
    # verify's lock/rewrite/scan table quotes the statements it ran.
    write(os.path.join(tmp, "001_a.sql"),
          "CREATE TABLE t (id int);\nSELECT 1 AS \"\x1b]0;pwned\x07\x1b[2J\";\n")
    rc, out, err = run(["verify", "--format", "text", "001_a.sql"], tmp, timeout=300)
    check(rc in (0, 1), f"exit {rc}: {err}")
    check("SELECT 1 AS" in out, f"no statement table: {out[:300]!r}")
    check("\x1b" not in out and "\x07" not in out, f"raw controls: {out!r}")


def case_15_markdown_caps_cells(tmp):
    plan = "restore from backup " * 20000
    write(f"{tmp}/m/001_a.sql", f"-- @override-destructive\n-- @rollback-plan: {plan}\nDROP TABLE a;\n")
    write(f"{tmp}/m/002_b.sql", "DROP TABLE users;\n")
    rc, out, err = run(["check", "--format", "markdown", "m"], tmp)
    check(rc == 1, f"exit {rc}: {err}")
    check("002_b.sql" in out and "drop-table" in out.split("002_b.sql", 1)[-1],
          "the error after a huge rollback plan was dropped")
    check(len(out) <= 65536, f"{len(out)} bytes")


def case_16_begin_identifier_and_deep_valid_sql(tmp):
    write(f"{tmp}/001_a.sql",
          "CREATE FUNCTION f(begin int) RETURNS int LANGUAGE sql AS $$ SELECT 1 $$;\n"
          "DROP TABLE users;\n")
    _, fs, _ = findings(tmp, "001_a.sql")
    check(has(fs, "drop-table", line=2) and not has(fs, "parse-error"), f"merged: {fs}")
    for depth, ok in ((1500, True), (3500, True), (9000, False)):
        write(f"{tmp}/deep/00{depth}_x.sql",
              "SELECT " + "abs(" * depth + "1" + ")" * depth + ";\nDROP TABLE t;\n")
        _, fs, _ = findings(tmp, f"deep/00{depth}_x.sql")
        check(has(fs, "parse-error") != ok, f"{depth} levels: {rules_of(fs)}")
        check(has(fs, "drop-table"), f"{depth} levels: the next statement")


def case_17_staged_symlink(tmp):
    r = repo(f"{tmp}/r", {"shared/real.sql": "CREATE TABLE a (id int);\n"})
    os.makedirs(f"{r}/db")
    os.symlink("../shared/real.sql", f"{r}/db/001_link.sql")
    git(r, "add", "-A")
    _, fs, _ = findings(r, "--staged")
    check(not has(fs, "parse-error"), f"the link's target path linted as SQL: {fs}")


def case_18_hygiene(tmp):
    r = repo(f"{tmp}/r", {"001_a.sql": "CREATE TABLE a (id int);\n"})
    hook = f"{r}/.git/hooks/pre-commit"
    foreign = "#!/bin/sh\n# also runs pgwarden-hook checks of ours\nexit 0\n"
    write(hook, foreign)
    os.chmod(hook, 0o755)
    rc, _, err = run(["hook", "install"], r)
    check(rc == 2 and open(hook).read() == foreign, f"a foreign hook taken for ours: {rc} {err}")
    # init never writes through a dangling symlink.
    outside = f"{tmp}/outside.json"
    os.symlink(outside, f"{r}/.pgwarden.json")
    rc, _, err = run(["init"], r)
    check(rc == 2 and not os.path.exists(outside), f"init through a dangling link: {rc} {err}")
    os.remove(f"{r}/.pgwarden.json")
    # --diff-base leaves .git/index alone (git runs without optional locks).
    time.sleep(1.1)
    os.utime(f"{r}/001_a.sql")
    before = open(f"{r}/.git/index", "rb").read(), os.stat(f"{r}/.git/index").st_mtime_ns
    rc, _, err = run(["check", "--diff-base", "HEAD"], r)
    after = open(f"{r}/.git/index", "rb").read(), os.stat(f"{r}/.git/index").st_mtime_ns
    check(rc in (0, 1) and before == after, f".git/index rewritten ({rc} {err})")
    rc, _, err = run(["check", "--diff-base", ""], r)
    check(rc == 2 and "--diff-base" in err, f"--diff-base '': exit {rc}")
    rc, _, err = run(["check", "no\nsuch.sql"], r)
    check(rc == 2 and err.count("\n") == 1, f"a two-line error: {err!r}")


def case_19_sanitizer_suppressions(tmp):
    # The ASan job suppresses exactly libpg_query's one-byte leak: one entry.
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    entries = [l for l in open(f"{root}/fuzz/lsan.supp") if l.strip() and not l.startswith("#")]
    check(entries == ["leak:pg_query_raw_parse\n"], f"lsan.supp: {entries}")
    ci = open(f"{root}/.ci/run").read()
    sanitizer_job = ci.split('echo "== sanitizers')[-1].split('echo "== fuzzing')[0]
    check("LSAN_OPTIONS=suppressions=$PWD/fuzz/lsan.supp" in sanitizer_job,
          "the sanitizer test job does not use the suppressions")
    if ASAN:  # the leak itself: a failing DO block, under LeakSanitizer
        write(f"{tmp}/001_a.sql", "DO $$ BEGIN syntax error here; END $$;\n")
        rc, _, err = run(["check", "001_a.sql"], tmp,
                         env={"LSAN_OPTIONS": f"suppressions={root}/fuzz/lsan.supp",
                              "ASAN_OPTIONS": "detect_leaks=1"})
        check(rc == 1 and "LeakSanitizer" not in err, f"leak reported: {err[-300:]}")


def main():
    only = set(sys.argv[2:])
    cases = [(n, f) for n, f in sorted(globals().items()) if n.startswith("case_")]
    for name, fn in cases:
        if only and name not in only and name[5:7] not in only:
            continue
        tmp = tempfile.mkdtemp(prefix="pgwarden-reliability-")
        t = time.monotonic()
        try:
            fn(tmp)
            print(f"  ok    {name} ({time.monotonic() - t:.1f} s)")
        except (Fail, subprocess.TimeoutExpired, json.JSONDecodeError, OSError) as e:
            FAILURES.append(name)
            print(f"  FAIL  {name}: {e}")
        finally:
            for root, dirs, _ in os.walk(tmp):
                for d in dirs:
                    try:
                        os.chmod(os.path.join(root, d), 0o755)
                    except OSError:
                        pass
            shutil.rmtree(tmp, ignore_errors=True)
    print(f"reliability: {len(cases) - len(FAILURES)} passed, {len(FAILURES)} failed")
    sys.exit(1 if FAILURES else 0)


if __name__ == "__main__":
    main()
