#!/usr/bin/env python3
"""`claw plan` / `claw apply` against `kubectl diff` / `kubectl apply`, server-side, on claw-sim.

Usage: plan_bench.py CLAW CLAW_SIM [--objects 5000] [--small 1000] [--runs 5] [--kubectl-runs N]
                     [--kubectl-concurrency C] [--skip-apply]

One program of about --objects objects (tests/bench/gen_build_inputs.py: a Deployment,
a Service and a ConfigMap per service, plus the Namespace and the nvidia RuntimeClass),
built once with `claw build` for its placement.json and out/manifests/. Every claw-sim is
started with `--nodes placement.json` and `--log`, so each command's HTTP requests are the
log lines it added. claw and kubectl alternate, run by run, on the same server and objects:

  1. apply of every object, each run on a fresh state: `claw apply DIR --yes` against
     `kubectl apply --server-side -f manifests/namespaces.yaml` then `-R -f manifests/`;
  2. a plan with no change over the live objects (applied once by claw): `claw plan DIR`
     (exit 0) against `kubectl diff --server-side -R -f manifests/` (exit 0), at --objects
     and at --small objects, so that the request counts show how they grow;
  3. a plan with 1% of the objects changed: the replicas of 1% as many Deployments set on
     the server by a JSON merge patch, then `claw plan` (exit 2) against `kubectl diff
     --server-side --force-conflicts` (exit 1; without --force-conflicts the dry-run apply
     is refused with a conflict over spec.replicas, now owned by the patch's manager).

`kubectl diff` exits 0 when it finds no difference, 1 when it finds some, >1 on an error
(kubectl.docs.kubernetes.io, "Diffing Local and Remote Resources"). It diffs one object at a
time unless given --concurrency (default 1); with --kubectl-concurrency C the plans are also
timed with `kubectl diff --concurrency=C`, claw's `--parallel` being 16 by default.

Prints the median and the minimum of the runs, the ratio kubectl / claw of the medians, and
the requests per command. It prints figures and sets no thresholds: it fails only when a
command exits otherwise than expected or the objects on the server are not the program's.
The kubectl is found as the kubectl tests find it (CLAW_KUBECTL, else kubectl.1.32 beside
the resolved kubectl).
"""
import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "sim", "kubectl"))
from harness import Sim, client_version, find_kubectl, temp_dir  # noqa: E402

GENERATOR = os.path.join(HERE, "gen_build_inputs.py")
PROJECT = "bench"        # the generated program's `cluster` name: claw's project label
NAMESPACE = "claw"       # the generated program's namespace
EXTRA_OBJECTS = 2        # the Namespace and the nvidia RuntimeClass beside 3 objects per service
SERVICES_PER_MACHINE = 16
COMMAND_TIMEOUT = 1800


class BenchError(Exception):
    pass


