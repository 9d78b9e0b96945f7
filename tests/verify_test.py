#!/usr/bin/env python3
"""`pgwarden verify` against a real PostgreSQL (SPEC §9).

    verify_test.py PGWARDEN SOURCE_DIR CACHE_DIR fixtures|drift

fixtures: each fixtures/verify/<rule>/<case>/ folder (drift-* excepted) is a
migration set; one verify run applies them all, each in its own database.
Every `-- expect: rule ["part of the message"]` marker must match a finding
that starts on its line; only the folder's rule and the expected rules are
compared (case.json {"compare": "all"} compares all). bad* cases expect the
rule, good* cases do not. Every dynamic rule has both.

drift: the drift-* cases against a live database started for the test:
their migrations are applied to it with psql, then live.psql ({{crc32:F}},
{{sha256:F}}, {{sha384:F}} replaced by F's checksum), then `verify --drift`
must report what the markers say (expect-unplaced: findings that name the
database). The issue's scenario is also run while another session holds
ACCESS EXCLUSIVE on one table and a third records every lock the drift
backend holds; then a scratch --database-url run, and the HTML report in
headless Chromium.
"""
import json
import pathlib
import re
import shutil
import subprocess
import sys
import time

sys.path.insert(0, str(pathlib.Path(__file__).parent))
from verify_support import (Env, Live, check, compare_case, finish, png_pixels, substitute,  # noqa: E402
                            verify_json)

PGW, ROOT, CACHE, PART = sys.argv[1:5]
FIX = pathlib.Path(ROOT) / "fixtures" / "verify"
env = Env(PGW, CACHE)


def dynamic_rules():
    rules = json.loads(subprocess.run([PGW, "rules", "--format", "json"], capture_output=True,
                                      text=True, check=True).stdout)
    return [r["id"] for r in rules if r.get("dynamic")]


def cases(drift):
    return [c for c in sorted(FIX.glob("*/*")) if c.is_dir() and c.parent.name.startswith("drift-") == drift]


def fixtures_part():
    rules = dynamic_rules()
    check(len(rules) >= 10, f"dynamic rules listed by `rules --format json`: {rules}")
    for rule in rules:
        names = [c.name for c in FIX.glob(rule + "/*")]
        check(any(n.startswith("bad") for n in names) and any(n.startswith("good") for n in names),
              f"{rule}: fixtures/verify/{rule}/ needs a bad and a good case, has {names}")
    todo = cases(False)
    started = time.time()
    r = env.run(["verify", "--format", "json"] + [str(c.relative_to(FIX)) for c in todo], cwd=FIX)
    print(f"verify of {len(todo)} cases: exit {r.returncode}, {time.time() - started:.2f} s")
    check(r.returncode == 1, f"fixtures run exits 1 (errors found), got {r.returncode}: {r.stderr}")
    findings = verify_json(r)["findings"]
    for case in todo:
        spec = json.loads((case / "case.json").read_text()) if (case / "case.json").exists() else {}
        for p in compare_case(case, case.parent.name, findings, spec.get("compare") == "all"):
            check(False, p)
    check(env.leftovers() == ([], []), f"nothing left behind: {env.leftovers()}")


def apply_case(live, case, db):
    live.psql("postgres", f"CREATE DATABASE {db}")
    files = sorted((f for f in case.rglob("*.sql")),
                   key=lambda f: [int(x) if x.isdigit() else x for x in re.split(r"(\d+)", str(f.relative_to(case)))])
    for f in files:
        live.psql(db, file=str(f))
    script = case / "live.psql"
    if script.exists():
        done = env.tmp + f"/{db}.psql"
        pathlib.Path(done).write_text(substitute(script.read_text(), case))
        live.psql(db, file=done)


def drift_run(live, case, db, *extra, fmt="json"):
    return env.run(["verify", "--drift", "--fail-on", "warning", "--database-url", live.url(db), "--format", fmt, *extra,
                    str(case.relative_to(FIX))], cwd=FIX)


