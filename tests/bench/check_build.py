#!/usr/bin/env python3
"""Check that every tool of the `claw build` benchmark emitted the same objects.

Usage: check_build.py SERVICES_JSON TOOL=PATH [TOOL=PATH ...]

PATH is a YAML file (a multi-document stream: pkl, jsonnet) or a folder (claw's
output: every *.yaml under PATH/manifests/). Needs PyYAML (Debian: python3-yaml).

For every tool, against what the N records in SERVICES_JSON say (not against one
another, so every tool is checked on its own):

* exactly N Deployments, N Services and N ConfigMaps, and the same set of
  (kind, namespace, name): `<name>`, `<name>`, `<name>-config` in namespace `claw`;
  any other kind fails, except claw's cluster-scoped Namespace and RuntimeClass,
  which are counted and reported;
* per Deployment: replicas; one container; its image; its ports (name,
  containerPort, protocol); its env as a set of (name, value); requests and
  limits of cpu and memory, compared as quantities (`1` = `1000m`), the exact set
  of resource keys, and the `nvidia.com/gpu` limit (present with value 1 on every
  10th record, absent elsewhere); the toleration `dedicated=claw:NoSchedule` among
  the pod's tolerations; the selector matching the pod template's labels;
* per Service: type ClusterIP, its ports (name, port, protocol, and targetPort
  resolved through the Deployment's named container ports to a number), and a
  selector that selects the Deployment's pods;
* per ConfigMap: `data`, exactly.

Labels, annotations, affinity, extra tolerations, volumes, runtimeClassName,
container names and key order are each tool's own business and not compared.
In addition, tools marked strict (pkl and jsonnet, which render the same
templates) must have the same digest: the sorted, key-sorted canonical JSON of
all their objects.

Prints one line per tool and the first mismatches; exits 1 on any mismatch.
"""
import hashlib
import json
import os
import sys
from collections import Counter
from fractions import Fraction

import yaml

Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
NS = "claw"
TOLERATION = {"key": "dedicated", "operator": "Equal", "value": "claw", "effect": "NoSchedule"}
STRICT = {"pkl", "jsonnet"}
CLAW_EXTRAS = {"Namespace", "RuntimeClass"}
MAX_REPORTED = 15

SUFFIX = {"": 1, "m": Fraction(1, 1000), "k": 10**3, "M": 10**6, "G": 10**9, "T": 10**12,
          "Ki": 2**10, "Mi": 2**20, "Gi": 2**30, "Ti": 2**40, "Pi": 2**50}


def quantity(v):
    """A Kubernetes quantity as an exact number: '1' == '1000m' == 1, '512Mi' == 536870912."""
    if isinstance(v, bool):
        raise ValueError("bool %r is not a quantity" % v)
    if isinstance(v, int):
        return Fraction(v)
    s = str(v)
    i = len(s)
    while i > 0 and s[i - 1].isalpha():
        i -= 1
    num, suf = s[:i], s[i:]
    if suf not in SUFFIX or not num:
        raise ValueError("bad quantity %r" % v)
    return Fraction(num) * SUFFIX[suf]


def expected(rec):
    """The essential content of the 3 objects a record must become."""
    name, port = rec["name"], rec["port"]
    limits = {"cpu": quantity("1000m"), "memory": quantity("512Mi")}
    if rec["gpu"]:
        limits["nvidia.com/gpu"] = Fraction(1)
    return {
        ("Deployment", NS, name): {
            "replicas": rec["replicas"],
            "image": rec["image"],
            "ports": [("http", port, "TCP")],
            "env": sorted([("LOG_LEVEL", rec["logLevel"]), ("SERVICE_NAME", name),
                           ("SERVICE_PORT", str(port))]),
            "requests": {"cpu": quantity(rec["cpu"]), "memory": quantity(rec["memory"])},
            "limits": limits,
            "toleration": True,
            "selector matches pods": True,
        },
        ("Service", NS, name): {
            "type": "ClusterIP",
            "ports": [("http", port, port, "TCP")],
            "selects the Deployment's pods": True,
        },
        ("ConfigMap", NS, name + "-config"): {
            "data": {"log.level": rec["logLevel"],
                     "endpoint": "http://%s.%s.svc.cluster.local:%d" % (name, NS, port)},
        },
    }


