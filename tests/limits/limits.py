#!/usr/bin/env python3
"""Resource limits: claw on exponential, deep and huge programs.

Generates each case into a temporary folder and runs `claw check` and
`claw build` on it under an address-space limit (ulimit -v) and a time
limit. Each run must end with exit 0, or exit 1 and a diagnostic line
`file:line:col: error:` (or `claw: error: `FILE` ...` for an input file
refused whole, which has no line to point at); never a signal, an abort (134), a stack overflow
(139), or a timeout. Usage: limits.py CLAW [--sanitized] [--only NAME...]
(--sanitized: the binary runs under AddressSanitizer, which reserves more
address space than any limit allows, and runs slower: no address-space
limit, three times the time.)
"""
import argparse
import os
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time

MEMORY_LIMIT = 4 << 30  # bytes of address space
TIME_LIMIT = 20  # seconds, per run

HEADER = """cluster home { k3s = "v1.31.4+k3s1"; server = box }
machine box { os = linux; arch = amd64; cpu = 100000; memory = 64TiB }
"""
SERVICE = 'service web {{\n  image = "nginx:1.27-alpine"\n  env {{ {env} }}\n}}\n'
CHART = ('chart tool {{\n  repo = "https://charts.example.com"; chart = "tool"; version = "1.0.0"\n'
         '  values {{ {values} }}\n}}\n')
# A diagnostic in the program (file:line:col), or one about a whole input
# file that claw refused to read (it names the file; there is no line in it).
DIAGNOSTIC = re.compile(r"^(?:[^\n]*:\d+:\d+: error: |claw: error: `[^`\n]+` )", re.MULTILINE)


def write(folder, name, text):
    path = os.path.join(folder, name)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)


def doubling(step, use, n):
    """A chain of n lets, each made of the previous one twice."""
    def make(folder):
        lets = [f"let v0 = {step(None)}"] + [f"let v{i} = {step(f'v{i - 1}')}" for i in range(1, n + 1)]
        write(folder, "net.claw", HEADER + "\n".join(lets) + "\n" + use(f"v{n}"))
        return ["net.claw"]
    return make


def string_step(prev):
    return '"ab"' if prev is None else f"{prev} + {prev}"


def interpolation_step(prev):
    return '"ab"' if prev is None else f'"${{{prev}}}${{{prev}}}"'


def list_step(prev):
    return '["ab"]' if prev is None else f"[{prev}, {prev}]"


def map_step(prev):
    return '{ a = "ab" }' if prev is None else f"{{ a = {prev}; b = {prev} }}"


def in_env(name):
    return SERVICE.format(env=f"BIG = {name}")


def in_values(name):
    return CHART.format(values=f"big = {name}")


def template_repeat(folder):
    """A 2 MiB string passed to thousands of template instances."""
    lets = ['let s0 = "ab"'] + [f"let s{i} = s{i - 1} + s{i - 1}" for i in range(1, 21)]
    body = 'template t(x: string) service {\n  image = "nginx:1.27-alpine"\n  env { A = x; B = x; C = x }\n}\n'
    instances = "".join(f"service w{i} = t(s20) {{}}\n" for i in range(4000))
    write(folder, "net.claw", HEADER + "\n".join(lets) + "\n" + body + instances)
    return ["net.claw"]


def many_medium_values(folder):
    """Thousands of declarations, each within the bounds, holding a 1 MiB string."""
    lets = ['let s0 = "ab"'] + [f"let s{i} = s{i - 1} + s{i - 1}" for i in range(1, 20)]
    services = "".join(SERVICE.format(env=f"A = s19; B = s19; C = s19").replace("service web", f"service w{i}")
                       for i in range(4000))
    write(folder, "net.claw", HEADER + "\n".join(lets) + "\n" + services)
    return ["net.claw"]


def after_chain(n):
    """w0 after w1 after ... : a walk from the first goes n deep."""
    def make(folder):
        services = [f'service w{i} {{ image = "nginx:1.27-alpine"; after = [w{i + 1}] }}' for i in range(n - 1)]
        services += [f'service w{n - 1} {{ image = "nginx:1.27-alpine" }}']
        write(folder, "net.claw", HEADER + "\n".join(services) + "\n")
        return ["net.claw"]
    return make


def import_chain(n):
    def make(folder):
        write(folder, "net.claw", HEADER + 'import "lib/f0.claw"\n')
        for i in range(n):
            nxt = f'import "f{i + 1}.claw"\n' if i + 1 < n else ""
            write(folder, f"lib/f{i}.claw", f"{nxt}let x{i} = {i}\n")
        return ["net.claw"]
    return make


