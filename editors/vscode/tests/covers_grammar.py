#!/usr/bin/env python3
"""editors.tmlanguage_covers_grammar: the TextMate grammar highlights every
token class of grammar/Claw.g4, and nothing the g4 does not define.

It reads the g4 on its own (not through the generator's reader) and the
committed syntaxes/claw.tmLanguage.json, and checks:
  1. each lexer token class, except those in NO_SCOPE (each with its
     reason), has a pattern with the scope its class should have that
     matches a sample of the token (the samples are the g4's own examples);
  2. every pattern scoped as a keyword (keyword.control, storage.type,
     constant.language, keyword.operator.repeat) matches only words that
     are keyword literals of the g4, and has that keyword's own scope;
  3. every pattern scoped as punctuation or an operator matches exactly
     one literal of the g4's lexer rules, and none matches a word.
The patterns are Oniguruma expressions that Python's re also reads (the
generator keeps them so); which pattern wins where is left to the scope
tests (editors.scopes, editors.examples), which run the real engine.
"""

import json
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, "..", "..", ".."))
G4 = os.path.join(ROOT, "grammar", "Claw.g4")
TMLANGUAGE = os.path.join(HERE, "..", "syntaxes", "claw.tmLanguage.json")

NO_SCOPE = {
    "WS": "whitespace is not coloured",
    "UNTERMINATED_STRING": "an error token: coloured as the string it opens (to the end of its line)",
    "UNTERMINATED_COMMENT": "an error token: coloured as the block comment it opens (to the end of the file)",
    "ERROR_CHAR": "an error token (any other character): claw's diagnostic marks it, no colour does",
}

# Token classes that are not one literal: a sample of each (from the g4's
# comments), the scope a match must carry, and texts the pattern must not
# match in full.
SAMPLES = {
    "QUANTITY": (["24GiB", "500m", "30s", "2.5GB", "1_000Mi"], "constant.numeric.quantity.claw", ["24", "2.5", "GiB"]),
    "FLOAT": (["1.5", "0.25", "1_000.5"], "constant.numeric.float.claw", ["1.", ".5", "1"]),
    "INT": (["0", "42", "1_000"], "constant.numeric.integer.claw", ["1_", "_1", "1.5"]),
    "IDENT": (["web", "web-2", "_x", "kube-prometheus-stack", "a_b"], "variable.other.claw", ["web-", "2web", "-a"]),
}


def lexer_rules(text):
    """(name, body) of each non-fragment lexer rule of the g4, in order."""
    text = re.sub(r"^\s*//.*$", "", text, flags=re.M)
    out = []
    for m in re.finditer(r"^(fragment\s+)?([A-Z][A-Z_]*)\s*:(.*?);\s*(?://.*)?$", text, re.M | re.S):
        if not m.group(1):
            out.append((m.group(2), " ".join(m.group(3).split())))
    return out


def single_literal(body):
    m = re.fullmatch(r"'((?:\\.|[^'\\])*)'", body.strip())
    return m.group(1).replace("\\\\", "\\") if m else None


def patterns(node, found):
    """Every (regex, scope, group) the grammar holds: group 0 for a whole
    match or a begin/end rule's name."""
    if isinstance(node, list):
        for n in node:
            patterns(n, found)
        return found
    if not isinstance(node, dict):
        return found
    name = node.get("name")
    for key in ("match", "begin"):
        if key in node and name:
            found.append((node[key], name, 0))
    for key, caps in (("captures", node.get("captures")), ("beginCaptures", node.get("beginCaptures"))):
        regex = node.get("match") or node.get("begin")
        for group, cap in (caps or {}).items():
            if "name" in cap:
                found.append((regex, cap["name"], int(group)))
    for group, cap in (node.get("endCaptures") or {}).items():
        if "name" in cap:
            found.append((node["end"], cap["name"], int(group)))
    if "end" in node and "captures" in node:
        for group, cap in node["captures"].items():
            found.append((node["end"], cap["name"], int(group)))
    for v in node.values():
        if isinstance(v, (dict, list)):
            patterns(v, found)
    return found


def matches(regex, group, line, text):
    """True when `regex` applied to `line` makes `group` exactly `text`."""
    for m in re.finditer(regex, line):
        if m.group(group) == text:
            return True
    return False


def keyword_word(scope):
    """The keyword a keyword scope stands for (storage.type.service.claw:
    service; the repeat operator: x), or None for any other scope."""
    if scope.startswith("keyword.operator.repeat"):
        return "x"
    if scope.startswith(("keyword.control.", "storage.type.", "constant.language.")):
        return scope.split(".")[-2]
    return None


def keyword_sample(word, literals):
    """A line where the g4 reads `word` as a keyword."""
    if word in ("true", "false", "null"):
        return f"  a = {word}"
    if word == "x":
        return '  gpu "RTX PRO 4500" x 2 {'
    if word == "import":
        return 'import "std/charts"'
    return f"{word} name {{"


