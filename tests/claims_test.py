#!/usr/bin/env python3
"""Every claim of the locking, rewrite and idempotency rules, on PostgreSQL 15.

    claims_test.py PGWARDEN CACHE_DIR

For each rule of those categories (tests/claims_cases.py), its metadata's bad
and good examples become migration sets after a setup migration with rows.
Then:
  - `pgwarden check` reports the rule on the bad example and not on the good
    one (the examples stay true to the rule);
  - one `pgwarden verify` run applies every set on a private cluster, and what
    pg_locks, relfilenode and pg_stat_xact_user_tables showed must match what
    the rule's message (bad) and help (good) say;
  - verify-static-mismatch reports nothing: the static predictions that the
    messages rest on agree with PostgreSQL on every example.
A rule of those categories with no case here fails the test.
"""
import json
import pathlib
import re
import subprocess
import sys

sys.path.insert(0, str(pathlib.Path(__file__).parent))
from claims_cases import CASES, EXTRA, EXTRA_SETUP, UNTESTABLE_ON_15, Trace  # noqa: E402
from verify_support import Env, check, finish, verify_json  # noqa: E402

PGW, CACHE = (str(pathlib.Path(a).resolve()) for a in sys.argv[1:3])
env = Env(PGW, CACHE)


def examples(rule):
    """The Bad: and Good: blocks of `pgwarden explain RULE`."""
    text = subprocess.run([PGW, "explain", rule], capture_output=True, text=True, check=True).stdout
    out, current = {}, None
    for line in text.splitlines():
        if line in ("Bad:", "Good:"):
            current = line[:-1].lower()
            out[current] = []
        elif current and (line.startswith("    ") or not line.strip()):
            out[current].append(line[4:])
        else:
            current = None
    return {k: "\n".join(v).strip() + "\n" for k, v in out.items()}


def claimed_rules():
    rules = json.loads(subprocess.run([PGW, "rules", "--format", "json"], capture_output=True,
                                      text=True, check=True).stdout)
    return [r["id"] for r in rules
            if r["category"] in ("locking", "idempotency") and not r["dynamic"]]


def write_set(root, name, setup, sql, probe=None):
    folder = root / name
    folder.mkdir(parents=True)
    (folder / "001_setup.sql").write_text(setup or "SELECT 1;\n")
    (folder / "002_example.sql").write_text(sql)
    if probe:
        (folder / "003_probe.sql").write_text(probe)
    return folder


def main():
    root = pathlib.Path(env.tmp) / "claims"
    cases = []  # (name, rule, kind, claim)
    rules = claimed_rules()
    for rule in rules:
        if not check(rule in CASES, f"{rule}: no claims case in tests/claims_cases.py"):
            continue
        case, ex = CASES[rule], examples(rule)
        for kind in ("bad", "good"):
            setup = case.get(f"{kind}_setup", case["setup"])
            write_set(root, f"{rule}-{kind}", setup, ex[kind], case.get("probe"))
            cases.append((f"{rule}-{kind}", rule, kind, case[kind]))
    for n, (rule, kind, setup, sql, claim) in enumerate(EXTRA):
        for needle, extra in EXTRA_SETUP.items():
            if needle in sql:
                setup += extra
        write_set(root, f"extra{n}-{rule}-{kind}", setup, sql)
        cases.append((f"extra{n}-{rule}-{kind}", rule, kind, claim))

    # The examples are true to the rule: it fires on bad, not on good.
    for name, rule, kind, _ in cases:
        r = env.run(["check", "--format", "json", "--enable", rule, str(root / name)])
        found = json.loads(r.stdout)["findings"] if r.stdout.startswith("{") else []
        hits = [f for f in found if f["path"].endswith("002_example.sql") and f["rule"] == rule]
        check(bool(hits) == (kind == "bad"),
              f"{name}: pgwarden check {'does not report' if kind == 'bad' else 'reports'} {rule}")

    result = env.run(["verify", "--format", "json", "."], cwd=str(root))
    report = verify_json(result)
    if not check("verify" in report, f"verify failed: {result.stderr.strip()[:500]}"):
        return
    traces = {m["path"]: m for m in report["verify"]["migrations"]}
    findings = report.get("findings", [])
    for name, rule, kind, claim in cases:
        example = traces.get(f"{name}/002_example.sql")
        probe = traces.get(f"{name}/003_probe.sql")
        own = [f for f in findings if f["path"].startswith(name + "/002")]
        try:
            ok = bool(claim(Trace(example, probe, own)))
        except (AssertionError, KeyError, TypeError) as e:
            ok = False
            print(f"  {name}: {e}")
        if not ok:
            print(f"  {name} trace: " + json.dumps(example, indent=None)[:1500])
            if probe:
                print(f"  {name} probe: " + json.dumps(probe, indent=None)[:1500])
        check(ok, f"{name}: PostgreSQL contradicts the {kind} claim of {rule}")
        for f in own:
            check(f["rule"] != "verify-static-mismatch",
                  f"{name}: static prediction disagrees: {f['message']}")
    print(f"{len(cases)} cases on PostgreSQL {report['verify']['server']}; "
          f"not testable on 15:")
    for line in UNTESTABLE_ON_15:
        print("  " + line)


if __name__ == "__main__":
    try:
        main()
    finally:
        env.cleanup()
    sys.exit(finish("claims"))
