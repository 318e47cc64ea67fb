#!/usr/bin/env python3
"""Benchmark of `claw lsp` on a generated program (prints figures; fails only
if the server misbehaves).

Time from a one-character edit to republished diagnostics, median and p95,
for three kinds of edit to an open file of the 10,000-service program
(tests/bench/gen_program.py, as check_bench.sh makes it):
  - local:   a character of an env value, which no other file uses;
  - let:     a digit of a team's image tag, a let its file's workloads
    read (they are checked again, and nothing else);
  - machine: a digit of a machine's cpu (32 -> 62 and back), which
    placement reads: every edit places the network again;
  - rename:  a character of a role's name, which many workloads in other
    files refer to (every second edit breaks them, the next mends them).
An edit counts as republished when the server answers a request sent right
after it: messages are handled in order, so every publishDiagnostics the
edit caused came before that answer. Then the resident memory of the server
after each hundred edits, up to EDITS_RSS edits.

usage: lsp_bench.py [CLAW]     (default build/claw)
env: MACHINES=1000 SERVICES=10000 EDITS=200 EDITS_RSS=1000 KEEP=0
"""
import json
import os
import select
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))


def frame(obj):
    body = json.dumps(obj).encode()
    return b"Content-Length: %d\r\n\r\n" % len(body) + body


class Server:
    def __init__(self, claw, root):
        self.p = subprocess.Popen([claw, "lsp"], stdin=subprocess.PIPE, stdout=subprocess.PIPE)
        self.buf = b""
        self.next_id = 0
        self.diagnostics = 0  # diagnostics received in publishDiagnostics, all told
        self.request("initialize", {"processId": os.getpid(), "rootUri": "file://" + root, "capabilities": {}})
        self.notify("initialized", {})

    def send(self, obj):
        self.p.stdin.write(frame(obj))
        self.p.stdin.flush()

    def notify(self, method, params):
        self.send({"jsonrpc": "2.0", "method": method, "params": params})

    def request(self, method, params):
        self.next_id += 1
        rid = self.next_id
        self.send({"jsonrpc": "2.0", "id": rid, "method": method, "params": params})
        while True:
            m = self.message()
            if m.get("method") == "textDocument/publishDiagnostics":
                self.diagnostics += len(m["params"]["diagnostics"])
            if m.get("id") == rid:
                if "error" in m:
                    sys.exit("lsp_bench: %s failed: %s" % (method, m["error"]))
                return m

    def message(self):
        while b"\r\n\r\n" not in self.buf:
            self.read()
        head, self.buf = self.buf.split(b"\r\n\r\n", 1)
        n = int(head.split(b":", 1)[1])
        while len(self.buf) < n:
            self.read()
        body, self.buf = self.buf[:n], self.buf[n:]
        return json.loads(body)

    def read(self):
        if not select.select([self.p.stdout], [], [], 600)[0]:
            sys.exit("lsp_bench: the server did not answer in 600 s")
        chunk = os.read(self.p.stdout.fileno(), 1 << 20)
        if not chunk:
            sys.exit("lsp_bench: the server exited")
        self.buf += chunk

    def rss_mib(self):
        with open("/proc/%d/status" % self.p.pid) as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
        return 0.0

    def close(self):
        self.request("shutdown", None)
        self.notify("exit", None)
        self.p.stdin.close()
        return self.p.wait(timeout=60)


class Doc:
    """An open document edited one character at a time, in place."""

    def __init__(self, server, path, needle, other="q"):
        self.server, self.uri, self.version, self.other = server, "file://" + path, 1, other
        with open(path) as f:
            self.text = f.read()
        at = self.text.index(needle) + len(needle) - 1
        self.line = self.text.count("\n", 0, at)
        self.char = at - (self.text.rindex("\n", 0, at) + 1 if "\n" in self.text[:at] else 0)
        self.original = self.text[at]
        server.notify("textDocument/didOpen", {"textDocument": {"uri": self.uri, "languageId": "claw", "version": 1, "text": self.text}})
        server.request("textDocument/hover", self.position(0, 0))

    def position(self, line, char):
        return {"textDocument": {"uri": self.uri}, "position": {"line": line, "character": char}}

    def edit(self, i):
        """The i-th edit: the character alternates between another and the original."""
        self.version += 1
        ch = self.other if i % 2 == 0 else self.original
        rng = {"start": {"line": self.line, "character": self.char}, "end": {"line": self.line, "character": self.char + 1}}
        t0 = time.perf_counter()
        self.server.notify("textDocument/didChange", {"textDocument": {"uri": self.uri, "version": self.version},
                                                      "contentChanges": [{"range": rng, "text": ch}]})
        self.server.request("textDocument/hover", self.position(0, 0))
        return (time.perf_counter() - t0) * 1000


def figures(name, times):
    times = sorted(times)
    p95 = times[min(len(times) - 1, int(round(0.95 * len(times))) - 1)]
    print("%-8s edits=%d median_ms=%.1f p95_ms=%.1f max_ms=%.1f" % (name, len(times), statistics.median(times), p95, times[-1]))


def main():
    claw = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, "build", "claw"))
    machines = int(os.environ.get("MACHINES", 1000))
    services = int(os.environ.get("SERVICES", 10000))
    edits = int(os.environ.get("EDITS", 200))
    edits_rss = int(os.environ.get("EDITS_RSS", 1000))
    work = tempfile.mkdtemp(prefix="claw-lsp-bench.")
    try:
        subprocess.run([sys.executable, os.path.join(HERE, "gen_program.py"), "--machines", str(machines),
                        "--services", str(services), work], check=True, stdout=subprocess.DEVNULL)
        team = os.path.join(work, "services", sorted(os.listdir(os.path.join(work, "services")))[0])
        t0 = time.perf_counter()
        server = Server(claw, work)
        server.request("textDocument/hover", {"textDocument": {"uri": "file://" + team}, "position": {"line": 0, "character": 0}})
        print("program: %d machines, %d services; first check %.0f ms, rss %.0f MiB" %
              (machines, services, (time.perf_counter() - t0) * 1000, server.rss_mib()))
        local = Doc(server, team, 'LOG_LEVEL = "info')
        figures("local", [local.edit(i) for i in range(edits)])
        tag = Doc(server, team, '-tag = "2024', "5")
        figures("let", [tag.edit(i) for i in range(edits)])
        rack = os.path.join(work, "machines", sorted(os.listdir(os.path.join(work, "machines")))[0])
        machine = Doc(server, rack, "cpu = 3", "6")
        figures("machine", [machine.edit(i) for i in range(edits)])
        rename = Doc(server, os.path.join(work, "roles.claw"), "role storage")
        figures("rename", [rename.edit(i) for i in range(edits)])
        rss = []
        for i in range(edits_rss):
            local.edit(i)
            if (i + 1) % 100 == 0:
                rss.append("%d:%.0f" % (i + 1, server.rss_mib()))
        print("rss_mib after edits: " + " ".join(rss))
        code = server.close()
        if code != 0:
            sys.exit("lsp_bench: the server exited %d after shutdown and exit" % code)
    finally:
        if os.environ.get("KEEP") == "1":
            print("kept " + work)
        else:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
