#!/usr/bin/env python3
"""Writes editors/vscode/syntaxes/claw.tmLanguage.json from grammar/Claw.g4.

Every lexer rule of the grammar gets a scope here, or the generator stops
and names it: a new token cannot go unhighlighted. Keywords, punctuation and
the regular expressions of numbers and names are read from the grammar;
which keyword starts which item is read from its parser rules (topItem,
declKind, primary, repeat).

Usage: gen_tmlanguage.py [GRAMMAR.g4 [OUT.json]]   (defaults: the repo's)
       gen_tmlanguage.py --check   exits 1 when the committed file differs.

TextMate grammar format: https://macromates.com/manual/en/language_grammars
Scope naming: https://macromates.com/manual/en/language_grammars#naming_conventions
and VS Code's https://code.visualstudio.com/api/language-extensions/syntax-highlight-guide
"""

import json
import re
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import g4  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, "..", "..", ".."))
DEFAULT_G4 = os.path.join(ROOT, "grammar", "Claw.g4")
DEFAULT_OUT = os.path.join(ROOT, "editors", "vscode", "syntaxes", "claw.tmLanguage.json")

# Lexer rules that get no scope of their own, and why.
UNSCOPED = {
    "WS": "whitespace has no colour",
    "UNTERMINATED_STRING": "error token: highlighted as the string it starts, to the end of the line",
    "UNTERMINATED_COMMENT": "error token: highlighted as the block comment it starts, to the end of the file",
    "ERROR_CHAR": "error token: a character no rule matches; the editor shows claw's diagnostic for it",
}

# The scope of each punctuation or operator literal (VS Code's and
# TextMate's usual names for them).
PUNCTUATION = {
    "{": "punctuation.section.block.begin.claw",
    "}": "punctuation.section.block.end.claw",
    "[": "punctuation.section.brackets.begin.claw",
    "]": "punctuation.section.brackets.end.claw",
    "(": "punctuation.section.parens.begin.claw",
    ")": "punctuation.section.parens.end.claw",
    "=": "keyword.operator.assignment.claw",
    ":": "punctuation.separator.type.claw",
    ";": "punctuation.terminator.claw",
    ",": "punctuation.separator.comma.claw",
    "..": "keyword.operator.range.claw",
    ".": "punctuation.accessor.claw",
    "?": "keyword.operator.optional.claw",
    "+": "keyword.operator.arithmetic.claw",
    "-": "keyword.operator.arithmetic.claw",
    "*": "keyword.operator.arithmetic.claw",
    "/": "keyword.operator.arithmetic.claw",
}

SCOPE_OF_CLASS = {
    "QUANTITY": "constant.numeric.quantity.claw",
    "UNIT": "keyword.other.unit.claw",
    "FLOAT": "constant.numeric.float.claw",
    "INT": "constant.numeric.integer.claw",
    "IDENT": "variable.other.claw",
    "STRING": "string.quoted.double.claw",
    "TRIPLE_STRING": "string.quoted.triple.claw",
    "LINE_COMMENT": "comment.line.double-slash.claw",
    "BLOCK_COMMENT": "comment.block.claw",
}


