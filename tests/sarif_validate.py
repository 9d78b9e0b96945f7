#!/usr/bin/env python3
"""Validates `pgwarden check --format sarif` against the official SARIF 2.1.0
JSON schema, plus what GitHub code scanning needs beyond the schema (rules
with help/helpUri, a level on every result, partial fingerprints, relative
URIs under %SRCROOT%) and what the schema cannot know (URIs point at the
linted files, ruleIndex matches ruleId).

Runs over fixtures/ (many rules, odd files) from the source folder, so paths
are relative, and over tests/golden/input given as an absolute path, so file://
URIs are covered too. Fails when the schema file is missing.

usage: sarif_validate.py PGWARDEN SOURCE_DIR SCHEMA
"""
import json
import os
import re
import subprocess
import sys
import urllib.parse

import jsonschema

URI_CHARS = re.compile(r"^(?:[A-Za-z0-9\-._~!$&'()*+,;=:@/]|%[0-9A-F]{2})*$")
problems = []


def check(cond, message):
    if not cond:
        problems.append(message)
    return cond


def sarif_of(pgw, cwd, target):
    proc = subprocess.run([pgw, "check", "--format", "sarif", "--fail-on", "never", target],
                          cwd=cwd, capture_output=True)
    if proc.returncode != 0:
        sys.exit(f"pgwarden check {target} exited {proc.returncode}: {proc.stderr.decode()}")
    return json.loads(proc.stdout)


def check_run(doc, cwd, label):
    run = doc["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    results = run["results"]
    check(len(results) > 0, f"{label}: no results")
    check(run["tool"]["driver"].get("name") == "pgwarden", f"{label}: driver name")
    ids = [r["id"] for r in rules]
    check(ids == sorted(set(ids)), f"{label}: rule ids not unique and sorted")
    for r in rules:
        where = f"{label}: rule {r.get('id')}"
        check(r.get("helpUri", "").startswith("https://"), f"{where}: helpUri")
        check(r.get("help", {}).get("text"), f"{where}: help.text")
        check(r.get("help", {}).get("markdown"), f"{where}: help.markdown")
        check(r.get("shortDescription", {}).get("text"), f"{where}: shortDescription")
        check(r.get("defaultConfiguration", {}).get("level") in ("error", "warning", "note"),
              f"{where}: defaultConfiguration.level")
        check(r.get("properties", {}).get("category"), f"{where}: properties.category")
    base = run["originalUriBaseIds"]["%SRCROOT%"].get("uri", "")
    check(base.startswith("file:///") and base.endswith("/"), f"{label}: %SRCROOT% uri {base!r}")
    root = urllib.parse.unquote(urllib.parse.urlparse(base).path)
    check(os.path.realpath(root) == os.path.realpath(cwd), f"{label}: %SRCROOT% is not {cwd}")
    seen = set()
    for res in results:
        where = f"{label}: {res.get('ruleId')}"
        idx = res.get("ruleIndex")
        check(isinstance(idx, int) and 0 <= idx < len(rules) and rules[idx]["id"] == res["ruleId"],
              f"{where}: ruleIndex {idx}")
        check(res.get("level") in ("error", "warning", "note"), f"{where}: level")
        if res.get("properties", {}).get("acknowledged"):
            check(res["level"] == "note", f"{where}: acknowledged finding is not a note")
        fp = res.get("partialFingerprints", {})
        check(len(fp) == 1, f"{where}: partialFingerprints")
        key = tuple(fp.items())
        check(key not in seen, f"{where}: duplicate fingerprint {key}")
        seen.add(key)
        loc = res["locations"][0]["physicalLocation"]
        art, region = loc["artifactLocation"], loc["region"]
        uri = art["uri"]
        check(URI_CHARS.match(uri), f"{where}: uri {uri!r} is not percent-encoded")
        if uri.startswith("file://"):
            check("uriBaseId" not in art, f"{where}: absolute uri with uriBaseId")
            path = urllib.parse.unquote(uri[len("file://"):])
        else:
            check(art.get("uriBaseId") == "%SRCROOT%", f"{where}: relative uri without %SRCROOT%")
            check(":" not in uri.split("/")[0], f"{where}: relative uri {uri!r} reads as a scheme")
            path = os.path.join(root, urllib.parse.unquote(uri))
        check(os.path.lexists(path), f"{where}: {uri!r} does not name a linted file")
        check(1 <= region["startLine"] <= region["endLine"], f"{where}: lines {region}")
        if region["startLine"] == region["endLine"]:
            check(region["startColumn"] < region["endColumn"], f"{where}: columns {region}")


def main():
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    pgw, source, schema_path = os.path.abspath(sys.argv[1]), sys.argv[2], sys.argv[3]
    if not os.path.isfile(schema_path):
        print(f"FAIL: SARIF schema {schema_path} is missing")
        return 1
    with open(schema_path, encoding="utf-8") as f:
        schema = json.load(f)
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    validator = cls(schema, format_checker=jsonschema.FormatChecker())

    golden_input = os.path.abspath(os.path.join(source, "tests", "golden", "input"))
    runs = [("fixtures", source, "fixtures"), ("absolute paths", source, golden_input)]
    for label, cwd, target in runs:
        doc = sarif_of(pgw, cwd, target)
        errors = sorted(validator.iter_errors(doc), key=lambda e: list(e.absolute_path))
        for e in errors[:20]:
            problems.append(f"{label}: schema: {'/'.join(map(str, e.absolute_path))}: {e.message}")
        check_run(doc, cwd, label)
        print(f"{label}: {len(doc['runs'][0]['results'])} results, "
              f"{len(doc['runs'][0]['tool']['driver']['rules'])} rules checked")
    for p in problems[:50]:
        print("FAIL " + p)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
