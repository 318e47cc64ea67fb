#!/usr/bin/env python3
"""Reads back every YAML file claw_yaml_corpus wrote with PyYAML, with both
its loaders (the pure-Python SafeLoader and libyaml's CSafeLoader when
built in), and requires exactly the documents, kinds and strings that
expected.json names.

    check_pyyaml.py DIR
"""
import json
import os
import sys

import yaml


def loaders():
    yield "SafeLoader", yaml.SafeLoader
    if getattr(yaml, "CSafeLoader", None) is not None:
        yield "CSafeLoader", yaml.CSafeLoader


def same(got, want, where, errors):
    """Appends to errors each place where got is not exactly want."""
    if isinstance(want, dict) and "$yaml" in want and len(want) == 1:
        if not isinstance(got, str):
            errors.append(f"{where}: not a string: {got!r}")
            return
        try:
            inner = yaml.load(got, Loader=current_loader)
        except yaml.YAMLError as e:
            errors.append(f"{where}: the embedded YAML does not load: {e}")
            return
        same(inner, want["$yaml"], where + "<yaml>", errors)
        return
    if isinstance(want, dict):
        if not isinstance(got, dict):
            errors.append(f"{where}: a map expected, got {got!r:.200}")
            return
        for key in want.keys() - got.keys():
            errors.append(f"{where}: key {key!r} missing")
        for key in got.keys() - want.keys():
            errors.append(f"{where}: key {key!r} not written by claw")
        for key in want.keys() & got.keys():
            same(got[key], want[key], f"{where}.{key!r:.60}", errors)
    elif isinstance(want, list):
        if not isinstance(got, list) or len(got) != len(want):
            errors.append(f"{where}: a list of {len(want)} expected, got {got!r:.200}")
            return
        for i, (g, w) in enumerate(zip(got, want)):
            same(g, w, f"{where}[{i}]", errors)
    elif type(got) is not type(want) or got != want:
        errors.append(f"{where}: {want!r:.100} written, {got!r:.100} read back")


def at(doc, path):
    for step in path:
        doc = doc[step]
    return doc


current_loader = None


def main():
    global current_loader
    folder = sys.argv[1]
    with open(os.path.join(folder, "expected.json"), encoding="utf-8") as f:
        expected = json.load(f)
    failures = 0
    for loader_name, loader in loaders():
        current_loader = loader
        for name, want in expected.items():
            if not name.endswith(".yaml"):
                continue
            errors = []
            with open(os.path.join(folder, name), "rb") as f:
                text = f.read().decode("utf-8")
            try:
                docs = list(yaml.load_all(text, Loader=loader))
            except yaml.YAMLError as e:
                errors.append(f"does not load: {e}")
                docs = None
            if docs is not None:
                if len(docs) != want["docs"]:
                    errors.append(f"{len(docs)} documents, {want['docs']} written")
                elif "kinds" in want:
                    kinds = [d.get("kind") if isinstance(d, dict) else None for d in docs]
                    if kinds != want["kinds"]:
                        errors.append(f"kinds {kinds}, {want['kinds']} written")
                if not errors:
                    for doc, path, value in want["checks"]:
                        try:
                            got = at(docs[doc], path)
                        except (KeyError, IndexError, TypeError) as e:
                            errors.append(f"document {doc} has no {path}: {e!r}")
                            continue
                        same(got, value, f"document {doc} {path}", errors)
            for e in errors[:20]:
                print(f"pyyaml {loader_name}: {name}: {e}")
            if len(errors) > 20:
                print(f"pyyaml {loader_name}: {name}: ... {len(errors) - 20} more")
            failures += len(errors)
    if failures:
        print(f"pyyaml: FAILED: {failures} mismatches over {expected['corpus_size']} hostile strings")
        return 1
    print(f"pyyaml {yaml.__version__}: every file read back exactly ({expected['corpus_size']} hostile strings)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
