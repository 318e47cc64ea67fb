#!/usr/bin/env python3
"""Builds a port of a real public setup and holds its output to the source.

Usage: check.py CLAW PORT_DIR
       check.py --selftest CLAW

PORT_DIR (tests/realworld/<name>/) holds the `.claw` port and expected.yaml:
the essentials of the source's manifests, transcribed by hand. `claw build`
runs on PORT_DIR into a temporary folder; every emitted object is reduced to
the same essentials (see essentials() below) and compared with the expected
ones. A mismatch fails, unless the essential is marked `expect_missing` (a
known gap, listed in the port's README); a marked essential that now matches
fails too ("now supported"), so the list of gaps cannot go stale.

expected.yaml:

    source: github.com/OWNER/REPO
    commit: <the commit read>
    objects:
      - kind: StatefulSet
        name: ollama              # the source's name
        namespace: ollama-cuda    # omitted for cluster-scoped objects
        claw_name: ollama         # optional: where claw puts it today
        claw_kind: Deployment     # optional: the kind claw writes it as
        absent: true              # optional: the source has no such object
        essentials: {...}         # see essentials()
        expect_missing:           # essential (or `group.key`) -> reason,
          limits.cpu: reason      # or one reason for a whole missing object

Only python3 and PyYAML.
"""

import json
import os
import re
import shlex
import subprocess
import sys
import tempfile
from fractions import Fraction

import yaml

WORKLOAD_KINDS = ("Deployment", "StatefulSet", "DaemonSet", "Job", "CronJob")

# Essentials compared key by key: both sides' keys count, so a key claw adds
# (a limit nobody wrote) is a mismatch as much as one it leaves out.
KEYED = ("env", "requests", "limits", "mounts", "probes", "securityContext")
# Essentials compared on the keys expected.yaml lists only.
SUBSET = ("annotations", "fields")
# List essentials whose order matters; every other list is compared sorted.
ORDERED = ("command", "args")

ABSENT = "<absent>"

_QTY = re.compile(r"^([0-9.]+)(m|k|M|G|T|P|E|Ki|Mi|Gi|Ti|Pi|Ei)?$")
_SUFFIX = {
    None: 1, "m": Fraction(1, 1000), "k": 10**3, "M": 10**6, "G": 10**9,
    "T": 10**12, "P": 10**15, "E": 10**18, "Ki": 2**10, "Mi": 2**20,
    "Gi": 2**30, "Ti": 2**40, "Pi": 2**50, "Ei": 2**60,
}


