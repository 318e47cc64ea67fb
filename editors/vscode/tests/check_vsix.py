#!/usr/bin/env python3
"""Checks a packed claw.vsix (a zip, https://code.visualstudio.com/api/working-with-extensions/publishing-extension):
it holds the manifest, the grammar, the language configuration, the
extension and its runtime dependency, and none of the development files."""

import json
import sys
import zipfile

MUST = [
    "extension.vsixmanifest",
    "extension/package.json",
    "extension/syntaxes/claw.tmLanguage.json",
    "extension/language-configuration.json",
    "extension/extension.js",
    "extension/node_modules/vscode-languageclient/package.json",
]
MUST_NOT = ["extension/tools/", "extension/tests/", "extension/node_modules/@vscode/vsce/",
            "extension/node_modules/vscode-tmgrammar-test/"]


def main(path):
    with zipfile.ZipFile(path) as z:
        names = z.namelist()
        errors = [f"{path} lacks {m}" for m in MUST if m not in names]
        errors += [f"{path} holds {n}, a development file" for n in names for p in MUST_NOT if n.startswith(p)]
        if "extension/package.json" in names:
            manifest = json.loads(z.read("extension/package.json"))
            grammars = manifest.get("contributes", {}).get("grammars", [])
            if not any(g.get("scopeName") == "source.claw" for g in grammars):
                errors.append("the packed package.json contributes no source.claw grammar")
        if "extension/syntaxes/claw.tmLanguage.json" in names:
            if json.loads(z.read("extension/syntaxes/claw.tmLanguage.json")).get("scopeName") != "source.claw":
                errors.append("the packed grammar's scopeName is not source.claw")
    for e in errors[:20]:
        print(e)
    print(f"{path}: {len(names)} files, {len(errors)} problems")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
