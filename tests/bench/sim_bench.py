#!/usr/bin/env python3
"""claw-sim under load: 5,000 objects of the kinds claw emits, then kubectl and LIST timings.

Usage: sim_bench.py CLAW_SIM [--objects N] [--namespaces N] [--runs N] [--apply N] [--apply-runs N]
Loads N objects (Deployments, Services, ConfigMaps and Secrets in equal parts, across
the namespaces) over HTTPS with the admin certificate, then times, as medians of the
runs: `kubectl get deployments -A -o json`, a LIST per kind (direct HTTPS), a LIST of
N ConfigMaps of one kind (a second server), `kubectl apply --server-side` of --apply
objects and the same again (a no-op). Reports the server's requests per second (from
its --log) and its peak RSS (VmHWM). The kubectl used is found as the tests find it.
"""
import argparse
import base64
import json
import os
import statistics
import subprocess
import sys
import threading
import time

import yaml

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "sim", "kubectl"))
from harness import Sim, client_version, find_kubectl, temp_dir  # noqa: E402

KINDS = [  # (kind, LIST path of all namespaces, namespaced create path)
    ("Deployment", "/apis/apps/v1/deployments", "/apis/apps/v1/namespaces/{ns}/deployments"),
    ("Service", "/api/v1/services", "/api/v1/namespaces/{ns}/services"),
    ("ConfigMap", "/api/v1/configmaps", "/api/v1/namespaces/{ns}/configmaps"),
    ("Secret", "/api/v1/secrets", "/api/v1/namespaces/{ns}/secrets"),
]


def labels(name):
    return {"app.kubernetes.io/name": name, "app.kubernetes.io/managed-by": "claw", "claw.dev/project": "bench"}


def make(kind, name, ns):
    """One object as claw would emit it for a service called name."""
    meta = {"name": name, "namespace": ns, "labels": labels(name)}
    if kind == "Deployment":
        return {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": meta, "spec": {
            "replicas": 2, "selector": {"matchLabels": {"app.kubernetes.io/name": name}},
            "template": {"metadata": {"labels": labels(name)}, "spec": {"containers": [{
                "name": name, "image": f"registry.local/{name}:1.0",
                "ports": [{"containerPort": 8080, "name": "http"}],
                "env": [{"name": "MODE", "value": "production"}, {"name": "PORT", "value": "8080"}],
                "resources": {"requests": {"cpu": "100m", "memory": "128Mi"},
                              "limits": {"cpu": "500m", "memory": "512Mi"}}}]}}}}
    if kind == "Service":
        return {"apiVersion": "v1", "kind": "Service", "metadata": meta, "spec": {
            "selector": {"app.kubernetes.io/name": name},
            "ports": [{"name": "http", "port": 80, "targetPort": "http"}]}}
    if kind == "ConfigMap":
        return {"apiVersion": "v1", "kind": "ConfigMap", "metadata": meta,
                "data": {"config.yaml": f"name: {name}\nlevel: info\nworkers: 4\n", "MODE": "production"}}
    return {"apiVersion": "v1", "kind": "Secret", "metadata": meta, "type": "Opaque",
            "data": {"token": base64.b64encode(f"secret-of-{name}".encode()).decode()}}


def post_all(sim, jobs, threads=4):
    """POST (path, object) pairs over `threads` keep-alive connections; (seconds, failures)."""
    failures = []
    lock = threading.Lock()

    def worker(part):
        conn = sim.connection()
        for path, obj in part:
            conn.request("POST", path, body=json.dumps(obj), headers={"Content-Type": "application/json"})
            response = conn.getresponse()
            response.read()
            if response.status != 201:
                with lock:
                    failures.append((path, response.status))
        conn.close()

    started = time.monotonic()
    pool = [threading.Thread(target=worker, args=(jobs[i::threads],)) for i in range(threads)]
    for t in pool:
        t.start()
    for t in pool:
        t.join()
    return time.monotonic() - started, failures