class Grammar:
    """What the generator needs from Claw.g4, read and checked."""

    def __init__(self, text):
        rules = g4.read_rules(text)
        # Element labels (`lo=expr`) and alternative labels (`# fieldExpr`)
        # do not change what a parser rule matches.
        self.parser = {n: re.sub(r"#\s*\w+|\b\w+\s*=", "", b) for n, b, _ in rules if n[0].islower()}
        self.lexer = [(n, b) for n, b, frag in rules if n[0].isupper() and not frag]
        self.fragments = {n: b for n, b, frag in rules if frag}
        self.literals = {n: g4.single_literal(b) for n, b in self.lexer}
        self.keywords = {n: t for n, t in self.literals.items() if t and t.isalpha()}
        self.punct = {n: t for n, t in self.literals.items() if t and not t.isalpha()}
        self._roles()

    def first_token(self, rule):
        """The first atom of a parser rule's (only) alternative."""
        return g4.tokenize(self.parser[rule])[0]

    def _roles(self):
        items = [a[0] for a in g4.alternatives(self.parser["topItem"])]
        self.decl_kinds = [a[0] for a in g4.alternatives(self.parser["declKind"])]
        self.starters = [self.first_token(r) for r in items if r in self.parser and r != "decl"]
        self.constants = [a[0] for a in g4.alternatives(self.parser["primary"]) if len(a) == 1 and a[0] in self.keywords]
        self.repeat = [self.first_token("repeat")]
        known = set(self.decl_kinds) | set(self.starters) | set(self.constants) | set(self.repeat)
        for name in self.keywords:
            if name not in known:
                raise g4.GrammarError(f"keyword rule {name} is not an item start, a declKind, a primary or the repeat: give it a scope")
        for name, text in self.punct.items():
            if text not in PUNCTUATION:
                raise g4.GrammarError(f"rule {name} ('{text}') has no scope in PUNCTUATION")
        scoped = set(self.keywords) | set(self.punct) | set(SCOPE_OF_CLASS) | set(UNSCOPED)
        for name, _ in self.lexer:
            if name not in scoped:
                raise g4.GrammarError(f"lexer rule {name} has no scope: add it to gen_tmlanguage.py")

    def regex(self, rule):
        """A lexer rule (or fragment) as an Oniguruma expression."""
        body = dict(self.lexer).get(rule) or self.fragments[rule]
        return g4.to_regex(g4.tokenize(body), self.fragments, rule)

    def delimited(self, rule):
        """The alternatives of a rule of the shape 'open' middle 'close', as
        (open, close, spans_lines, has_escapes): strings and comments."""
        out = []
        for alt in g4.alternatives(dict(self.lexer)[rule]):
            if not alt[0].startswith("'"):
                raise g4.GrammarError(f"rule {rule}: an alternative does not open with a literal")
            close = g4.literal_text(alt[-1]) if alt[-1].startswith("'") else None
            middle = alt[1:-1] if close else alt[1:]
            out.append((g4.literal_text(alt[0]), close, "*?" in middle, "ESC" in middle))
        return out


def kw_scope(g, name):
    """The scope of a keyword token where it is one."""
    word = g.keywords[name]
    if name in g.constants:
        return f"constant.language.{word}.claw"
    if name in g.repeat:
        return "keyword.operator.repeat.claw"
    if g.first_token("importDecl") == name:
        return f"keyword.control.{word}.claw"
    return f"storage.type.{word}.claw"


class Rx:
    """The regular expressions every section of the grammar shares."""

    def __init__(self, g):
        self.name = g.regex("IDENT")
        # A keyword is a keyword only where the longest name there is the
        # word itself (the lexer's longest match): `service-a` is one name.
        self.name_end = r"(?![-a-zA-Z0-9_]*[a-zA-Z0-9_])"
        # Not inside a longer name or number (`a1`, `web-2` are names).
        self.name_start = r"(?<![a-zA-Z0-9_])"
        # A top-level item starts a line, or follows `;`, `}` or a block
        # comment. (Each look-behind has one width: Python's re reads the
        # patterns too, in editors/vscode/tests/covers_grammar.py.)
        self.item_start = r"(?:^|(?<=[;}])|(?<=\*/))\s*"


def p(text):
    """The scope of a punctuation or operator literal."""
    return PUNCTUATION[text]


def comment_rules(g):
    """`//` to the end of the line, `/* */` across lines (not nested)."""
    rules = []
    for rule in ("LINE_COMMENT", "BLOCK_COMMENT"):
        for open_, close, _, _ in g.delimited(rule):
            if close is None:
                rules.append({"name": SCOPE_OF_CLASS[rule], "begin": g4.escape_all(open_),
                              "beginCaptures": {"0": {"name": "punctuation.definition.comment.claw"}}, "end": "$"})
            else:
                rules.append({"name": SCOPE_OF_CLASS[rule], "begin": g4.escape_all(open_), "end": g4.escape_all(close),
                              "captures": {"0": {"name": "punctuation.definition.comment.claw"}}})
    return {"patterns": rules}