def let_chain(n):
    def make(folder):
        lets = ["let a0 = 1"] + [f"let a{i} = a{i - 1} + 1" for i in range(1, n)]
        write(folder, "net.claw", HEADER + "\n".join(lets) + "\n" + in_env(f"a{n - 1}"))
        return ["net.claw"]
    return make


def nested(open_, close, inner, n):
    def make(folder):
        write(folder, "net.claw", HEADER + "let deep = " + open_ * n + inner + close * n + "\n" + in_values("deep"))
        return ["net.claw"]
    return make


def big_file(folder):
    """A 50 MB file: a comment line repeated."""
    line = "// " + "x" * 96 + "\n"
    write(folder, "net.claw", HEADER + line * (50 * 1024 * 1024 // len(line)))
    return ["net.claw"]


def big_string(folder):
    write(folder, "net.claw", HEADER + in_env('"' + "x" * (5 * 1024 * 1024) + '"'))
    return ["net.claw"]


def quantity_overflow(folder):
    write(folder, "net.claw", HEADER + 'service web { image = "nginx:1.27-alpine"; needs { memory = 16TiB * 1000000 } }\n')
    return ["net.claw"]


CASES = {
    "string-doubling-31": doubling(string_step, in_env, 31),
    "string-doubling-64": doubling(string_step, in_env, 64),
    "interpolation-doubling-31": doubling(interpolation_step, in_env, 31),
    "interpolation-doubling-64": doubling(interpolation_step, in_env, 64),
    "list-doubling-31": doubling(list_step, in_values, 31),
    "list-doubling-64": doubling(list_step, in_values, 64),
    "map-doubling-31": doubling(map_step, in_values, 31),
    "map-doubling-64": doubling(map_step, in_values, 64),
    "template-repeat": template_repeat,
    "many-medium-values": many_medium_values,
    "after-chain-40000": after_chain(40000),
    "import-chain-50000": import_chain(50000),
    "let-chain-100000": let_chain(100000),
    "nested-parens-100000": nested("(", ")", "1", 100000),
    "nested-lists-100000": nested("[", "]", "1", 100000),
    "nested-blocks-100000": nested("{ a = ", " }", "1", 100000),
    "file-50mb": big_file,
    "string-literal-5mb": big_string,
    "quantity-overflow": quantity_overflow,
}


def limit_address_space():
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))


def run(args, cwd, sanitized):
    """Runs claw; returns (verdict or None when acceptable, seconds, what it said)."""
    start = time.monotonic()
    try:
        done = subprocess.run(args, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                              timeout=TIME_LIMIT * (3 if sanitized else 1),
                              preexec_fn=None if sanitized else limit_address_space, check=False)
    except subprocess.TimeoutExpired:
        return "timed out", time.monotonic() - start, ""
    seconds = time.monotonic() - start
    err = done.stderr.decode("utf-8", "replace")
    first = DIAGNOSTIC.search(err)
    said = err[first.start():].split("\n", 1)[0][-120:] if first else ""
    if done.returncode < 0:
        return f"killed by signal {-done.returncode}", seconds, said
    if done.returncode == 0:
        return None, seconds, "exit 0"
    if done.returncode != 1:
        return f"exit {done.returncode}: {err[-300:]!r}", seconds, said
    if not first:
        return f"exit 1 without a diagnostic at a place or a file: {err[-300:]!r}", seconds, said
    return None, seconds, said


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("claw")
    parser.add_argument("--sanitized", action="store_true")
    parser.add_argument("--only", nargs="*", default=None)
    opts = parser.parse_args()
    claw = os.path.abspath(opts.claw)
    failures = 0
    for name, make in CASES.items():
        if opts.only and name not in opts.only:
            continue
        folder = tempfile.mkdtemp(prefix=f"claw-limits-{name}-")
        try:
            inputs = make(folder)
            for command in (["check"], ["build", "-o", "out"]):
                verdict, seconds, said = run([claw, *command, *inputs], folder, opts.sanitized)
                status = "ok   " + said if verdict is None else "FAIL " + verdict
                print(f"{name:28} {command[0]:6} {seconds:6.2f} s  {status}", flush=True)
                failures += verdict is not None
        finally:
            shutil.rmtree(folder, ignore_errors=True)
    if failures:
        print(f"{failures} run(s) failed", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