def main():
    with open(G4, encoding="utf-8") as f:
        rules = lexer_rules(f.read())
    with open(sys.argv[1] if len(sys.argv) > 1 else TMLANGUAGE, encoding="utf-8") as f:
        grammar = json.load(f)
    found = patterns(grammar, [])
    names = [n for n, _ in rules]
    errors = []
    for n in NO_SCOPE:
        if n not in names:
            errors.append(f"NO_SCOPE lists {n}, which the g4 no longer has")
    literals = {n: single_literal(b) for n, b in rules}
    keywords = {n: t for n, t in literals.items() if t and t.isalpha()}
    punct = {n: t for n, t in literals.items() if t and not t.isalpha()}
    all_literals = set(re.findall(r"'((?:\\.|[^'\\])*)'", " ".join(b for _, b in rules)))

    # 1. Every token class has its scope.
    for n, body in rules:
        if n in NO_SCOPE:
            continue
        if n in keywords:
            w = keywords[n]
            sample = keyword_sample(w, literals)
            ok = any(keyword_word(scope) == w
                     and matches(rx, g, sample, w) for rx, scope, g in found)
            if not ok:
                errors.append(f"keyword {n} (`{w}`) has no keyword scope in `{sample}`")
        elif n in punct:
            t = punct[n]
            if not any(scope.startswith(("punctuation.", "keyword.operator.")) and re.fullmatch(rx, t) and g == 0
                       for rx, scope, g in found):
                errors.append(f"{n} (`{t}`) has no punctuation or operator pattern")
        elif n in SAMPLES:
            good, scope_want, bad = SAMPLES[n]
            mine = [rx for rx, scope, g in found if scope == scope_want and g == 0]
            if not mine:
                errors.append(f"{n} has no pattern scoped {scope_want}")
            for s in good:
                if not any(re.fullmatch(rx, s) for rx in mine):
                    errors.append(f"{n}: `{s}` is one token in the g4 but no {scope_want} pattern matches it whole")
            for s in bad:
                if any(re.fullmatch(rx, s) for rx in mine):
                    errors.append(f"{n}: `{s}` is not one {n} token in the g4, but a {scope_want} pattern matches it")
            if n == "QUANTITY" and not any(scope == "keyword.other.unit.claw" and matches(rx, g, "24GiB", "GiB")
                                           for rx, scope, g in found):
                errors.append("QUANTITY: the unit of `24GiB` has no keyword.other.unit scope of its own")
        elif n == "STRING":
            for opener, scope_want in (('"', "string.quoted.double.claw"), ('"""', "string.quoted.triple.claw")):
                if not any(scope == scope_want and re.fullmatch(rx, opener) for rx, scope, g in found):
                    errors.append(f"STRING: no {scope_want} rule opens with {opener}")
            if not any(scope == "constant.character.escape.claw" and re.fullmatch(rx, '\\"') for rx, scope, g in found):
                errors.append("STRING: the escape \\\" has no constant.character.escape scope")
            if not any(scope.startswith("punctuation.section.interpolation.begin") and re.fullmatch(rx, "${")
                       for rx, scope, g in found):
                errors.append("STRING: `${` does not open an interpolation")
        elif n in ("LINE_COMMENT", "BLOCK_COMMENT"):
            opener, scope_want = ("//", "comment.line.double-slash.claw") if n == "LINE_COMMENT" else ("/*", "comment.block.claw")
            if not any(scope == scope_want and re.fullmatch(rx, opener) for rx, scope, g in found):
                errors.append(f"{n}: no {scope_want} rule opens with {opener}")
        else:
            errors.append(f"lexer rule {n} is new: give it a sample here and a scope in the generator")

    # 2. Keyword scopes match only the g4's keywords, each its own.
    words = set(keywords.values())
    for rx, scope, g in found:
        if not scope.startswith(("keyword.control.", "storage.type.", "constant.language.", "keyword.operator.repeat")):
            continue
        w = keyword_word(scope)
        if w not in words:
            errors.append(f"scope {scope} names `{w}`, which is no keyword of the g4")
            continue
        for other in words - {w}:
            if matches(rx, g, keyword_sample(other, literals), other):
                errors.append(f"the pattern scoped {scope} also matches the keyword `{other}`")
        for plain in ("services", "my-service", "service-a", "xs", "truth", "nullable", "enums"):
            if matches(rx, g, keyword_sample(plain, literals), plain) or matches(rx, g, f"{plain} name {{", plain):
                errors.append(f"the pattern scoped {scope} matches the name `{plain}`")

    # 3. Punctuation and operators are the g4's literals.
    delimiters = {"${", "}", "$${"}  # interpolation (compiler/syntax/literals.cpp), not a g4 token
    for rx, scope, g in found:
        if not scope.startswith(("punctuation.", "keyword.operator.")) or scope.startswith("keyword.operator.repeat"):
            continue
        if scope.startswith(("punctuation.definition.string", "punctuation.definition.comment")):
            continue
        if g != 0 and not scope.startswith("punctuation.section"):
            continue
        hits = [lit for lit in all_literals | delimiters if re.fullmatch(rx, lit)]
        if g == 0 and not hits:
            errors.append(f"the pattern `{rx}` scoped {scope} matches no literal of the g4")
        if g == 0 and re.search(rx, "service web x"):
            errors.append(f"the pattern `{rx}` scoped {scope} matches a word")

    for e in errors:
        print(e)
    covered = len([n for n, _ in rules if n not in NO_SCOPE])
    print(f"{covered} token classes covered, {len(NO_SCOPE)} without a scope: "
          + "; ".join(f"{k} ({v})" for k, v in NO_SCOPE.items()))
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
