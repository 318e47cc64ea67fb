#!/usr/bin/env python3
"""Writes the key list of a Helm chart's values.yaml, for chart_keys_test.

Usage: extract_keys.py [--header TEXT]... [PREFIX=]VALUES.yaml...

Each VALUES file's keys are listed under PREFIX (a subchart's values go
under its name: grafana=grafana-values.yaml). One key path per line, in
claw's spelling: names joined by `.`, a name that is not a bare claw name
quoted ("grafana.ini"). A key whose value in the chart is an empty map or
null is open (the chart takes any keys there, e.g. a Kubernetes object) and
gets a second line, `PATH.*`. Lists are not entered: their items are values.
"""
import re
import sys

import yaml

BARE = re.compile(r"[A-Za-z_]([A-Za-z0-9_-]*[A-Za-z0-9_])?\Z")
ESCAPES = {'"': '\\"', "\\": "\\\\", "$": "\\$", "\n": "\\n", "\t": "\\t", "\r": "\\r"}


def spell(key):
    """A key as a claw program writes it (compiler/syntax/key_spelling.cpp)."""
    if BARE.match(key) and key not in ("true", "false", "null"):
        return key
    return '"' + "".join(ESCAPES.get(c, c) for c in key) + '"'


def walk(node, path, out):
    for key, value in node.items():
        here = path + [spell(str(key))]
        out.add(".".join(here))
        if value is None or value == {}:
            out.add(".".join(here) + ".*")
        elif isinstance(value, dict):
            walk(value, here, out)


def main(argv):
    headers, keys = [], set()
    args = iter(argv)
    for arg in args:
        if arg == "--header":
            headers.append(next(args))
            continue
        prefix, _, path = arg.rpartition("=")
        with open(path, encoding="utf-8") as f:
            values = yaml.safe_load(f) or {}
        walk(values, [spell(p) for p in prefix.split(".")] if prefix else [], keys)
    for h in headers:
        print("# " + h)
    for k in sorted(keys):
        print(k)


if __name__ == "__main__":
    main(sys.argv[1:])