def interpolation(rx, stop):
    """`${name.path}` inside a string; it also ends where its string does
    (`stop`), since the lexer's string token ends there."""
    return {
        "name": "meta.interpolation.claw",
        "begin": r"\$\{",
        "beginCaptures": {"0": {"name": "punctuation.section.interpolation.begin.claw"}},
        "end": r"(\})|" + stop,
        "endCaptures": {"1": {"name": "punctuation.section.interpolation.end.claw"}},
        "contentName": "meta.embedded.line.claw",
        "patterns": [
            {"match": r"(?<=\.)\s*" + rx.name, "name": "variable.other.property.claw"},
            {"match": rx.name, "name": SCOPE_OF_CLASS["IDENT"]},
            {"match": r"\.", "name": p(".")},
        ],
    }


def string_rules(g, rx):
    """One-line strings with escapes, triple-quoted ones across lines; both
    interpolate."""
    rules = []
    # Longest delimiter first: `"""` before `"`.
    for open_, close, triple, escapes in sorted(g.delimited("STRING"), key=lambda d: -len(d[0])):
        if escapes:
            pats = [{"match": g.regex("ESC"), "name": "constant.character.escape.claw"}]
        else:
            # A `"""` string has no escapes; `$${` is its literal `${`
            # (compiler/syntax/literals.cpp).
            pats = [{"match": r"\$\$\{", "name": "constant.character.escape.claw"}]
        stop = "(?=" + g4.escape_all(close) + ")" + ("" if triple else "|$")
        pats.append(interpolation(rx, stop))
        rules.append({
            "name": SCOPE_OF_CLASS["TRIPLE_STRING" if triple else "STRING"],
            "begin": g4.escape_all(open_),
            "beginCaptures": {"0": {"name": "punctuation.definition.string.begin.claw"}},
            # A one-line string that is not closed ends with its line, as
            # the lexer's UNTERMINATED_STRING does.
            "end": g4.escape_all(close) if triple else "(" + g4.escape_all(close) + ")|$",
            "endCaptures": {"0" if triple else "1": {"name": "punctuation.definition.string.end.claw"}},
            "patterns": pats,
        })
    return {"patterns": rules}


def number_rules(g, rx):
    """QUANTITY (its unit scoped on its own), FLOAT and INT, longest first."""
    # QUANTITY is DIGITS ('.' DIGITS)? [a-zA-Z]+: split off the unit.
    quantity = g.regex("QUANTITY")
    unit = "[a-zA-Z]+"
    if not quantity.endswith(unit):
        raise g4.GrammarError("QUANTITY no longer ends with its unit [a-zA-Z]+")
    number_part = quantity[: -len(unit)]
    return {"patterns": [
        {"match": rx.name_start + number_part + "(" + unit + ")", "name": SCOPE_OF_CLASS["QUANTITY"],
         "captures": {"1": {"name": SCOPE_OF_CLASS["UNIT"]}}},
        {"match": rx.name_start + g.regex("FLOAT"), "name": SCOPE_OF_CLASS["FLOAT"]},
        {"match": rx.name_start + g.regex("INT"), "name": SCOPE_OF_CLASS["INT"]},
    ]}