def dig(o, *path, default=None):
    for p in path:
        if isinstance(o, dict):
            o = o.get(p)
        elif isinstance(o, list) and isinstance(p, int) and p < len(o):
            o = o[p]
        else:
            return default
        if o is None:
            return default
    return o


def selects(selector, labels):
    return bool(selector) and all(labels.get(k) == v for k, v in selector.items())


def quantities(m):
    try:
        return {k: quantity(v) for k, v in (m or {}).items()}
    except ValueError as e:
        return {"<error>": str(e)}


class Tool:
    def __init__(self, name, path):
        self.name, self.path = name, path
        self.files = 0
        self.bytes = 0
        self.kinds = Counter()
        self.essential = {}       # key -> dict of essential fields
        self.pods = {}            # Deployment key -> (pod labels, {port name: number})
        self.services = {}        # Service key -> (selector, raw ports)
        self.duplicates = []
        self.hashes = []          # per-object canonical-JSON hashes, for the strict digest

    def sources(self):
        if os.path.isdir(self.path):
            root = os.path.join(self.path, "manifests")
            for d, _, fs in sorted(os.walk(root)):
                for f in sorted(fs):
                    if f.endswith(".yaml"):
                        yield os.path.join(d, f)
        else:
            yield self.path

    def load(self):
        for src in self.sources():
            self.files += 1
            self.bytes += os.path.getsize(src)
            with open(src, encoding="utf-8") as f:
                for doc in yaml.load_all(f, Loader=Loader):
                    if doc is not None:
                        self.add(doc)
        # Services: resolve named target ports through the Deployment of the same name.
        for key, (selector, ports) in self.services.items():
            dkey = ("Deployment", key[1], key[2])
            labels, named = self.pods.get(dkey, ({}, {}))
            resolved = []
            for p in ports:
                tp = p.get("targetPort", p.get("port"))
                if isinstance(tp, str):
                    tp = named.get(tp, "unresolved name %r" % tp)
                resolved.append((p.get("name"), p.get("port"), tp, p.get("protocol", "TCP")))
            self.essential[key]["ports"] = resolved
            self.essential[key]["selects the Deployment's pods"] = selects(selector, labels)

    def add(self, o):
        kind = o.get("kind")
        self.kinds[kind] += 1
        if self.name in STRICT:
            canon = json.dumps(o, sort_keys=True, separators=(",", ":"))
            self.hashes.append(hashlib.sha256(canon.encode()).digest())
        key = (kind, dig(o, "metadata", "namespace"), dig(o, "metadata", "name"))
        if kind not in ("Deployment", "Service", "ConfigMap"):
            return
        if key in self.essential:
            self.duplicates.append(key)
        if kind == "Deployment":
            pod = dig(o, "spec", "template", "spec", default={})
            cs = pod.get("containers") or []
            c = cs[0] if cs else {}
            res = c.get("resources") or {}
            labels = dig(o, "spec", "template", "metadata", "labels", default={})
            self.pods[key] = (labels, {p.get("name"): p.get("containerPort") for p in c.get("ports") or []})
            self.essential[key] = {
                "containers": len(cs),
                "replicas": dig(o, "spec", "replicas"),
                "image": c.get("image"),
                "ports": [(p.get("name"), p.get("containerPort"), p.get("protocol", "TCP"))
                          for p in c.get("ports") or []],
                "env": sorted((e.get("name"), e.get("value")) for e in c.get("env") or []),
                "requests": quantities(res.get("requests")),
                "limits": quantities(res.get("limits")),
                "toleration": TOLERATION in (pod.get("tolerations") or []),
                "selector matches pods": selects(dig(o, "spec", "selector", "matchLabels"), labels),
            }
        elif kind == "Service":
            spec = o.get("spec") or {}
            self.services[key] = (spec.get("selector") or {}, spec.get("ports") or [])
            self.essential[key] = {"type": spec.get("type", "ClusterIP")}
        else:
            self.essential[key] = {"data": o.get("data")}

    def digest(self):
        h = hashlib.sha256()
        for d in sorted(self.hashes):
            h.update(d)
        return h.hexdigest()[:16]


