#!/usr/bin/env python3
"""Golden tests of the report formats: runs `pgwarden check --format F input`
in tests/golden (so paths are relative and tests/golden/.pgwarden.json is the
configuration) and compares the output byte for byte with tests/golden/expected.*.

Outputs that would change for reasons unrelated to the reporters are replaced
by placeholders before comparing: the tool version (@VERSION@) and the SARIF
%SRCROOT% URI of the repository root (@SRCROOT@).

Regenerate the expected files after an intended change, then review the diff:
    UPDATE_GOLDEN=1 ctest -R report_golden      (from the build folder)
or  UPDATE_GOLDEN=1 python3 tests/golden_test.py BUILD/pgwarden tests/golden

usage: golden_test.py PGWARDEN GOLDEN_DIR
"""
import difflib
import os
import subprocess
import sys
import urllib.parse

FORMATS = {
    "sarif": "expected.sarif.json",
    "github": "expected.github.txt",
    "markdown": "expected.md",
    "gitlab": "expected.gitlab.json",
}


def version(pgw):
    out = subprocess.run([pgw, "--version"], capture_output=True, text=True, check=True).stdout
    # "pgwarden 0.1.0 (git ...) parser PostgreSQL 15.1 (...)": the release is the second word.
    words = out.split()
    if len(words) < 2 or words[0] != "pgwarden":
        sys.exit(f"unexpected --version output: {out!r}")
    return words[1]


def source_root(golden_dir):
    """The repository root (SARIF's %SRCROOT% since SPEC v2 §1), else the folder."""
    top = subprocess.run(["git", "-C", golden_dir, "rev-parse", "--show-toplevel"],
                         capture_output=True, text=True)
    return top.stdout.strip() if top.returncode == 0 else os.path.realpath(golden_dir)


def normalize(output, golden_dir, ver):
    root = source_root(golden_dir)
    uri = "file://" + urllib.parse.quote(root, safe="/-._~") + "/"
    return output.replace(uri.encode(), b"@SRCROOT@").replace(ver.encode(), b"@VERSION@")


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    pgw, golden_dir = os.path.abspath(sys.argv[1]), sys.argv[2]
    update = os.environ.get("UPDATE_GOLDEN") == "1"
    ver = version(pgw)
    failures = 0
    for fmt, name in FORMATS.items():
        proc = subprocess.run([pgw, "check", "--format", fmt, "--jobs", "2", "input"],
                              cwd=golden_dir, capture_output=True)
        # The input has errors: exit 1. 0 would mean the findings are gone, 2 a failure.
        if proc.returncode != 1:
            print(f"FAIL {fmt}: exit {proc.returncode}, expected 1\n{proc.stderr.decode()}")
            failures += 1
            continue
        got = normalize(proc.stdout, golden_dir, ver)
        path = os.path.join(golden_dir, name)
        if update:
            with open(path, "wb") as f:
                f.write(got)
            print(f"updated {path}")
            continue
        try:
            with open(path, "rb") as f:
                want = f.read()
        except FileNotFoundError:
            print(f"FAIL {fmt}: {path} is missing (UPDATE_GOLDEN=1 writes it)")
            failures += 1
            continue
        if got != want:
            failures += 1
            got_lines = got.decode(errors="replace").splitlines()
            want_lines = want.decode(errors="replace").splitlines()
            diff = difflib.unified_diff(want_lines, got_lines, name, f"pgwarden --format {fmt}",
                                        lineterm="", n=2)
            print(f"FAIL {fmt}: output differs from {name}")
            for line in list(diff)[:60]:
                print("  " + line)
        else:
            print(f"ok   {fmt}")
    if failures:
        print(f"{failures} golden comparison(s) failed; if the change is intended, "
              "rerun with UPDATE_GOLDEN=1 and review the diff")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