def item_rules(g, rx):
    """Keywords where the grammar reserves them: at the start of a top-level
    item (the g4's `ident` rule makes them plain names everywhere else),
    with the name each item declares."""
    word = g.keywords.get

    def starts(rule):
        tok = starters_rule(g, rule)
        return rx.item_start + "(" + word(tok) + ")" + rx.name_end, kw_scope(g, tok)

    enum_re, enum_scope = starts("enumDecl")
    tmpl_re, tmpl_scope = starts("templateDecl")
    items = [
        {"comment": "enum NAME { a, b }",
         "begin": enum_re + r"\s+(" + rx.name + r")\s*(\{)",
         "beginCaptures": {"1": {"name": enum_scope}, "2": {"name": "entity.name.type.enum.claw"}, "3": {"name": p("{")}},
         "end": r"\}", "endCaptures": {"0": {"name": p("}")}},
         "patterns": [{"include": "#comments"}, {"match": rx.name, "name": "variable.other.enummember.claw"},
                      {"match": ",", "name": p(",")}, {"match": ";", "name": p(";")}]},
        {"comment": "template NAME(params) KIND",
         "begin": tmpl_re + r"\s+(" + rx.name + r")\s*(\()",
         "beginCaptures": {"1": {"name": tmpl_scope}, "2": {"name": "entity.name.function.template.claw"}, "3": {"name": p("(")}},
         "end": r"(\))(?:\s*(?:" + "|".join("(" + word(k) + ")" for k in g.decl_kinds) + ")" + rx.name_end + ")?",
         "endCaptures": dict([("1", {"name": p(")")})] + [(str(i + 2), {"name": kw_scope(g, k)}) for i, k in enumerate(g.decl_kinds)]),
         "patterns": [{"include": "#comments"},
                      {"match": "(" + rx.name + r")\s*(?=:)", "name": "variable.parameter.claw"},
                      {"include": "#type-annotation"}, {"include": "#expression"}]},
    ]
    named = {starters_rule(g, "typeDecl"): "entity.name.type.claw", starters_rule(g, "letDecl"): "entity.name.variable.claw"}
    named.update({k: "entity.name.type." + word(k) + ".claw" for k in g.decl_kinds})
    for tok, name_scope in named.items():
        items.append({"match": rx.item_start + "(" + word(tok) + ")" + rx.name_end + r"\s+(" + rx.name + ")",
                      "captures": {"1": {"name": kw_scope(g, tok)}, "2": {"name": name_scope}}})
    # A keyword that starts an item whose name is on the next line, or a
    # declaration kind with no name yet: still a keyword, but not a call.
    for tok in g.starters + g.decl_kinds:
        items.append({"match": rx.item_start + "(" + word(tok) + ")" + rx.name_end + r"(?!\s*[(=.:])",
                      "captures": {"1": {"name": kw_scope(g, tok)}}})
    return {"patterns": items}


def bracketed(open_, close, patterns):
    """A begin/end rule for one pair of brackets."""
    return {"begin": g4.escape_all(open_), "beginCaptures": {"0": {"name": p(open_)}},
            "end": g4.escape_all(close), "endCaptures": {"0": {"name": p(close)}}, "patterns": patterns}


def member_rules(g, rx):
    """A member of a block: `key`, `a.b`, `key label`, `key "label"`, then
    `=`, `{`, `x N` or the member's end; keys start a line or follow `{`,
    `;` or `,`. And the repeat `x N` after a label."""
    x = g.keywords[g.repeat[0]]
    member_start = r"(?:^|(?<=[{;,]))\s*"
    return {"patterns": [
        {"match": member_start + "(" + rx.name + r")(?:\s+(" + rx.name + r"))?(?=\s*(?:[=.{:\"]|$|[;,}]|//|/\*|" + x + r"\s))",
         "captures": {"1": {"name": "variable.other.property.claw"}, "2": {"name": "entity.name.label.claw"}}},
        {"match": r"(?<=[\s\"])(" + x + ")" + rx.name_end + r"(?=\s+" + g.regex("DIGITS") + ")",
         "captures": {"1": {"name": kw_scope(g, g.repeat[0])}}},
    ]}