def namespaces(sim, names):
    post_all(sim, [("/api/v1/namespaces", {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": n}})
                   for n in names], threads=1)


def load(sim, total, namespace_count):
    """total objects, the four kinds in equal parts, spread over namespace_count namespaces."""
    names = [f"team-{i:02d}" for i in range(namespace_count)]
    namespaces(sim, names)
    jobs = []
    for i in range(total):
        kind, _, create = KINDS[i % len(KINDS)]
        ns = names[(i // len(KINDS)) % namespace_count]
        jobs.append((create.format(ns=ns), make(kind, f"svc-{i // len(KINDS):05d}", ns)))
    return post_all(sim, jobs)


def timed_get(conn, path):
    """Seconds of one GET on a kept-alive connection, body read; and the item count."""
    started = time.monotonic()
    conn.request("GET", path, headers={"Accept": "application/json"})
    response = conn.getresponse()
    body = response.read()
    took = time.monotonic() - started
    if response.status != 200:
        raise RuntimeError(f"GET {path}: {response.status} {body[:200]!r}")
    return took, len(json.loads(body)["items"])


def median_list(sim, path, runs):
    conn = sim.connection()
    timed_get(conn, path)  # warm the connection and the TLS session
    samples = [timed_get(conn, path) for _ in range(runs)]
    conn.close()
    return statistics.median(s[0] for s in samples), samples[0][1]


def server_median_ms(log_path, path):
    """Median of the server's own handling time (its --log) of GETs of path."""
    times = [e["duration_ms"] for e in log_lines(log_path) if e["method"] == "GET" and e["path"] == path]
    return statistics.median(times) if times else float("nan")


def run_kubectl(kubectl, sim, args, stdin=None):
    env = dict(os.environ, KUBECONFIG=sim.kubeconfig)
    started = time.monotonic()
    proc = subprocess.run([kubectl] + args, input=stdin, capture_output=True, text=True, env=env, timeout=900)
    took = time.monotonic() - started
    if proc.returncode != 0:
        state = "running" if sim.proc.poll() is None else f"exited {sim.proc.returncode}"
        raise RuntimeError(f"kubectl {' '.join(args)}: {proc.stderr.strip()[:500]}\n"
                           f"claw-sim ({state}) said: {sim.log_text()[-2000:]}")
    return took


def log_lines(path):
    with open(path) as f:
        return [json.loads(line) for line in f if line.strip()]


def rss_kib(pid, field):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    return 0


def apply_stream(count, ns):
    kinds = [k for k, _, _ in KINDS]
    return yaml.safe_dump_all([make(kinds[i % len(kinds)], f"app-{i // len(kinds):05d}", ns) for i in range(count)])


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sim")
    parser.add_argument("--objects", type=int, default=5000)
    parser.add_argument("--namespaces", type=int, default=10)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--apply", type=int, default=1000)
    parser.add_argument("--apply-runs", type=int, default=1)
    args = parser.parse_args()
    kubectl = find_kubectl()
    if not kubectl:
        print("no kubectl (set CLAW_KUBECTL)", file=sys.stderr)
        return 1
    print(f"kubectl: {kubectl} ({client_version(kubectl)[2]}); claw-sim: {args.sim}", flush=True)
    rows = []
    with temp_dir("bench") as work:
        log_path = os.path.join(work, "requests.log")
        with Sim(args.sim, work, ["--log", log_path]) as sim:
            seconds, failures = load(sim, args.objects, args.namespaces)
            if failures:
                print(f"{len(failures)} creates failed, first: {failures[0]}", file=sys.stderr)
                return 1
            rows.append((f"create {args.objects} objects (4 HTTPS connections)", seconds,
                         f"{args.objects / seconds:.0f} creates/s"))
            after_load = rss_kib(sim.proc.pid, "VmRSS")

            get_runs = [run_kubectl(kubectl, sim, ["get", "deployments", "-A", "-o", "json"])
                        for _ in range(args.runs)]
            rows.append(("kubectl get deployments -A -o json", statistics.median(get_runs),
                         f"{args.objects // len(KINDS)} objects"))
            for kind, path, _ in KINDS:
                took, count = median_list(sim, path, args.runs)
                rows.append((f"LIST {path}", took, f"{count} objects; {server_median_ms(log_path, path):.1f} ms in the server"))

            before = len(log_lines(log_path))
            creates, noops = [], []
            for run in range(args.apply_runs):
                ns = f"apply-{run}"
                namespaces(sim, [ns])
                creates.append(run_kubectl(kubectl, sim, ["apply", "--server-side", "-f", "-"],
                                           apply_stream(args.apply, ns)))
            for _ in range(args.apply_runs):
                noops.append(run_kubectl(kubectl, sim, ["apply", "--server-side", "-f", "-"],
                                         apply_stream(args.apply, "apply-0")))
            applied = log_lines(log_path)[before:]
            rows.append((f"kubectl apply --server-side, {args.apply} new objects", statistics.median(creates),
                         f"{args.apply / statistics.median(creates):.0f} objects/s"))
            rows.append((f"kubectl apply --server-side, same {args.apply} again (no-op)", statistics.median(noops),
                         f"{args.apply / statistics.median(noops):.0f} objects/s"))
            all_lines = log_lines(log_path)
            server_ms = sum(e["duration_ms"] for e in all_lines)
            apply_ms = sum(e["duration_ms"] for e in applied)
            peak = rss_kib(sim.proc.pid, "VmHWM")
            requests = len(all_lines)

        with temp_dir("bench-one-kind") as other:
            one_log = os.path.join(other, "requests.log")
            with Sim(args.sim, other, ["--log", one_log]) as sim:
                namespaces(sim, ["one"])
                post_all(sim, [("/api/v1/namespaces/one/configmaps", make("ConfigMap", f"cm-{i:05d}", "one"))
                               for i in range(args.objects)])
                for path in ("/api/v1/configmaps", "/api/v1/namespaces/one/configmaps"):
                    took, count = median_list(sim, path, args.runs)
                    rows.append((f"LIST {path} (one kind)", took,
                                 f"{count} objects; {server_median_ms(one_log, path):.1f} ms in the server"))

    print(f"\n{args.objects} objects in {args.namespaces} namespaces; medians of {args.runs} runs "
          f"(applies: of {args.apply_runs})\n")
    print("| operation | median | |")
    print("|---|--:|---|")
    for name, seconds, note in rows:
        print(f"| {name} | {seconds * 1000:.1f} ms | {note} |")
    print(f"\nserver: {requests} requests, {server_ms / 1000:.2f} s of handling in all: "
          f"{requests / (server_ms / 1000):.0f} requests/s of one thread's time "
          f"(during the applies: {len(applied)} requests, {len(applied) / (apply_ms / 1000):.0f}/s)")
    print(f"server memory: {after_load / 1024:.0f} MiB RSS after the load, peak (VmHWM) {peak / 1024:.0f} MiB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
