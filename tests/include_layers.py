#!/usr/bin/env python3
"""Includes only go down (README "Layout"): fails when a file of analyzer/ or
rules/ includes a header of a layer above its own, or of a sibling layer it
has no business reading.

    include_layers.py SOURCE_DIR

Every `#include "x/y.h"` names its layer by its first folder; includes without
a folder are a file's neighbours in its own folder (rules/support.h), and a
header that exists nowhere in the tree (generated ones) is left to the build.
"""
import pathlib
import re
import sys

# What each layer may include, itself included. The order is the data flow:
# bytes -> statements -> migration sets -> findings -> report, the CLI on top.
ALLOWED = {
    "frontend": {"frontend"},
    "schema": {"frontend", "schema"},
    "tools": {"frontend", "tools"},
    "sets": {"frontend", "schema", "tools", "sets"},
    "git": {"frontend", "git"},
    "engine": {"frontend", "schema", "tools", "sets", "engine"},
    "rules": {"frontend", "schema", "tools", "sets", "engine", "rules"},
    "report": {"frontend", "schema", "tools", "sets", "engine", "report"},
    "verify": {"frontend", "schema", "tools", "sets", "engine", "git", "verify"},
    "cli": {"frontend", "schema", "tools", "sets", "engine", "git", "report", "verify", "cli"},
}

INCLUDE = re.compile(r'^\s*#\s*include\s+"([^"]+)"', re.M)


def layer_of(path: pathlib.Path, root: pathlib.Path) -> str:
    rel = path.relative_to(root).parts
    return rel[1] if rel[0] == "analyzer" else rel[0]


def main() -> int:
    root = pathlib.Path(sys.argv[1]).resolve()
    files = [p for d in ("analyzer", "rules") for p in (root / d).rglob("*")
             if p.suffix in (".h", ".cpp", ".in")]
    problems = []
    layers_seen = set()
    for path in sorted(files):
        layer = layer_of(path, root)
        layers_seen.add(layer)
        if layer not in ALLOWED:
            problems.append(f"{path.relative_to(root)}: folder '{layer}' is no known layer "
                            "(add it to tests/include_layers.py with what it may include)")
            continue
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            m = INCLUDE.match(line)
            if not m:
                continue
            target = m.group(1)
            if "/" not in target:
                if not (path.parent / target).exists() and (root / "analyzer" / target).exists():
                    problems.append(f"{path.relative_to(root)}:{n}: '{target}' needs its layer "
                                    "folder (\"schema/model.h\")")
                continue
            to = target.split("/")[0]
            if not (root / "analyzer" / target).exists() and not (root / target).exists():
                continue  # generated or system header
            if to not in ALLOWED[layer]:
                problems.append(f"{path.relative_to(root)}:{n}: layer '{layer}' includes "
                                f"'{target}' of layer '{to}'; it may include only "
                                f"{', '.join(sorted(ALLOWED[layer]))}")
    for p in problems:
        print(p)
    if not files or "frontend" not in layers_seen:
        print(f"no analyzer sources under {root}")
        return 1
    print(f"{len(files)} files, {len(problems)} upward or sideways includes")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
