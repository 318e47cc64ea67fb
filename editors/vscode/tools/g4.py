"""Reads the rules of an ANTLR 4 grammar (grammar/Claw.g4) and turns the
lexer rules it uses into Oniguruma regular expressions (the engine TextMate
grammars run on). Only the subset of ANTLR's lexer notation that Claw.g4
uses is understood; anything else is an error that names the rule, so the
grammar cannot grow a construct this tool silently mistranslates.

ANTLR lexer notation: https://github.com/antlr/antlr4/blob/master/doc/lexer-rules.md
Oniguruma syntax: https://github.com/kkos/oniguruma/blob/master/doc/RE
"""

import re

# One atom of ANTLR lexer notation: a literal, a set, a negated literal, a
# rule name, or an operator.
ATOM = re.compile(r"'(?:\\.|[^'\\])*'|~?\[(?:\\.|[^\]\\])*\]|~'(?:\\.|[^'\\])*'|[A-Za-z_][A-Za-z0-9_]*|\*\?|[()|?*+.]")


class GrammarError(Exception):
    """A construct of the .g4 file this tool does not understand."""


def strip_comments(text):
    """The grammar without its // and /* */ comments (literals kept intact)."""
    out, i, n = [], 0, len(text)
    while i < n:
        c = text[i]
        if c == "'":
            j = i + 1
            while j < n and text[j] != "'":
                j += 2 if text[j] == "\\" else 1
            out.append(text[i:j + 1])
            i = j + 1
        elif c == "[":
            j = i + 1
            while j < n and text[j] != "]":
                j += 2 if text[j] == "\\" else 1
            out.append(text[i:j + 1])
            i = j + 1
        elif text.startswith("//", i):
            i = text.find("\n", i)
            i = n if i < 0 else i
        elif text.startswith("/*", i):
            i = text.find("*/", i) + 2
        else:
            out.append(c)
            i += 1
    return "".join(out)


def read_rules(text):
    """Every rule of the grammar, in file order: (name, body, is_fragment).
    Lexer commands (`-> channel(HIDDEN)`) are dropped from the body."""
    body = strip_comments(text)
    rules = []
    for m in re.finditer(r"(?:^|\n)\s*(fragment\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*:", body):
        start = m.end()
        end = find_rule_end(body, start)
        rule_body = body[start:end]
        rule_body = re.sub(r"->\s*[a-zA-Z]+(\([^)]*\))?", "", rule_body)
        rules.append((m.group(2), " ".join(rule_body.split()), bool(m.group(1))))
    return rules


def find_rule_end(text, i):
    """The index of the `;` that ends the rule whose body starts at `i`."""
    while i < len(text):
        c = text[i]
        if c in "'[":
            close = "'" if c == "'" else "]"
            i += 1
            while text[i] != close:
                i += 2 if text[i] == "\\" else 1
        elif c == ";":
            return i
        i += 1
    raise GrammarError("a rule has no closing `;`")


def tokenize(body):
    """ANTLR lexer-rule notation split into its atoms."""
    atoms = ATOM.findall(body)
    if ATOM.sub("", body).strip():
        raise GrammarError(f"cannot read `{body}`")
    return atoms


def literal_text(atom):
    """The characters a quoted ANTLR literal stands for."""
    s = atom[1:-1]
    escapes = {"n": "\n", "r": "\r", "t": "\t", "\\": "\\", "'": "'"}
    return re.sub(r"\\(.)", lambda m: escapes.get(m.group(1), m.group(1)), s)


def single_literal(body):
    """The text of a rule whose whole body is one literal, or None."""
    atoms = tokenize(body)
    if len(atoms) == 1 and atoms[0].startswith("'"):
        return literal_text(atoms[0])
    return None


def alternatives(body):
    """The top-level alternatives of a rule body, each a list of atoms."""
    alts, depth, cur = [], 0, []
    for a in tokenize(body):
        if a == "(":
            depth += 1
        elif a == ")":
            depth -= 1
        if a == "|" and depth == 0:
            alts.append(cur)
            cur = []
        else:
            cur.append(a)
    alts.append(cur)
    return alts


def escape_char(c):
    """One character as it stands in an Oniguruma class or pattern."""
    return {"\n": "\\n", "\r": "\\r", "\t": "\\t"}.get(c, re.escape(c) if not c.isalnum() and c != "_" else c)


def char_set(atom):
    """An ANTLR [...] or ~[...] set as an Oniguruma class."""
    neg = atom.startswith("~")
    inner = atom[2:-1] if neg else atom[1:-1]
    inner = inner.replace("\\r", "\r").replace("\\n", "\n").replace("\\t", "\t")
    out, i = [], 0
    while i < len(inner):
        if inner[i] == "\\" and i + 1 < len(inner):
            out.append(escape_char(inner[i + 1]))
            i += 2
        elif inner[i] == "-" and 0 < i < len(inner) - 1:
            out.append("-")
            i += 1
        else:
            c = inner[i]
            out.append("\\-" if c == "-" else escape_char(c))
            i += 1
    return ("[^" if neg else "[") + "".join(out) + "]"


def to_regex(atoms, fragments, rule):
    """ANTLR atoms as one Oniguruma expression; fragments are substituted."""
    out = []
    for a in atoms:
        if a.startswith("'"):
            out.append("".join(escape_char(c) for c in literal_text(a)))
        elif a.startswith("[") or a.startswith("~["):
            out.append(char_set(a))
        elif a.startswith("~'"):
            out.append("[^" + "".join(escape_char(c) for c in literal_text(a[1:])) + "]")
        elif a == "(":
            out.append("(?:")
        elif a in (")", "|", "?", "*", "+", "*?"):
            out.append(a)
        elif a == ".":
            out.append("[\\s\\S]")
        elif a in fragments:
            out.append("(?:" + to_regex(tokenize(fragments[a]), fragments, a) + ")")
        else:
            raise GrammarError(f"rule {rule}: `{a}` has no regular-expression form here")
    return "".join(out)


def escape_all(text):
    """A literal text as an Oniguruma pattern that matches exactly it."""
    return "".join(escape_char(c) for c in text)