def show(v):
    """A value for a message: quantities as plain numbers ('1', '536870912', '1/10')."""
    if isinstance(v, Fraction):
        return str(v)
    if isinstance(v, dict):
        return "{%s}" % ", ".join("%s: %s" % (k, show(x)) for k, x in v.items())
    return repr(v)


def compare(tool, want):
    """Problems of one tool against the expected objects."""
    problems = []
    n = len(want) // 3
    for k in ("Deployment", "Service", "ConfigMap"):
        if tool.kinds[k] != n:
            problems.append("%d %ss, want %d" % (tool.kinds[k], k, n))
    allowed = {"Deployment", "Service", "ConfigMap"} | (CLAW_EXTRAS if tool.name.startswith("claw") else set())
    other = {k: v for k, v in tool.kinds.items() if k not in allowed}
    if other:
        problems.append("unexpected kinds %s" % other)
    if tool.duplicates:
        problems.append("%d duplicate objects, e.g. %s" % (len(tool.duplicates), tool.duplicates[0]))
    missing = [k for k in want if k not in tool.essential]
    extra = [k for k in tool.essential if k not in want]
    if missing:
        problems.append("%d objects missing, e.g. %s" % (len(missing), missing[:3]))
    if extra:
        problems.append("%d unexpected objects, e.g. %s" % (len(extra), extra[:3]))
    diffs = 0
    for key, w in want.items():
        got = tool.essential.get(key)
        if got is None:
            continue
        if key[0] == "Deployment":
            w = dict(w, containers=1)
        for field, wv in w.items():
            gv = got.get(field)
            if gv != wv:
                diffs += 1
                if diffs <= MAX_REPORTED:
                    problems.append("%s %s/%s: %s = %s, want %s" % (key[0], key[1], key[2], field, show(gv), show(wv)))
    if diffs > MAX_REPORTED:
        problems.append("... %d field mismatches in all" % diffs)
    return problems


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    records = json.load(open(sys.argv[1], encoding="utf-8"))
    want = {}
    for r in records:
        want.update(expected(r))
    n = len(records)
    gpus_want = sum(1 for r in records if r["gpu"])
    ok = True
    digests = {}
    for arg in sys.argv[2:]:
        name, _, path = arg.partition("=")
        tool = Tool(name, path)
        try:
            tool.load()
        except Exception as e:  # noqa: BLE001 - any load failure is a check failure
            print("%-8s FAIL cannot load %s: %s" % (name, path, e))
            ok = False
            continue
        problems = compare(tool, want)
        gpus = sum(1 for k, v in tool.essential.items()
                   if k[0] == "Deployment" and "nvidia.com/gpu" in v["limits"])
        if gpus != gpus_want:
            problems.append("%d GPU Deployments, want %d" % (gpus, gpus_want))
        line = "%-8s objects=%d (%s) files=%d MiB=%.1f gpu-deployments=%d" % (
            name, sum(tool.kinds.values()),
            ", ".join("%s %d" % kv for kv in sorted(tool.kinds.items(), key=lambda kv: str(kv[0]))),
            tool.files, tool.bytes / 2**20, gpus)
        if name in STRICT:
            digests[name] = tool.digest()
            line += " digest=%s" % digests[name]
        if problems:
            ok = False
            print("%s FAIL" % line)
            for p in problems:
                print("    - %s" % p)
        else:
            print("%s OK (%d services: the same %d objects, essential fields equal)" % (line, n, 3 * n))
    if len(set(digests.values())) > 1:
        ok = False
        print("FAIL strict digests differ: %s" % digests)
    elif len(digests) > 1:
        print("strict digests equal (%s): identical objects" % " = ".join(sorted(digests)))
    print("check: %s" % ("OK" if ok else "FAILED"))
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