def lock_watch(live, case, db):
    """The scenario again, with ACCESS EXCLUSIVE held on public.audit by one
    session and every lock of the drift backend recorded by another."""
    live.psql("postgres", "CREATE TABLE IF NOT EXISTS seen (pid int, locktype text, relation oid, mode text, "
                          "granted bool, xid text)")
    hold = subprocess.Popen(["psql", "-X", "-q", "-h", live.folder, "-U", "postgres", "-d", db, "-c",
                             "BEGIN; LOCK TABLE audit IN ACCESS EXCLUSIVE MODE; SELECT pg_sleep(8); COMMIT;"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    watch = subprocess.Popen(["psql", "-X", "-q", "-h", live.folder, "-U", "postgres", "-d", "postgres", "-c", f"""
        DO $$ BEGIN FOR i IN 1..6000 LOOP
          INSERT INTO seen SELECT a.pid, l.locktype, l.relation, l.mode, l.granted, a.backend_xid::text
            FROM pg_stat_activity a JOIN pg_locks l ON l.pid = a.pid
           WHERE a.application_name = 'pgwarden drift' AND a.datname = '{db}';
          PERFORM pg_stat_clear_snapshot();
          EXIT WHEN i > 300 AND EXISTS (SELECT 1 FROM seen) AND NOT EXISTS (
            SELECT 1 FROM pg_stat_activity WHERE application_name = 'pgwarden drift');
          PERFORM pg_sleep(0.0005);
        END LOOP; END $$;"""], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    time.sleep(0.5)
    started = time.time()
    r = drift_run(live, case, db)
    took = time.time() - started
    watch.wait(timeout=60)
    hold.wait(timeout=60)
    check(took < 5, f"drift with a held ACCESS EXCLUSIVE lock returns at once ({took:.2f} s)")
    for p in compare_case(case, case.parent.name, verify_json(r)["findings"], True, True):
        check(False, "with a lock held: " + p)
    notes = [n for c in verify_json(r).get("verify", {}).get("comparisons", []) for n in c["notes"]]
    check(any(n.startswith("public.audit: not compared") for n in notes) and
          any(n.startswith("public.recent_audit") for n in notes),
          f"the locked table and the view reading it are left out, and said so: {notes}")
    rows = live.psql("postgres", "SELECT pid, locktype, relation, mode, granted, coalesce(xid, '') FROM seen").stdout
    samples = [line.split("|") for line in rows.splitlines() if line]
    check(samples, f"the drift backend was seen while it ran: {watch.stderr}")
    user = set(live.psql(db, "SELECT oid FROM pg_class WHERE relnamespace = 'public'::regnamespace").stdout.split())
    bad = [s for s in samples if s[1] == "relation" and s[2] in user and s[3] != "AccessShareLock"]
    check(not bad, f"no lock but a momentary ACCESS SHARE on user relations: {bad[:5]}")
    check(not [s for s in samples if s[4] != "t"], "the drift backend never waits for a lock")
    check(not [s for s in samples if s[5]], "the drift backend writes nothing (no transaction id)")
    print(f"lock watch: {len(samples)} lock rows of the drift backend sampled, drift took {took:.2f} s")
    return r


def html_part(live, case, db):
    page = pathlib.Path(env.tmp) / "drift.html"
    r = drift_run(live, case, db, "--output", str(page), fmt="html")
    check(r.returncode == 1 and page.exists(), f"--format html writes the page: {r.stderr}")
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if not check(chromium is not None, "chromium is installed (scripts/setup)"):
        return
    flags = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
             "--disable-background-networking", "--disable-component-update", "--disable-sync",
             f"--user-data-dir={env.tmp}/chromium-profile"]
    dom = subprocess.run([chromium, *flags, "--dump-dom", page.as_uri()], capture_output=True, text=True,
                         timeout=120).stdout
    rows = re.findall(r'<tr class="([^"]*)" id="[^"]*"><th class="obj"><span class="kind">([^<]*)</span> <code>([^<]*)</code>',
                      dom)
    by_name = {(k, n): cls for cls, k, n in rows}
    check(by_name.get(("index", "public.users_email")) == "diff breaking missing",
          f"the dropped index is a red breaking difference: {by_name.get(('index', 'public.users_email'))}")
    check(by_name.get(("column", "public.users.tmp_flag")) == "diff extra",
          f"the extra column is a (non-breaking) difference: {by_name.get(('column', 'public.users.tmp_flag'))}")
    check(by_name.get(("column", "public.orders.status")) == "diff changed",
          f"the changed default is a difference: {by_name.get(('column', 'public.orders.status'))}")
    check(by_name.get(("table", "public.orders")) == "same", "unchanged objects are listed, not highlighted")
    check(dom.count('class="copy"') >= len(rows), "a copy button beside each definition")
    check("default 'new'::text -&gt; 'open'::text" in dom, "the difference is named on the page")
    check("<script" in dom and "http://" not in dom.split("<body")[0] and "https://" not in dom.split("<body")[0],
          "self-contained: no external assets")
    shot = pathlib.Path(CACHE).parent / "verify-report.png"
    subprocess.run([chromium, *flags, "--window-size=1400,1000", f"--screenshot={shot}", page.as_uri()],
                   capture_output=True, timeout=120)
    if check(shot.exists(), "chromium took a screenshot"):
        w, h, pixels = png_pixels(shot)
        red = sum(1 for row in pixels for (r_, g, b) in row if r_ > 150 and g < 80 and b < 80)
        pink = sum(1 for row in pixels for (r_, g, b) in row if (r_, g, b) == (0xfd, 0xec, 0xea))
        check(red > 50 and pink > 500, f"the breaking difference renders red ({red} red, {pink} red-background pixels)")
        print(f"screenshot {shot} ({w}x{h})")


def drift_part():
    live = Live(env)
    try:
        for n, case in enumerate(cases(True)):
            db = f"c{n}_" + re.sub(r"\W", "_", case.parent.name + "_" + case.name)
            apply_case(live, case, db)
            r = drift_run(live, case, db)
            spec = json.loads((case / "case.json").read_text()) if (case / "case.json").exists() else {}
            expect_rc = 1 if case.name.startswith("bad") else 0
            check(r.returncode == expect_rc, f"{case.relative_to(FIX)}: exit {r.returncode}, expected "
                                             f"{expect_rc}: {r.stderr.strip()}")
            for p in compare_case(case, case.parent.name, verify_json(r)["findings"], spec.get("compare") == "all", True):
                check(False, p)
            if case.name == "bad-scenario":
                lock_watch(live, case, db)
                html_part(live, case, db)
        # --database-url: an existing scratch database instead of a private cluster.
        live.psql("postgres", "CREATE DATABASE scratch")
        case = FIX / "verify-rewrite" / "bad"
        r = env.run(["verify", "--format", "json", "--database-url", live.url("scratch"),
                     str(case.relative_to(FIX))], cwd=FIX)
        for p in compare_case(case, "verify-rewrite", verify_json(r)["findings"], False):
            check(False, "--database-url: " + p)
        check(live.psql("scratch", "SELECT count(*) FROM orders").stdout.strip() == "0",
              "--database-url changes the scratch database (orders exists, truncated)")
    finally:
        live.stop()
    check(env.leftovers() == ([], []), f"nothing left behind: {env.leftovers()}")


try:
    {"fixtures": fixtures_part, "drift": drift_part}[PART]()
finally:
    env.cleanup()
sys.exit(finish("verify_test " + PART))
