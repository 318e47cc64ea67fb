"""What every kubectl test shares: the client, a running claw-sim, objects compared.

The tests hold claw-sim to the real kubectl: they run the client the issue names
(1.32), assert on what it prints and read the stored object back through it.
Standard library and python3-yaml only.
"""
import base64
import http.client
import json
import os
import re
import shutil
import signal
import ssl
import subprocess
import sys
import tempfile
import threading
import time
from fractions import Fraction

import yaml

SKIP = 77
KUBECTL_TIMEOUT = 90


class Failure(Exception):
    """A check that did not hold; the message says what was expected and seen."""


class Skip(Exception):
    """A step that cannot run here; the message says why."""


def find_kubectl():
    """The client to test with: $CLAW_KUBECTL, else kubectl.1.32 beside the resolved kubectl, else kubectl."""
    chosen = os.environ.get("CLAW_KUBECTL")
    if chosen:
        return chosen
    found = shutil.which("kubectl")
    if not found:
        return None
    # Google Cloud SDK installs a dispatcher named kubectl that picks its client
    # by the server's version; the versioned clients sit beside it.
    pinned = os.path.join(os.path.dirname(os.path.realpath(found)), "kubectl.1.32")
    if os.access(pinned, os.X_OK):
        return pinned
    return found


def client_version(kubectl):
    """(major, minor, gitVersion) of a kubectl client, without asking any server."""
    out = subprocess.run([kubectl, "version", "--client", "-o", "json"],
                         capture_output=True, text=True, timeout=KUBECTL_TIMEOUT, check=True).stdout
    info = json.loads(out)["clientVersion"]
    return int(info["major"]), int(re.sub(r"\D.*$", "", info["minor"])), info["gitVersion"]


