#!/usr/bin/env python3
"""Every key the config parser accepts (the only_keys lists and object kinds of
analyzer/engine/config.cpp) is in docs/pgwarden.schema.json and documented in
docs/config.md, and nothing else is in the schema; the README links to
docs/config.md; example configs validate against the schema.

usage: config_keys_test.py SOURCE_DIR"""
import json
import os
import re
import sys

import jsonschema

root = sys.argv[1]
src = open(os.path.join(root, "analyzer/engine/config.cpp")).read()
schema = json.load(open(os.path.join(root, "docs/pgwarden.schema.json")))
doc = open(os.path.join(root, "docs/config.md")).read()
readme = open(os.path.join(root, "README.md")).read()
failures = []

# only_keys(obj, "where", {"a", "b"}) and only_keys(v, key, {...}) in the parser.
parser = {}
for where, keys in re.findall(r'only_keys\(\s*\w+,\s*("[^"]*"|\w+),\s*\{([^}]*)\}', src, re.S):
    parser.setdefault(where.strip('"'), set()).update(re.findall(r'"([^"]+)"', keys))
top = parser.get("", set())
if len(top) < 10:
    failures.append(f"could not read the parser's top-level keys: {sorted(top)}")


def props(node):
    return set(node.get("properties", {}))


if props(schema) != top:
    failures.append(f"schema keys {sorted(props(schema))} != parser keys {sorted(top)}")
for key in top:
    if f"`{key}`" not in doc:
        failures.append(f"docs/config.md does not document `{key}`")
nested = {"header": "header", "rollback": "rollback", "risk_policy": "risk_policy"}
for where, keys in parser.items():
    if where in nested:
        got = props(schema["properties"][where])
        if got != keys:
            failures.append(f"schema {where}: {sorted(got)} != parser {sorted(keys)}")
    elif where.startswith("custom_rules"):
        got = props(schema["properties"]["custom_rules"]["items"])
        if got != keys:
            failures.append(f"schema custom_rules items: {sorted(got)} != parser {sorted(keys)}")
    for key in keys:
        if where and f"`{key}`" not in doc and f"`{where}.{key}`" not in doc and key not in doc:
            failures.append(f"docs/config.md does not document {where}.{key}")
if "(docs/config.md)" not in readme and "docs/config.md" not in readme:
    failures.append("README.md does not link to docs/config.md")

# The examples in docs/config.md validate; a misspelt key does not.
example = re.search(r"```jsonc\n(.*?)```", doc, re.S).group(1)
example = re.sub(r"//[^\n]*", "", example)
jsonschema.validate(json.loads(example), schema)
try:
    jsonschema.validate({"migration": ["db"]}, schema)
    failures.append("the schema accepts a misspelt key")
except jsonschema.ValidationError:
    pass

for f in failures:
    print("FAIL", f)
print(f"{1 if not failures else 0} passed, {1 if failures else 0} failed")
sys.exit(1 if failures else 0)