def quantity(text):
    """A Kubernetes quantity as an exact number, in a canonical spelling."""
    m = _QTY.match(str(text))
    if not m:
        return str(text)
    value = Fraction(m.group(1)) * _SUFFIX[m.group(2)]
    if value.denominator == 1:
        for unit, size in (("Gi", 2**30), ("Mi", 2**20)):
            if value.numerator and value.numerator % size == 0:
                return "%d%s" % (value.numerator // size, unit)
        return str(value.numerator)
    return "%sm" % (value * 1000)


def dig(obj, path, default=None):
    """obj[a][b]... for a dotted path; lists take integer parts."""
    for part in path.split("."):
        if isinstance(obj, list) and part.isdigit() and int(part) < len(obj):
            obj = obj[int(part)]
        elif isinstance(obj, dict) and part in obj:
            obj = obj[part]
        else:
            return default
    return obj


def key_of(obj):
    """The (kind, namespace, name) an object is found by."""
    meta = obj.get("metadata", {})
    return (obj.get("kind"), meta.get("namespace"), meta.get("name"))


def load_output(out):
    """Every object claw wrote: manifests, a JoinScript per join script, and
    one Secret per secrets.json entry and namespace (claw writes no Secret
    objects, only their list)."""
    objects = {}
    manifests = os.path.join(out, "manifests")
    for root, _, files in os.walk(manifests):
        for name in sorted(files):
            if not name.endswith(".yaml"):
                continue
            with open(os.path.join(root, name), encoding="utf-8") as f:
                for doc in yaml.safe_load_all(f):
                    if isinstance(doc, dict):
                        objects[key_of(doc)] = doc
    for name in sorted(os.listdir(os.path.join(out, "join"))):
        with open(os.path.join(out, "join", name), encoding="utf-8") as f:
            script = {"kind": "JoinScript", "metadata": {"name": name[:-len(".sh")]}, "text": f.read()}
        objects[key_of(script)] = script
    with open(os.path.join(out, "secrets.json"), encoding="utf-8") as f:
        for entry in json.load(f)["secrets"]:
            for ns in entry["namespaces"]:
                secret = {"kind": "Secret", "metadata": {"name": entry["name"], "namespace": ns},
                          "data": {entry["key"]: ""}}
                objects[key_of(secret)] = secret
    return objects


def pod_of(obj):
    """A workload's pod spec (a CronJob's through its job template)."""
    if obj["kind"] == "CronJob":
        return dig(obj, "spec.jobTemplate.spec.template.spec", {})
    return dig(obj, "spec.template.spec", {})


def named_port(container, port):
    """A container port given by name, as its number."""
    if isinstance(port, str):
        for p in container.get("ports", []) or []:
            if p.get("name") == port:
                return p["containerPort"]
    return port


def probe(container, spec):
    """A probe as `KIND TARGET delay= period= timeout= failures=`, with
    Kubernetes's defaults filled in."""
    if not spec:
        return None
    if "httpGet" in spec:
        what = "http %s %s" % (spec["httpGet"].get("path", "/"), named_port(container, spec["httpGet"]["port"]))
    elif "tcpSocket" in spec:
        what = "tcp %s" % named_port(container, spec["tcpSocket"]["port"])
    elif "exec" in spec:
        what = "exec " + " ".join(spec["exec"]["command"])
    elif "grpc" in spec:
        what = "grpc %s" % spec["grpc"]["port"]
    else:
        what = "?"
    return "%s delay=%s period=%s timeout=%s failures=%s" % (
        what, spec.get("initialDelaySeconds", 0), spec.get("periodSeconds", 10),
        spec.get("timeoutSeconds", 1), spec.get("failureThreshold", 3))


def claim_kind(objects, namespace, claim):
    """`pvc`, or what the volume bound to the claim really is."""
    pvc = objects.get(("PersistentVolumeClaim", namespace, claim))
    pv_name = dig(pvc, "spec.volumeName") if pvc else None
    pv = objects.get(("PersistentVolume", None, pv_name)) if pv_name else None
    if pv:
        for kind in ("nfs", "hostPath"):
            if kind in pv.get("spec", {}):
                return kind
    return "pvc"


def mount(objects, obj, pod, m):
    """A volume mount as what its volume is (`pvc`, `pvc-per-replica`, `nfs`,
    `hostPath`, `emptyDir`, `configMap`, `secret`) and how it is mounted
    (` mode=`, ` ro`, ` subPath=`)."""
    volumes = {v["name"]: v for v in pod.get("volumes", []) or []}
    templates = [t["metadata"]["name"] for t in dig(obj, "spec.volumeClaimTemplates", []) or []]
    v = volumes.get(m["name"], {})
    if m["name"] in templates:
        kind = "pvc-per-replica"
    elif "persistentVolumeClaim" in v:
        kind = claim_kind(objects, obj["metadata"].get("namespace"), v["persistentVolumeClaim"]["claimName"])
    elif "emptyDir" in v:
        kind = "emptyDir"
        if (v["emptyDir"] or {}).get("medium") == "Memory":
            kind += " memory"
        if (v["emptyDir"] or {}).get("sizeLimit"):
            kind += " sizeLimit=" + quantity(v["emptyDir"]["sizeLimit"])
    else:
        kind = next((k for k in ("nfs", "hostPath", "configMap", "secret") if k in v), "?")
        source = (v.get(kind) or {}) if kind in ("configMap", "secret") else {}
        item_modes = {i.get("mode") for i in source.get("items", []) or []}
        mode = item_modes.pop() if len(item_modes) == 1 else source.get("defaultMode")
        if mode is not None and mode != 0o644:
            kind += " mode=%04o" % mode
    if m.get("readOnly"):
        kind += " ro"
    if m.get("subPath"):
        kind += " subPath=" + m["subPath"]
    return kind


def allowed_nodes(pod, all_nodes):
    """The machines a pod may run on: `any`, or their names."""
    nodes = None
    selector = (pod.get("nodeSelector") or {}).get("kubernetes.io/hostname")
    if selector:
        nodes = {selector}
    terms = dig(pod, "affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms", [])
    for term in terms or []:
        for e in term.get("matchExpressions", []):
            if e["key"] == "kubernetes.io/hostname" and e["operator"] == "In":
                nodes = set(e["values"]) if nodes is None else nodes & set(e["values"])
    if nodes is None or nodes == all_nodes:
        return "any"
    return sorted(nodes)


def toleration(t):
    """A toleration as `key=value:Effect`, `key:Effect`, or `*` for all."""
    if t.get("operator") == "Exists" and not t.get("key"):
        return "*"
    text = t.get("key", "")
    if t.get("operator", "Equal") == "Equal" and t.get("value") is not None:
        text += "=" + str(t["value"])
    return text + (":" + t["effect"] if t.get("effect") else "")


def security(pod, container):
    """The pod's and the first container's security settings, flattened."""
    out = {}
    for k in ("fsGroup", "runAsUser", "runAsGroup", "runAsNonRoot", "supplementalGroups"):
        if k in (pod.get("securityContext") or {}):
            out[k] = pod["securityContext"][k]
    sc = container.get("securityContext") or {}
    for k in ("runAsUser", "runAsGroup", "runAsNonRoot", "privileged",
              "allowPrivilegeEscalation", "readOnlyRootFilesystem"):
        if k in sc:
            out[k] = sc[k]
    for k in ("add", "drop"):
        if (sc.get("capabilities") or {}).get(k):
            out["capabilities." + k] = sorted(sc["capabilities"][k])
    return out


def default_pull_policy(image):
    """Kubernetes's pull policy for an image that names none."""
    tag = image.rsplit("/", 1)[-1]
    return "Always" if ":" not in tag or tag.endswith(":latest") else "IfNotPresent"


def env_source(var):
    """Where an env var's value comes from: `value`, or the reference, such
    as `secretKeyRef NAME/KEY` (` optional` when it may be missing)."""
    source = var.get("valueFrom")
    if not source:
        return "value"
    kind, ref = next(iter(source.items()))
    if kind in ("secretKeyRef", "configMapKeyRef"):
        return "%s %s/%s%s" % (kind, ref.get("name"), ref.get("key"), " optional" if ref.get("optional") else "")
    if kind == "fieldRef":
        return "fieldRef " + ref.get("fieldPath", "")
    return kind


def k3s_flags(script):
    """The k3s flags a join script passes (`set -- "$@" --flag value`
    lines, with its `NAME='value'` variables put in), each as `--flag value`
    or `--flag`."""
    variables, tokens = {}, []
    for line in script.splitlines():
        m = re.match(r"^([A-Z_]+)=('[^']*')$", line)
        if m:
            variables[m.group(1)] = shlex.split(m.group(2))[0]
        if line.startswith('set -- "$@" '):
            tokens += [re.sub(r"\$\{?([A-Z_]+)\}?", lambda v: variables.get(v.group(1), v.group(0)), t)
                       for t in shlex.split(line[len('set -- "$@" '):])]
    flags = []
    for i, t in enumerate(tokens):
        if t.startswith("--") and "=" in t:
            flags.append(" ".join(t.split("=", 1)))
        elif t.startswith("--"):
            has_value = i + 1 < len(tokens) and not tokens[i + 1].startswith("--")
            flags.append(t + (" " + tokens[i + 1] if has_value else ""))
    return flags


def workload(objects, obj, all_nodes):
    """A workload's essentials, from its first container and its pod."""
    pod = pod_of(obj)
    containers = pod.get("containers", []) or [{}]
    c = containers[0]
    resources = c.get("resources", {}) or {}
    e = {
        "images": [x.get("image") for x in containers],
        "imagePullPolicy": c.get("imagePullPolicy") or default_pull_policy(c.get("image", "")),
        "command": c.get("command"),
        "args": c.get("args"),
        "ports": ["%s/%s" % (p["containerPort"], p.get("protocol", "TCP"))
                  + (":host%s" % p["hostPort"] if p.get("hostPort") else "")
                  for p in c.get("ports", []) or []],
        "env": {v["name"]: env_source(v) for v in c.get("env", []) or []},
        "envFrom": [next(k for k in f if k.endswith("Ref")) + ":" + next(f[k]["name"] for k in f if k.endswith("Ref"))
                    for f in c.get("envFrom", []) or []],
        "requests": {k: quantity(v) for k, v in (resources.get("requests") or {}).items()},
        "limits": {k: quantity(v) for k, v in (resources.get("limits") or {}).items()},
        "mounts": {m["mountPath"]: mount(objects, obj, pod, m) for m in c.get("volumeMounts", []) or []},
        "probes": {k: probe(c, c.get(k + "Probe")) for k in ("liveness", "readiness", "startup")
                   if c.get(k + "Probe")},
        "nodes": allowed_nodes(pod, all_nodes),
        "tolerations": [toleration(t) for t in pod.get("tolerations", []) or []],
        "runtimeClass": pod.get("runtimeClassName"),
        "hostNetwork": bool(pod.get("hostNetwork", False)),
        "dnsPolicy": pod.get("dnsPolicy", "ClusterFirst"),
        "securityContext": security(pod, c),
        "restartPolicy": pod.get("restartPolicy", "Always"),
    }
    if obj["kind"] in ("Deployment", "StatefulSet"):
        e["replicas"] = dig(obj, "spec.replicas", 1)
    if obj["kind"] == "CronJob":
        e["schedule"] = dig(obj, "spec.schedule")
        e["timeZone"] = dig(obj, "spec.timeZone")
        e["concurrencyPolicy"] = dig(obj, "spec.concurrencyPolicy", "Allow")
        e["history"] = "succeeded=%s failed=%s" % (dig(obj, "spec.successfulJobsHistoryLimit", 3),
                                                   dig(obj, "spec.failedJobsHistoryLimit", 1))
    return e


def service_target(objects, svc, target):
    """A Service's named targetPort, as the container port number it names."""
    if not isinstance(target, str):
        return target
    selector = dig(svc, "spec.selector", {}) or {}
    for (kind, ns, _), obj in objects.items():
        if kind in WORKLOAD_KINDS and ns == svc["metadata"].get("namespace"):
            labels = dig(obj, "spec.template.metadata.labels", {}) or {}
            if selector and all(labels.get(k) == v for k, v in selector.items()):
                for c in pod_of(obj).get("containers", []):
                    number = named_port(c, target)
                    if number != target:
                        return number
    return target


def service(objects, obj):
    """A Service's type and its ports as `port/protocol->target[ nodePort=]`."""
    ports = []
    for p in dig(obj, "spec.ports", []) or []:
        text = "%s/%s->%s" % (p["port"], p.get("protocol", "TCP"),
                              service_target(objects, obj, p.get("targetPort", p["port"])))
        if p.get("nodePort"):
            text += " nodePort=%s" % p["nodePort"]
        ports.append(text)
    return {"type": dig(obj, "spec.type", "ClusterIP"), "ports": ports}


def ingress(objects, obj):
    """An Ingress's class, its rules as `host path type -> service:port`,
    and its TLS entries as `secret: hosts`."""
    ns = obj["metadata"].get("namespace")
    rules = []
    for rule in dig(obj, "spec.rules", []) or []:
        for p in dig(rule, "http.paths", []) or []:
            svc = dig(p, "backend.service.name")
            port = dig(p, "backend.service.port.number") or dig(p, "backend.service.port.name")
            if isinstance(port, str):
                for sp in dig(objects.get(("Service", ns, svc), {}), "spec.ports", []) or []:
                    if sp.get("name") == port:
                        port = sp["port"]
            rules.append("%s %s %s -> %s:%s" % (rule.get("host"), p.get("path"), p.get("pathType"), svc, port))
    annotations = dig(obj, "metadata.annotations", {}) or {}
    return {
        "class": dig(obj, "spec.ingressClassName") or annotations.get("kubernetes.io/ingress.class"),
        "rules": rules,
        "tls": ["%s: %s" % (t.get("secretName"), ",".join(t.get("hosts", []))) for t in dig(obj, "spec.tls", []) or []],
    }


# Each kind of object is reduced to its essentials: workloads (images, ports,
# env sources, resources, mounts, probes, scheduling, security, schedule),
# Services (type, ports), Ingresses (class, rules, TLS), ConfigMaps and
# Secrets (keys), join scripts (the k3s flags the source passes); every
# kind also has `annotations` and `fields` (dotted paths into the object,
# for custom resources and charts).
def essentials(objects, obj, all_nodes):
    """The essentials of one emitted object, by its kind."""
    kind = obj["kind"]
    if kind in WORKLOAD_KINDS:
        e = workload(objects, obj, all_nodes)
    elif kind == "Service":
        e = service(objects, obj)
    elif kind == "Ingress":
        e = ingress(objects, obj)
    elif kind == "JoinScript":
        e = {"k3sFlags": k3s_flags(obj["text"])}
    elif kind in ("ConfigMap", "Secret"):
        e = {"keys": sorted(list((obj.get("data") or {}).keys()) + list((obj.get("binaryData") or {}).keys()))}
    else:
        e = {}
    e["annotations"] = dig(obj, "metadata.annotations", {}) or {}
    return e


def normal(name, value):
    """One spelling for one meaning: quantities, sorted lists, absent."""
    if value is None or value == {} or value == []:
        return ABSENT if name not in ("ports", "tolerations", "envFrom", "images", "tls", "rules", "keys") else []
    if isinstance(value, list) and name not in ORDERED:
        return sorted(str(v) if not isinstance(v, (int, str)) else v for v in value)
    return value


def leaves(expected, actual, obj):
    """(path, expected, actual) for every essential expected.yaml lists."""
    for name, want in expected.items():
        if name == "fields":
            for path, v in (want or {}).items():
                yield "fields." + path, v, dig(obj, path, ABSENT)
        elif name == "k3sFlags":
            # Only the flags the source passes; claw's own are not compared.
            for flag in want or []:
                yield "k3sFlags." + flag, flag, flag if flag in actual.get(name, []) else ABSENT
        elif name in KEYED or name in SUBSET:
            want = want or {}
            got = actual.get(name) or {}
            keys = set(want) | (set(got) if name in KEYED else set())
            for k in sorted(keys, key=str):
                w, g = want.get(k, ABSENT), got.get(k, ABSENT)
                if name in ("requests", "limits"):
                    w, g = (quantity(x) if x is not ABSENT else x for x in (w, g))
                if isinstance(w, list) or isinstance(g, list):
                    w, g = normal(name, w), normal(name, g)
                yield "%s.%s" % (name, k), w, g
        else:
            yield name, normal(name, want), normal(name, actual.get(name))


def same(want, got):
    """Equal, with numbers and booleans compared as YAML would write them."""
    if isinstance(want, (int, bool)) or isinstance(got, (int, bool)):
        return str(want).lower() == str(got).lower()
    return want == got


def check(objects, expected, all_nodes, log):
    """Compares every expected object; returns the failures (strings)."""
    failures = []
    counts = {"match": 0, "gap": 0}
    for want in expected["objects"]:
        kind, ns, name = want["kind"], want.get("namespace"), want["name"]
        label = "%s %s%s" % (kind, ns + "/" if ns else "", name)
        missing = want.get("expect_missing") or {}
        obj = objects.get((kind, ns, name))
        found_as = name
        if obj is None and (want.get("claw_name") or want.get("claw_kind")):
            found_as = want.get("claw_name") or name
            obj = objects.get((want.get("claw_kind") or kind, ns, found_as))
        if want.get("absent"):
            # An object the source does not have and claw must not write.
            if obj is None and isinstance(missing, str):
                failures.append("%s: now supported (no longer emitted): remove expect_missing" % label)
            elif obj is None:
                counts["match"] += 1
            elif isinstance(missing, str):
                counts["gap"] += 1
                log("gap   %s: emitted, the source has none (%s)" % (label, missing))
            else:
                failures.append("%s: claw emits it, the source has no such object" % label)
            continue
        if isinstance(missing, str):
            if obj is None:
                counts["gap"] += 1
                log("gap   %s: not emitted (%s)" % (label, missing))
            else:
                failures.append("%s: now supported (claw emits it): remove expect_missing and check its essentials" % label)
            continue
        if obj is None:
            failures.append("%s: claw emits no such object" % label)
            continue
        actual = essentials(objects, obj, all_nodes)
        checked = set()
        results = [("name", name, found_as)]
        if want.get("claw_kind"):
            results.append(("kind", kind, obj["kind"]))
        results += list(leaves(want.get("essentials") or {}, actual, obj))
        for path, w, g in results:
            checked.add(path)
            gap = missing.get(path)
            if same(w, g):
                if gap:
                    failures.append("%s %s: now supported (claw writes %r): remove expect_missing" % (label, path, g))
                else:
                    counts["match"] += 1
            elif gap:
                counts["gap"] += 1
                log("gap   %s %s: source %r, claw %r (%s)" % (label, path, w, g, gap))
            else:
                failures.append("%s %s: source has %r, claw wrote %r" % (label, path, w, g))
        for path in missing:
            if path not in checked:
                failures.append("%s: expect_missing names `%s`, which is not an essential of it" % (label, path))
    log("%d essentials match, %d known gaps, %d failures" % (counts["match"], counts["gap"], len(failures)))
    return failures


def build(claw, port, out):
    """`claw build PORT -o OUT`; its failure ends the check."""
    result = subprocess.run([claw, "build", port, "-o", out], capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise SystemExit("claw build %s failed:\n%s" % (port, result.stderr))


def run(claw, port, expected_path, log):
    """Builds the port and checks it against expected_path; returns the
    failures."""
    with open(expected_path, encoding="utf-8") as f:
        expected = yaml.safe_load(f)
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "out")
        build(claw, port, out)
        objects = load_output(out)
        with open(os.path.join(out, "placement.json"), encoding="utf-8") as f:
            placement = json.load(f)
    all_nodes = {m["name"] for m in placement["machines"] if m.get("joined", True)}
    return check(objects, expected, all_nodes, log)


def selftest(claw):
    """The checker on a port whose expectations are wrong on purpose: it
    must report exactly the failures _selftest/expected.yaml lists."""
    here = os.path.dirname(os.path.abspath(__file__))
    port = os.path.join(here, "_selftest")
    path = os.path.join(port, "expected.yaml")
    with open(path, encoding="utf-8") as f:
        want = sorted(yaml.safe_load(f)["selftest_failures"])
    got = sorted(run(claw, port, path, lambda _: None))
    if got != want:
        print("selftest: the checker reported\n  %s\nbut should report\n  %s"
              % ("\n  ".join(got), "\n  ".join(want)))
        return 1
    print("selftest: %d planted failures reported, nothing else" % len(got))
    return 0


def main(argv):
    if len(argv) == 3 and argv[1] == "--selftest":
        return selftest(argv[2])
    if len(argv) != 3:
        print(__doc__.strip().splitlines()[2], file=sys.stderr)
        return 2
    claw, port = argv[1], argv[2]
    failures = run(claw, port, os.path.join(port, "expected.yaml"), print)
    for f in failures:
        print("FAIL  " + f)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