def expression_rules(g, rx):
    """Everything an expression may hold, names last."""
    return {"patterns": [
        {"include": "#comments"}, {"include": "#strings"}, {"include": "#numbers"}, {"include": "#constants"},
        {"match": r"(?<=\.)\s*(" + rx.name + ")", "captures": {"1": {"name": "variable.other.property.claw"}}},
        {"match": "(" + rx.name + r")\s*(?=\()", "captures": {"1": {"name": "entity.name.function.claw"}}},
        {"match": "(" + rx.name + r")\s*(?=\{)", "captures": {"1": {"name": "entity.name.type.claw"}}},
        {"include": "#block"}, {"include": "#list"}, {"include": "#parens"},
        {"include": "#operators"},
        {"match": rx.name, "name": SCOPE_OF_CLASS["IDENT"]},
    ]}


def build(g):
    """The TextMate grammar as a JSON-ready dict."""
    rx = Rx(g)
    ops = sorted(g.punct.values(), key=lambda t: -len(t))
    repo = {
        "comments": comment_rules(g),
        "strings": string_rules(g, rx),
        "numbers": number_rules(g, rx),
        "constants": {"patterns": [{"match": rx.name_start + g.keywords[c] + rx.name_end, "name": kw_scope(g, c)}
                                   for c in g.constants]},
        "items": item_rules(g, rx),
        "type-annotation": {"match": r"(:)\s*(" + rx.name + r")",
                            "captures": {"1": {"name": p(":")}, "2": {"name": "entity.name.type.claw"}}},
        "block": bracketed("{", "}", [{"include": "#comments"}, {"include": "#member"}, {"include": "#type-annotation"},
                                      {"include": "#expression"}]),
        "list": bracketed("[", "]", [{"include": "#comments"}, {"include": "#expression"}]),
        "parens": bracketed("(", ")", [{"include": "#comments"},
                                       {"match": "(" + rx.name + r")\s*(?==)", "captures": {"1": {"name": "variable.parameter.claw"}}},
                                       {"include": "#expression"}]),
        "member": member_rules(g, rx),
        "operators": {"patterns": [{"match": g4.escape_all(t), "name": p(t)} for t in ops if t not in "{}[]()"]},
        "expression": expression_rules(g, rx),
    }
    return {
        "$schema": "https://raw.githubusercontent.com/martinring/tmlanguage/master/tmlanguage.json",
        "name": "claw",
        "scopeName": "source.claw",
        "fileTypes": ["claw"],
        "comment": "Generated from grammar/Claw.g4 by editors/vscode/tools/gen_tmlanguage.py: do not edit.",
        "patterns": [{"include": "#comments"}, {"include": "#items"}, {"include": "#type-annotation"},
                     {"include": "#expression"}],
        "repository": dict(sorted(repo.items())),
    }


def starters_rule(g, rule):
    """The keyword token that starts parser rule `rule`."""
    tok = g.first_token(rule)
    if tok not in g.keywords:
        raise g4.GrammarError(f"{rule} no longer starts with a keyword")
    return tok


def render(g4_text):
    """The generated file's exact text."""
    return json.dumps(build(Grammar(g4_text)), indent=2, ensure_ascii=False) + "\n"


def main(argv):
    check = "--check" in argv
    args = [a for a in argv if a != "--check"]
    src = args[0] if args else DEFAULT_G4
    out = args[1] if len(args) > 1 else DEFAULT_OUT
    with open(src, encoding="utf-8") as f:
        text = render(f.read())
    if check:
        try:
            with open(out, encoding="utf-8") as f:
                same = f.read() == text
        except FileNotFoundError:
            same = False
        if not same:
            print(f"{out} is not what {src} generates: run editors/vscode/tools/gen_tmlanguage.py and commit it")
            return 1
        return 0
    with open(out + ".tmp", "w", encoding="utf-8") as f:
        f.write(text)
    os.replace(out + ".tmp", out)
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main(sys.argv[1:]))
    except g4.GrammarError as e:
        print(f"gen_tmlanguage.py: {e}", file=sys.stderr)
        sys.exit(2)