class Sim:
    """One claw-sim process on a free port with its own state folder; a context manager."""

    def __init__(self, exe, workdir, flags=(), state=None):
        self.exe = exe
        self.workdir = workdir
        self.flags = list(flags)
        self.state = state or os.path.join(workdir, "state")
        self.kubeconfig = os.path.join(workdir, "kubeconfig")
        self.output = os.path.join(workdir, f"sim-{time.monotonic_ns()}.out")
        self.proc = None
        self.port = None
        self._contexts = {}
        self._context_lock = threading.Lock()

    def __enter__(self):
        self.start()
        return self

    def __exit__(self, kind, value, trace):
        if self.proc and self.proc.poll() is None:
            if kind is None:
                self.stop()
            else:
                self.proc.kill()
                self.proc.wait()

    def start(self):
        """Start the server and wait for its "listening" line."""
        self._contexts = {}
        with open(self.output, "w") as out:
            self.proc = subprocess.Popen(
                [self.exe, "--port", "0", "--state", self.state, "--kubeconfig-out", self.kubeconfig] + self.flags,
                stdout=out, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            text = self.log_text()
            found = re.search(r"claw-sim: listening on https://127\.0\.0\.1:(\d+)", text)
            if found:
                self.port = int(found.group(1))
                return
            if self.proc.poll() is not None:
                raise Failure(f"claw-sim exited with {self.proc.returncode} before listening:\n{text}")
            time.sleep(0.02)
        self.proc.kill()
        raise Failure(f"claw-sim did not print its listening line in 30 s:\n{self.log_text()}")

    def stop(self):
        """SIGTERM the server; it must exit 0."""
        self.proc.send_signal(signal.SIGTERM)
        try:
            code = self.proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
            raise Failure("claw-sim did not exit within 15 s of SIGTERM")
        if code != 0:
            raise Failure(f"claw-sim exited with {code} after SIGTERM:\n{self.log_text()[-2000:]}")

    def log_text(self):
        with open(self.output, errors="replace") as f:
            return f.read()

    # ------------------------------------------------------------ direct HTTPS

    def _kubeconfig(self):
        with open(self.kubeconfig) as f:
            return yaml.safe_load(f)

    def ssl_context(self, client_cert=True):
        """A TLS context that trusts the sim's CA and, if asked, presents the admin certificate."""
        with self._context_lock:
            if client_cert not in self._contexts:
                self._contexts[client_cert] = self._new_ssl_context(client_cert)
            return self._contexts[client_cert]

    def _new_ssl_context(self, client_cert):
        config = self._kubeconfig()
        ca = base64.b64decode(config["clusters"][0]["cluster"]["certificate-authority-data"]).decode()
        context = ssl.create_default_context(cadata=ca)
        if client_cert:
            user = config["users"][0]["user"]
            pem = os.path.join(self.workdir, "client.pem")
            with open(pem, "wb") as f:
                f.write(base64.b64decode(user["client-certificate-data"]))
                f.write(b"\n")
                f.write(base64.b64decode(user["client-key-data"]))
            os.chmod(pem, 0o600)
            context.load_cert_chain(pem)
        return context

    def connection(self, client_cert=True):
        """An HTTPS connection to the sim (kept open for repeated requests)."""
        return http.client.HTTPSConnection("127.0.0.1", self.port, context=self.ssl_context(client_cert), timeout=60)

    def request(self, method, path, body=None, client_cert=True, content_type="application/json"):
        """(status, parsed JSON body or text) of one request on a fresh connection."""
        conn = self.connection(client_cert)
        headers = {"Accept": "application/json"}
        if body is not None:
            headers["Content-Type"] = content_type
            body = body if isinstance(body, (bytes, str)) else json.dumps(body)
        conn.request(method, path, body=body, headers=headers)
        response = conn.getresponse()
        data = response.read().decode(errors="replace")
        conn.close()
        try:
            return response.status, json.loads(data)
        except ValueError:
            return response.status, data


class Kubectl:
    """Runs one kubectl client against one sim."""

    def __init__(self, binary, sim):
        self.binary = binary
        self.sim = sim
        # Clients before 1.29 validate manifests against /openapi/v2 read as
        # protobuf, which claw-sim serves as JSON only (runtime/sim/README.md):
        # they run without client-side validation, and say so once.
        self.validate_flag = []
        if client_version(binary)[:2] < (1, 29):
            self.validate_flag = ["--validate=false"]
            log(f"kubectl {client_version(binary)[2]} < 1.29: writes run with --validate=false")

    def run(self, *args, stdin=None, rc=0):
        """Run kubectl; fail unless it exits with rc (None accepts any); return (rc, stdout, stderr)."""
        writes = args and args[0] in ("apply", "create", "replace") and not (len(args) > 1 and "last-applied" in args[1])
        if writes and self.validate_flag:
            args = args + tuple(self.validate_flag)
        env = dict(os.environ, KUBECONFIG=self.sim.kubeconfig)
        env.pop("KUBECTL_EXTERNAL_DIFF", None)
        proc = subprocess.run([self.binary] + list(args), input=stdin, capture_output=True, text=True,
                              env=env, timeout=KUBECTL_TIMEOUT)
        if rc is not None and proc.returncode != rc:
            raise Failure(f"`kubectl {' '.join(args)}` exited {proc.returncode}, expected {rc}\n"
                          f"stdout: {proc.stdout.strip()}\nstderr: {proc.stderr.strip()}")
        return proc.returncode, proc.stdout, proc.stderr

    def out(self, *args, stdin=None):
        """stdout of a kubectl call that must succeed."""
        return self.run(*args, stdin=stdin)[1]

    def get(self, *args, stdin=None):
        """A stored object (or List) as kubectl get -o json reads it, managedFields included."""
        return json.loads(self.out("get", *args, "-o", "json", "--show-managed-fields", stdin=stdin))

    def settled(self, *args, stdin=None, seconds=15):
        """get's result (as get) once resourceVersions stop moving for a second: controllers are done."""
        deadline = time.monotonic() + seconds
        last = self.get(*args, stdin=stdin)
        while time.monotonic() < deadline:
            time.sleep(1)
            now = self.get(*args, stdin=stdin)
            if _versions(now) == _versions(last):
                return now
            last = now
        raise Failure(f"resourceVersions of `get {' '.join(args)}` still moving after {seconds} s")

    def apply_yaml(self, text, *flags):
        """stdout of `kubectl apply -f -` of a YAML text."""
        return self.out("apply", *flags, "-f", "-", stdin=text)


def _versions(listed):
    items = listed.get("items", [listed])
    return [dig(item, "metadata", "resourceVersion") for item in items]


# ------------------------------------------------------------ assertions

def expect(condition, message):
    if not condition:
        raise Failure(message)


def expect_equal(seen, wanted, what):
    if seen != wanted:
        raise Failure(f"{what}: expected {wanted!r}, got {seen!r}")


def expect_in(needle, haystack, what):
    if needle not in haystack:
        raise Failure(f"{what}: expected to contain {needle!r}, got:\n{haystack}")


def expect_match(pattern, text, what):
    if not re.search(pattern, text, re.MULTILINE):
        raise Failure(f"{what}: expected to match {pattern!r}, got:\n{text}")


def dig(obj, *path, default=None):
    """obj[path[0]][path[1]]...; default when a step is missing."""
    for step in path:
        try:
            obj = obj[step]
        except (KeyError, IndexError, TypeError):
            return default
    return obj


# ------------------------------------------------------------ quantities and the subset comparison

# resource.Quantity's suffixes: staging/src/k8s.io/apimachinery/pkg/api/resource/suffix.go
_BINARY = {"Ki": 2**10, "Mi": 2**20, "Gi": 2**30, "Ti": 2**40, "Pi": 2**50, "Ei": 2**60}
_DECIMAL = {"n": Fraction(1, 10**9), "u": Fraction(1, 10**6), "m": Fraction(1, 1000), "": 1,
            "k": 10**3, "M": 10**6, "G": 10**9, "T": 10**12, "P": 10**15, "E": 10**18}
_QUANTITY = re.compile(r"^([+-]?(?:\d+\.?\d*|\.\d+))(?:([eE][+-]?\d+)|(Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E)?)$")
# Object paths whose values are resource.Quantity in the kinds claw emits.
_QUANTITY_PARENTS = {"limits", "requests", "capacity", "hard", "allocatable"}
_QUANTITY_KEYS = {"sizeLimit", "storage"}


def quantity_value(value):
    """The exact value of a Quantity given as a string or number; None if it is not one."""
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return Fraction(str(value))
    if not isinstance(value, str):
        return None
    found = _QUANTITY.match(value)
    if not found:
        return None
    number = Fraction(found.group(1))
    if found.group(2):
        return number * Fraction(10) ** int(found.group(2)[1:])
    suffix = found.group(3) or ""
    return number * (_BINARY.get(suffix) or _DECIMAL[suffix])


def _is_quantity_path(path):
    return len(path) >= 2 and (path[-2] in _QUANTITY_PARENTS or path[-1] in _QUANTITY_KEYS)


def _path_text(path):
    return "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in path) or "."


def first_difference(desired, live, path=()):
    """The first path where live does not hold what desired sets, with both values; None when it does."""
    if isinstance(desired, dict):
        if not isinstance(live, dict):
            return f"{_path_text(path)}: want an object, live has {live!r}"
        for key, value in desired.items():
            if key not in live:
                if value in (None, {}, []):
                    continue  # the server drops empty values, as a real one does
                return f"{_path_text(path + (key,))}: want {value!r}, live has no such field"
            found = first_difference(value, live[key], path + (key,))
            if found:
                return found
        return None
    if isinstance(desired, list):
        if not isinstance(live, list) or len(live) != len(desired):
            return f"{_path_text(path)}: want {desired!r}, live has {live!r}"
        for index, (want, have) in enumerate(zip(desired, live)):
            found = first_difference(want, have, path + (index,))
            if found:
                return found
        return None
    if desired == live and type(desired) is type(live):
        return None
    if isinstance(desired, (int, float)) and isinstance(live, (int, float)) and not isinstance(desired, bool) \
            and desired == live:
        return None
    if _is_quantity_path(path):
        want, have = quantity_value(desired), quantity_value(live)
        if want is not None and want == have:
            return None
    return f"{_path_text(path)}: want {desired!r}, live has {live!r}"


# ------------------------------------------------------------ running a group of steps

class Group:
    """Named steps run in order; each failure is printed and the group's exit code says how it went."""

    def __init__(self, name):
        self.name = name
        self.failed = []
        self.skipped = []
        self.passed = []

    def step(self, name, function, *args):
        """Run one step, recording pass, failure or skip; returns the step's result or None."""
        try:
            result = function(*args)
        except Skip as reason:
            print(f"SKIP {self.name}/{name}: {reason}", flush=True)
            self.skipped.append(name)
            return None
        except (Failure, subprocess.TimeoutExpired, OSError, ValueError, KeyError, TypeError) as error:
            print(f"FAIL {self.name}/{name}: {type(error).__name__}: {error}", flush=True)
            self.failed.append(name)
            return None
        print(f"ok   {self.name}/{name}", flush=True)
        self.passed.append(name)
        return result

    def exit_code(self):
        print(f"{self.name}: {len(self.passed)} passed, {len(self.failed)} failed, {len(self.skipped)} skipped",
              flush=True)
        if self.failed:
            print("failed: " + ", ".join(self.failed), flush=True)
            return 1
        if not self.passed:
            return SKIP
        return 0


def temp_dir(prefix):
    """A fresh folder for one test's state; removed by the caller's context."""
    return tempfile.TemporaryDirectory(prefix=f"claw-kubectl-{prefix}-")


def require_client(kubectl, minimum, why):
    """Skip the step unless the client is at least (major, minor)."""
    version = client_version(kubectl)
    if version[:2] < minimum:
        raise Skip(f"needs kubectl {minimum[0]}.{minimum[1]} ({why}); this client is {version[2]}")


def log(message):
    print(message, file=sys.stderr, flush=True)