class Program:
    """A generated program, built: its claw sources, manifests, placement and object count."""

    def __init__(self, claw, work, objects):
        services = max(1, (objects - EXTRA_OBJECTS) // 3)
        machines = max(8, services // SERVICES_PER_MACHINE)
        root = os.path.join(work, f"program-{objects}")
        subprocess.run([sys.executable, GENERATOR, "--services", str(services), "--machines", str(machines), root],
                       check=True, capture_output=True)
        self.source = os.path.join(root, "claw")
        out = os.path.join(root, "out")
        built = subprocess.run([claw, "build", self.source, "-o", out, "--no-lock"], capture_output=True, text=True)
        if built.returncode != 0:
            raise BenchError(f"claw build {self.source} exited {built.returncode}:\n{built.stderr[-3000:]}")
        self.manifests = os.path.join(out, "manifests")
        self.namespaces = os.path.join(self.manifests, "namespaces.yaml")
        self.placement = os.path.join(out, "placement.json")
        self.services = services
        self.machines = machines
        self.kinds = count_kinds(self.manifests)
        self.objects = sum(self.kinds.values())


def count_kinds(folder):
    """{kind: documents} over every YAML file under folder (claw writes `kind:` at column 0)."""
    kinds = {}
    for base, _, files in os.walk(folder):
        for name in files:
            with open(os.path.join(base, name)) as f:
                for found in re.findall(r"^kind: (\S+)$", f.read(), re.M):
                    kinds[found] = kinds.get(found, 0) + 1
    return kinds


class Server:
    """A claw-sim with the program's nodes and a request log, on a fresh state folder."""

    def __init__(self, sim_exe, work, program, name):
        folder = os.path.join(work, name)
        os.makedirs(folder)
        self.log = os.path.join(folder, "requests.log")
        self.sim = Sim(sim_exe, folder, ["--nodes", program.placement, "--log", self.log])

    def __enter__(self):
        self.sim.start()
        return self

    def __exit__(self, kind, value, trace):
        self.sim.__exit__(kind, value, trace)

    def requests(self):
        """Requests served so far (one log line each; the sim flushes every line)."""
        if not os.path.exists(self.log):
            return 0
        with open(self.log, "rb") as f:
            return sum(1 for _ in f)


class Tools:
    """Runs claw and kubectl against one server, timing each command and counting its requests."""

    def __init__(self, claw, kubectl):
        self.claw = claw
        self.kubectl = kubectl

    def _run(self, server, argv, env, expect, what):
        before = server.requests()
        started = time.monotonic()
        proc = subprocess.run(argv, capture_output=True, text=True, env=env, stdin=subprocess.DEVNULL,
                              timeout=COMMAND_TIMEOUT)
        took = time.monotonic() - started
        if proc.returncode != expect:
            raise BenchError(f"{what} exited {proc.returncode}, expected {expect}\n"
                             f"stdout: {proc.stdout[-2000:]}\nstderr: {proc.stderr[-2000:]}")
        return took, server.requests() - before, proc.stdout

    def claw_run(self, server, program, command, expect):
        env = dict(os.environ, NO_COLOR="1")
        env.pop("KUBECONFIG", None)
        argv = [self.claw, command, program.source, "--kubeconfig", server.sim.kubeconfig]
        if command == "apply":
            argv.append("--yes")
        return self._run(server, argv, env, expect, f"claw {command}")

    def kubectl_run(self, server, args, expect):
        env = dict(os.environ, KUBECONFIG=server.sim.kubeconfig)
        env.pop("KUBECTL_EXTERNAL_DIFF", None)  # kubectl's own `diff -u -N`
        return self._run(server, [self.kubectl] + args, env, expect, "kubectl " + " ".join(args))

    def kubectl_apply(self, server, program):
        """Namespaces first, as a user must: the namespaced objects need theirs to exist."""
        t1, r1, _ = self.kubectl_run(server, ["apply", "--server-side", "-f", program.namespaces], 0)
        t2, r2, _ = self.kubectl_run(server, ["apply", "--server-side", "-R", "-f", program.manifests], 0)
        return t1 + t2, r1 + r2

    def kubectl_diff(self, server, program, expect, force_conflicts=False, concurrency=0):
        args = ["diff", "--server-side", "-R", "-f", program.manifests]
        if concurrency:
            args.append(f"--concurrency={concurrency}")
        if force_conflicts:
            args.append("--force-conflicts")
        took, requests, out = self.kubectl_run(server, args, expect)
        return took, requests, out


LIST_PATHS = {"Deployment": "/apis/apps/v1/deployments", "Service": "/api/v1/services",
              "ConfigMap": "/api/v1/configmaps"}


def check_live(server, program, who):
    """The server holds as many of the program's Deployments, Services and ConfigMaps as it has."""
    conn = server.sim.connection()
    for kind, path in LIST_PATHS.items():
        conn.request("GET", f"{path}?labelSelector=claw.dev/project%3D{PROJECT}",
                     headers={"Accept": "application/json"})
        response = conn.getresponse()
        body = json.loads(response.read())
        if response.status != 200 or len(body["items"]) != program.kinds[kind]:
            raise BenchError(f"after {who}: {len(body.get('items', []))} {kind}s on the server, "
                             f"expected {program.kinds[kind]}")
    conn.close()


def patch_replicas(server, program):
    """Set the replicas of 1% of the objects' worth of Deployments by a merge patch; their names."""
    count = max(1, program.objects // 100)
    step = max(1, program.services // count)
    names = [f"svc-{i:05d}" for i in range(1, program.services + 1, step)][:count]
    conn = server.sim.connection()
    for name in names:
        path = f"/apis/apps/v1/namespaces/{NAMESPACE}/deployments/{name}?fieldManager=bench-drift"
        conn.request("PATCH", path, body=json.dumps({"spec": {"replicas": 7}}),
                     headers={"Content-Type": "application/merge-patch+json", "Accept": "application/json"})
        response = conn.getresponse()
        text = response.read()
        if response.status != 200:
            raise BenchError(f"merge patch of deployment {name}: {response.status} {text[:300]!r}")
    conn.close()
    return names


class Figures:
    """Samples per (scenario, tool): seconds and requests."""

    def __init__(self):
        self.rows = {}

    def add(self, scenario, tool, seconds, requests):
        entry = self.rows.setdefault((scenario, tool), {"seconds": [], "requests": []})
        entry["seconds"].append(seconds)
        entry["requests"].append(requests)

    def median(self, scenario, tool):
        return statistics.median(self.rows[(scenario, tool)]["seconds"])

    def table(self, scenarios):
        lines = ["| scenario | tool | runs | median s | min s | kubectl ÷ claw | requests |",
                 "|---|---|--:|--:|--:|--:|--:|"]
        for scenario in scenarios:
            variants = sorted(t for s, t in self.rows if s == scenario and t.startswith("kubectl "))
            for tool in ["claw", "kubectl"] + variants:
                entry = self.rows.get((scenario, tool))
                if not entry:
                    continue
                ratio = ""
                if tool.startswith("kubectl") and (scenario, "claw") in self.rows:
                    ratio = f"{self.median(scenario, tool) / self.median(scenario, 'claw'):.1f}×"
                requests = sorted(set(entry["requests"]))
                shown = str(requests[0]) if len(requests) == 1 else f"{requests[0]}-{requests[-1]}"
                lines.append(f"| {scenario} | {tool} | {len(entry['seconds'])} | "
                             f"{statistics.median(entry['seconds']):.3f} | {min(entry['seconds']):.3f} | "
                             f"{ratio} | {shown} |")
        return "\n".join(lines)


def say(text):
    print(text, file=sys.stderr, flush=True)


def bench_apply(tools, sim_exe, work, program, figures, runs, kubectl_runs):
    name = f"apply {program.objects} new"
    for run in range(runs):
        with Server(sim_exe, work, program, f"apply-claw-{run}") as server:
            took, requests, _ = tools.claw_run(server, program, "apply", 0)
            check_live(server, program, "claw apply")
        figures.add(name, "claw", took, requests)
        say(f"  {name}: claw {took:.2f} s, {requests} requests")
        if run < kubectl_runs:
            with Server(sim_exe, work, program, f"apply-kubectl-{run}") as server:
                took, requests = tools.kubectl_apply(server, program)
                check_live(server, program, "kubectl apply")
            figures.add(name, "kubectl", took, requests)
            say(f"  {name}: kubectl {took:.2f} s, {requests} requests")
    return name


def bench_plans(tools, server, program, figures, runs, kubectl_runs, name, claw_rc, kubectl_rc, force=False,
                concurrency=0):
    for run in range(runs):
        took, requests, out = tools.claw_run(server, program, "plan", claw_rc)
        figures.add(name, "claw", took, requests)
        summary = next((line for line in out.splitlines() if line.startswith(("Plan:", "No changes"))), "?")
        say(f"  {name}: claw {took:.3f} s, {requests} requests ({summary})")
        if run < kubectl_runs:
            took, requests, out = tools.kubectl_diff(server, program, kubectl_rc, force)
            figures.add(name, "kubectl", took, requests)
            say(f"  {name}: kubectl {took:.2f} s, {requests} requests, "
                f"{sum(1 for line in out.splitlines() if line.startswith('diff '))} objects differ")
            if concurrency:
                tool = f"kubectl --concurrency={concurrency}"
                took, requests, out = tools.kubectl_diff(server, program, kubectl_rc, force, concurrency)
                figures.add(name, tool, took, requests)
                say(f"  {name}: {tool} {took:.2f} s, {requests} requests")
    return name


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("claw")
    parser.add_argument("sim")
    parser.add_argument("--objects", type=int, default=5000, help="objects of the main program (default 5000)")
    parser.add_argument("--small", type=int, default=1000,
                        help="objects of the second program, for request growth (default 1000; 0: none)")
    parser.add_argument("--runs", type=int, default=5, help="runs per command (default 5)")
    parser.add_argument("--kubectl-runs", type=int, help="runs of kubectl (default: --runs)")
    parser.add_argument("--kubectl-concurrency", type=int, default=0,
                        help="also time `kubectl diff --concurrency=C` (default: not)")
    parser.add_argument("--skip-apply", action="store_true", help="leave out scenario 1")
    args = parser.parse_args()
    kubectl_runs = args.runs if args.kubectl_runs is None else min(args.kubectl_runs, args.runs)
    kubectl = find_kubectl()
    if not kubectl:
        say("plan_bench: no kubectl (set CLAW_KUBECTL)")
        return 1
    claw, sim_exe = os.path.abspath(args.claw), os.path.abspath(args.sim)
    for exe in (claw, sim_exe):
        if not os.access(exe, os.X_OK):
            say(f"plan_bench: {exe} is not an executable; build it first")
            return 1
    tools = Tools(claw, kubectl)
    figures = Figures()
    scenarios = []
    with temp_dir("plan-bench") as work:
        program = Program(claw, work, args.objects)
        say(f"kubectl {client_version(kubectl)[2]} ({kubectl}); program: {program.services} services on "
            f"{program.machines} machines, {program.objects} objects {program.kinds}")
        if not args.skip_apply:
            scenarios.append(bench_apply(tools, sim_exe, work, program, figures, args.runs, kubectl_runs))
        sizes = [program]
        if args.small:
            sizes.append(Program(claw, work, args.small))
        for size in sizes:
            with Server(sim_exe, work, size, f"plan-{size.objects}") as server:
                tools.claw_run(server, size, "apply", 0)
                check_live(server, size, "claw apply")
                scenarios.append(bench_plans(tools, server, size, figures, args.runs, kubectl_runs,
                                             f"plan, no change, {size.objects} live", 0, 0,
                                             concurrency=args.kubectl_concurrency))
                if size is program:
                    names = patch_replicas(server, size)
                    scenarios.append(bench_plans(tools, server, size, figures, args.runs, kubectl_runs,
                                                 f"plan, {len(names)} Deployments changed", 2, 1, force=True,
                                                 concurrency=args.kubectl_concurrency))
    print(f"\nclaw-sim --nodes, {program.services} services on {program.machines} machines "
          f"({program.objects} objects: {', '.join(f'{v} {k}' for k, v in sorted(program.kinds.items()))}); "
          f"kubectl {client_version(kubectl)[2]}; runs: claw {args.runs}, kubectl {kubectl_runs}\n")
    print(figures.table(scenarios))
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except BenchError as error:
        say(f"plan_bench: {error}")
        sys.exit(1)
