#!/usr/bin/env python3
"""Speaks LSP to a real `claw lsp` process through pipes: framing on the
real stdio, diagnostics for a file on disk, a garbage frame answered, and
the exit code after shutdown and exit. Every byte on stdout must be part of
a protocol message.

usage: stdio_session.py CLAW
"""
import json
import os
import select
import subprocess
import sys
import tempfile
import time

DEADLINE = 120  # seconds for the whole session


def frame(obj):
    body = json.dumps(obj).encode()
    return b"Content-Length: %d\r\n\r\n" % len(body) + body


class Reader:
    def __init__(self, fd, end):
        self.fd, self.buf, self.end = fd, b"", end

    def more(self):
        left = self.end - time.monotonic()
        if left <= 0 or not select.select([self.fd], [], [], left)[0]:
            sys.exit("timed out waiting for the server")
        chunk = os.read(self.fd, 65536)
        if not chunk:
            sys.exit("the server closed its output early")
        self.buf += chunk

    def message(self):
        while b"\r\n\r\n" not in self.buf:
            self.more()
        head, self.buf = self.buf.split(b"\r\n\r\n", 1)
        lines = head.decode("ascii").split("\r\n")
        length = [int(l.split(":", 1)[1]) for l in lines if l.lower().startswith("content-length:")]
        if len(length) != 1:
            sys.exit("a frame without one Content-Length: %r" % head)
        while len(self.buf) < length[0]:
            self.more()
        body, self.buf = self.buf[: length[0]], self.buf[length[0]:]
        return json.loads(body)

    def until(self, test):
        while True:
            m = self.message()
            if test(m):
                return m


def main():
    claw = sys.argv[1]
    end = time.monotonic() + DEADLINE
    with tempfile.TemporaryDirectory() as ws:
        path = os.path.join(ws, "net.claw")
        with open(path, "w") as f:
            f.write('cluster home { k3s = "v1.31.4+k3s1"; server = boxx }\n'
                    'machine box { os = linux; arch = amd64; cpu = 4; memory = 16GiB }\n')
        uri = "file://" + path
        p = subprocess.Popen([claw, "lsp"], stdin=subprocess.PIPE, stdout=subprocess.PIPE)
        r = Reader(p.stdout.fileno(), end)

        def send(obj):
            p.stdin.write(frame(obj))
            p.stdin.flush()

        send({"jsonrpc": "2.0", "id": 1, "method": "initialize",
              "params": {"processId": os.getpid(), "rootUri": "file://" + ws, "capabilities": {}}})
        init = r.until(lambda m: m.get("id") == 1)
        assert init["result"]["capabilities"]["positionEncoding"] == "utf-16", init
        send({"jsonrpc": "2.0", "method": "initialized", "params": {}})
        diags = r.until(lambda m: m.get("method") == "textDocument/publishDiagnostics")
        assert diags["params"]["uri"] == uri, diags
        d = diags["params"]["diagnostics"]
        assert len(d) == 1 and d[0]["code"] == "undeclared-reference", d
        assert d[0]["range"]["start"] == {"line": 0, "character": 46}, d

        p.stdin.write(b"Content-Length: nope\r\n\r\n")
        p.stdin.flush()
        err = r.message()
        assert err.get("error", {}).get("code") == -32700, err

        send({"jsonrpc": "2.0", "id": 2, "method": "textDocument/hover",
              "params": {"textDocument": {"uri": uri}, "position": {"line": 0, "character": 2}}})
        hover = r.until(lambda m: m.get("id") == 2)
        assert "result" in hover, hover

        send({"jsonrpc": "2.0", "id": 3, "method": "shutdown"})
        r.until(lambda m: m.get("id") == 3)
        send({"jsonrpc": "2.0", "method": "exit"})
        p.stdin.close()
        rest = p.stdout.read()
        code = p.wait(timeout=max(1, end - time.monotonic()))
        assert rest == b"", "bytes after the last message: %r" % rest[:200]
        assert code == 0, "exit code %d after shutdown and exit" % code
    print("ok: claw lsp over stdio")


if __name__ == "__main__":
    main()
