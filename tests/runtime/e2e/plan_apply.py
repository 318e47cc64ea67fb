#!/usr/bin/env python3
"""`claw plan` and `claw apply` end to end against claw-sim, on a copy of
infra/, with the real kubectl making drift where a step needs it.

    plan_apply.py CLAW_SIM CLAW SOURCE_DIR CASE

Cases:
  lifecycle  plan (exit 2) → apply --yes → plan "No changes" (exit 0);
             kubectl scale + set image shown as updates naming their
             managers; apply refuses without --force-conflicts, reverts with it
  prune      a service removed from the program is deleted; a hand-made
             look-alike with claw's labels, an annotated object and the
             volumes are kept; the mass-delete guard
  saved      plan --out, apply of the file; refused after a change
  lock       a held Lease makes a second apply fail fast, naming the holder
  secrets    no secret value in any output, plan file or log; a missing
             source is an error naming the secret and the variable
  kubeconfig bad kubeconfigs: one clear error each, exit 1
  faults-rate, faults-drop
             apply under claw-sim's --fail-rate / --drop-connections
             until it succeeds; a plan says "No changes"; the owned
             objects are those of a fault-free apply, none lost or twice
  faults-after
             the sim fails every request from half-way through the
             apply's writes: the report names what was not applied; on
             the sim restarted without faults a rerun converges
  killed     claw apply killed (SIGKILL) part-way: the rerun fails naming
             the lease's holder; with the lease expired it converges
  concurrent two applies at once: one succeeds, the other fails naming it
  moves      a service added moves nothing; a machine removed moves
             exactly its replicas, each with the reason
  moves-local
             a machine removed under services with local volume data:
             refused naming --allow-move; planned and applied with it
  locked     on an empty cluster, the first apply places what claw.lock
             beside the program says (claw build's placement); what runs
             then wins over the lock
Exit 77 (skip) when a case needs kubectl and there is none.
"""
import collections
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import textwrap
import time

import yaml

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "sim", "kubectl"))
import harness  # noqa: E402

SECRETS = {"INNGEST_SIGNING_KEY": "canary-sign-4f1e", "INNGEST_EVENT_KEY": "canary-event-77aa",
           "QDRANT_API_KEY": "canary-qdrant-0b3c", "HF_TOKEN": "canary-hf-9d2e",
           "GITHUB_WEBHOOK_SECRET": "canary-gh-5a6b", "GRAFANA_ADMIN_PASSWORD": "canary-graf-c7d8"}


class Run:
    def __init__(self, sim_exe, claw, source, work):
        self.sim_exe = sim_exe
        self.claw = claw
        self.work = work
        self.source = source
        self.net = os.path.join(work, "infra")
        shutil.copytree(os.path.join(source, "infra"), self.net)
        out = os.path.join(work, "out")
        subprocess.run([claw, "build", self.net, "-o", out, "--no-lock"], check=True, capture_output=True)
        self.manifests = os.path.join(out, "manifests")
        self.placement = os.path.join(out, "placement.json")
        self.sim = harness.Sim(sim_exe, work, ["--nodes", os.path.join(out, "placement.json"), "--ready-after", "50"])
        self.outputs = []

    def restart_sim(self, *faults):
        """Stop the sim and start it again on the same state, with `faults` (claw-sim's fault flags) or none."""
        if self.sim.proc and self.sim.proc.poll() is None:
            self.sim.stop()
        # Without --nodes: the Nodes are in the state already, and --nodes
        # would register them anew, dropping what claw wrote on them.
        self.sim = harness.Sim(self.sim_exe, self.work, ["--ready-after", "50", *faults], state=self.sim.state)
        self.sim.start()

    def close(self, failed):
        """Stop the running sim: it must exit 0 unless the case already failed."""
        self.sim.__exit__(Exception if failed else None, None, None)

    def claw_run(self, *args, rc=None, env=None):
        """Run claw against the sim; fail unless it exits with rc (None accepts any)."""
        full = dict(os.environ, **SECRETS)
        full.pop("KUBECONFIG", None)
        full["NO_COLOR"] = "1"
        if env:
            full.update(env)
        proc = subprocess.run([self.claw, *args, "--kubeconfig", self.sim.kubeconfig], capture_output=True, text=True,
                              env=full, stdin=subprocess.DEVNULL, timeout=120)
        self.outputs.append(proc.stdout + proc.stderr)
        if rc is not None and proc.returncode != rc:
            raise harness.Failure(f"`claw {' '.join(args)}` exited {proc.returncode}, expected {rc}\n"
                                  f"stdout: {proc.stdout[-3000:]}\nstderr: {proc.stderr[-3000:]}")
        return proc

    def plan(self, rc=None, *flags):
        return self.claw_run("plan", self.net, *flags, rc=rc)

    def apply(self, rc=0, *flags):
        return self.claw_run("apply", self.net, "--yes", *flags, rc=rc)


def kubectl(run):
    binary = harness.find_kubectl()
    if not binary:
        raise harness.Skip("no kubectl on this machine")
    return harness.Kubectl(binary, run.sim)


def lifecycle(run):
    first = run.plan(2)
    harness.expect_match(r"Plan: \d+ to create, 0 to update, 0 to delete, 0 to adopt", first.stdout, "first plan")
    run.apply(0)
    again = run.plan(0)
    harness.expect_in("No changes.", again.stdout, "plan after apply")
    k = kubectl(run)
    k.out("-n", "joelclaw", "scale", "deployment/embedder", "--replicas=5")
    k.out("-n", "joelclaw", "set", "image", "statefulset/qdrant", "qdrant=evil:1")
    drift = run.plan(2)
    harness.expect_in("~ spec.replicas: 5 → 2", drift.stdout, "scale shown as an update back")
    harness.expect_in('"evil:1" → "qdrant/qdrant:v1.12.4"', drift.stdout, "image shown as an update back")
    harness.expect_in('"kubectl-set" using apps/v1', drift.stdout, "the conflicting manager named")
    refused = run.apply(1)
    harness.expect_in("--force-conflicts", refused.stdout + refused.stderr, "conflict needs --force-conflicts")
    run.apply(0, "--force-conflicts")
    harness.expect_in("No changes.", run.plan(0).stdout, "plan after the revert")
    deployment = k.get("-n", "joelclaw", "deployment/embedder")
    harness.expect_equal(deployment["spec"]["replicas"], 2, "replicas reverted")


def prune(run):
    run.apply(0)
    k = kubectl(run)
    # A look-alike: claw's labels, made by hand; and an owned object the user pinned.
    k.apply_yaml(json.dumps({"apiVersion": "v1", "kind": "Service",
                             "metadata": {"name": "look-alike", "namespace": "joelclaw",
                                          "labels": {"app.kubernetes.io/managed-by": "claw",
                                                     "claw.dev/project": "joelclaw"}},
                             "spec": {"ports": [{"port": 80}]}}))
    k.out("-n", "joelclaw", "annotate", "service/pdf-brain", "claw.dev/prune=disabled")
    # Remove pdf-brain (a StatefulSet with a claim and an NFS volume) from the program.
    path = os.path.join(run.net, "services", "core.claw")
    text = open(path).read()
    start = text.index("service pdf-brain")
    depth, i = 0, text.index("{", start)
    while True:
        depth += {"{": 1, "}": -1}.get(text[i], 0)
        i += 1
        if depth == 0:
            break
    open(path, "w").write(text[:start] + text[i:])
    plan = run.plan(2).stdout
    harness.expect_in("- delete StatefulSet joelclaw/pdf-brain", plan, "the removed service's controller deleted")
    harness.expect_in("- delete Ingress joelclaw/pdf-brain", plan, "its Ingress deleted")
    harness.expect_match(r"PersistentVolumeClaim joelclaw/nfs-three-body-books.*a volume", plan.replace("\n", " "),
                         "its NFS claim kept")
    harness.expect_in("look-alike", plan, "the look-alike listed as kept")
    harness.expect_match(r"Service joelclaw/look-alike.*no record", plan.replace("\n", " "), "kept: not created by claw")
    harness.expect_in("claw.dev/prune: disabled", plan, "the annotated Service kept")
    if "- delete Service joelclaw/pdf-brain " in plan:
        raise harness.Failure("the annotated Service is deleted")
    run.apply(0)
    rc, _, _ = k.run("-n", "joelclaw", "get", "statefulset/pdf-brain", rc=None)
    harness.expect(rc != 0, "the StatefulSet is gone")
    k.out("-n", "joelclaw", "get", "service/look-alike")
    k.out("-n", "joelclaw", "get", "service/pdf-brain")
    k.out("-n", "joelclaw", "get", "persistentvolumeclaim/nfs-three-body-books")
    harness.expect_in("No changes.", run.plan(0).stdout, "plan after the prune")
    # Removing nearly everything is a mass delete: shown, then refused.
    for name in os.listdir(os.path.join(run.net, "services")):
        os.remove(os.path.join(run.net, "services", name))
    for name in ("jobs.claw", "monitoring.claw"):
        os.remove(os.path.join(run.net, name))
    mass = run.plan(2).stdout
    harness.expect_in("--allow-mass-delete", mass, "the plan warns of a mass delete")
    refused = run.apply(1)
    harness.expect_in("--allow-mass-delete", refused.stderr, "apply refuses a mass delete")


def saved(run):
    # The first apply from a saved plan: the chart's values Secret reads
    # `grafana-admin`, a secret no object of the plan carries.
    plan_file = os.path.join(run.work, "plan.json")
    run.plan(2, "--out", plan_file)
    run.claw_run("apply", plan_file, "--yes", rc=0)
    k = kubectl(run)
    values = k.get("-n", "kube-system", "secret/monitoring-claw-values")
    harness.expect("values.yaml" in values.get("data", {}), "the chart's values Secret made from a saved plan")
    run.plan(0)
    k.out("-n", "joelclaw", "scale", "deployment/embedder", "--replicas=4")
    run.plan(2, "--out", plan_file)
    text = open(plan_file).read()
    for value in SECRETS.values():
        harness.expect(value not in text, f"a secret value in the plan file: {value}")
    run.claw_run("apply", plan_file, "--yes", "--force-conflicts", rc=0)
    harness.expect_equal(k.get("-n", "joelclaw", "deployment/embedder")["spec"]["replicas"], 2, "the saved plan applied")
    # A plan is refused once what it saw has changed.
    k.out("-n", "joelclaw", "scale", "deployment/embedder", "--replicas=3")
    run.plan(2, "--out", plan_file)
    k.out("-n", "joelclaw", "scale", "deployment/embedder", "--replicas=6")
    stale = run.claw_run("apply", plan_file, "--yes", "--force-conflicts", rc=1)
    harness.expect_in("changed since the plan was made", stale.stderr, "a stale plan refused")
    harness.expect_equal(k.get("-n", "joelclaw", "deployment/embedder")["spec"]["replicas"], 6, "nothing applied")


def locked(run):
    # claw.lock with embedder's two replicas on each other's cards: a
    # placement a fresh solve would not choose, and that still holds.
    lock_path = os.path.join(run.net, "claw.lock")
    with open(lock_path) as f:
        text = f.read()
    swapped = text.replace('{"cards": [0], "machine": "gpu-box", "replica": 0}', '{"cards": [1], "machine": "gpu-box", "replica": 0}')
    swapped = swapped.replace('{"cards": [1], "machine": "gpu-box", "replica": 1}', '{"cards": [0], "machine": "gpu-box", "replica": 1}')
    harness.expect(swapped != text, "the lock names embedder's cards as the test expects")
    with open(lock_path, "w") as f:
        f.write(swapped)
    plan_file = os.path.join(run.work, "plan.json")
    run.plan(2, "--out", plan_file)
    with open(plan_file) as f:
        saved = json.load(f)
    bodies = [o["body"] for o in saved["objects"] if o["ref"]["kind"] == "Deployment" and o["ref"]["name"] == "embedder"]
    harness.expect_equal(len(bodies), 1, "embedder's Deployment in the plan")
    placed = bodies[0]["metadata"]["annotations"]["claw.dev/placement"]
    harness.expect_equal(placed, "gpu-box[1], gpu-box[0]", "the first plan places as claw.lock says")
    run.apply(0)
    # What runs wins: the lock set back to a fresh build's, nothing moves.
    with open(lock_path, "w") as f:
        f.write(text)
    harness.expect_in("No changes.", run.plan(0).stdout, "the live placement kept over the lock")


def lock(run):
    run.apply(0)
    k = kubectl(run)
    k.apply_yaml(json.dumps({"apiVersion": "coordination.k8s.io/v1", "kind": "Lease",
                             "metadata": {"name": "claw-joelclaw", "namespace": "kube-system"},
                             "spec": {"holderIdentity": "alice@laptop pid 4242 abcdef", "leaseDurationSeconds": 600,
                                      "renewTime": "2099-01-01T00:00:00.000000Z",
                                      "acquireTime": "2099-01-01T00:00:00.000000Z"}}))
    k.out("-n", "joelclaw", "scale", "deployment/embedder", "--replicas=4")
    held = run.apply(1, "--force-conflicts")
    harness.expect_in("alice@laptop pid 4242", held.stderr, "the holder named")
    harness.expect_equal(k.get("-n", "joelclaw", "deployment/embedder")["spec"]["replicas"], 4, "nothing applied")


def secrets(run):
    missing = run.claw_run("plan", run.net, rc=1, env={"HF_TOKEN": ""})
    harness.expect_in("hf-token", missing.stderr, "the secret named")
    harness.expect_in("HF_TOKEN", missing.stderr, "its variable named")
    harness.expect_match(r"secrets\.claw:\d+:\d+: error: secret `hf-token`: .*\[secret-source\]\n.*\n +\| +\^~+",
                         missing.stderr, "at the declaration, with its line and a caret")
    run.plan(2, "--format", "json")
    run.apply(0)
    run.plan(0)
    for text in run.outputs:
        for value in SECRETS.values():
            harness.expect(value not in text, f"a secret value in claw's output: {value}")
    with open(run.sim.output, errors="replace") as f:
        log = f.read()
    for value in SECRETS.values():
        harness.expect(value not in log, f"a secret value in the server's log: {value}")


def kubeconfig(run):
    cases = {
        "missing": (os.path.join(run.work, "nope.yaml"), r"nope\.yaml"),
        "context": (run.sim.kubeconfig, r"context .*nosuch|nosuch"),
    }
    proc = subprocess.run([run.claw, "plan", run.net, "--kubeconfig", cases["missing"][0]], capture_output=True, text=True,
                          env=dict(os.environ, **SECRETS))
    harness.expect_equal(proc.returncode, 1, "a missing kubeconfig")
    harness.expect_match(cases["missing"][1], proc.stderr, "the file named")
    proc = subprocess.run([run.claw, "plan", run.net, "--kubeconfig", run.sim.kubeconfig, "--context", "nosuch"],
                          capture_output=True, text=True, env=dict(os.environ, **SECRETS))
    harness.expect_equal(proc.returncode, 1, "an unknown context")
    harness.expect_in("nosuch", proc.stderr, "the context named")
    wrong_ca = os.path.join(run.work, "wrong-ca.yaml")
    text = open(run.sim.kubeconfig).read()
    text = re.sub(r"certificate-authority-data: \S+", "certificate-authority-data: " +
                  re.search(r"client-certificate-data: (\S+)", text).group(1), text)
    open(wrong_ca, "w").write(text)
    proc = subprocess.run([run.claw, "plan", run.net, "--kubeconfig", wrong_ca], capture_output=True, text=True,
                          env=dict(os.environ, **SECRETS))
    harness.expect_equal(proc.returncode, 1, "a wrong CA")
    harness.expect(proc.stderr.count("claw: error:") == 1, f"one error for a wrong CA:\n{proc.stderr}")


# ------------------------------------------------------------ faults, a killed apply, two at once

OWNERSHIP = "app.kubernetes.io/managed-by=claw,claw.dev/project=joelclaw"


def owned_objects(k):
    """Every object with claw's ownership labels, any listable kind: sorted (kind, namespace, name), repeats kept."""
    kinds = k.out("api-resources", "--verbs=list", "-o", "name").split()
    listed = k.get(",".join(kinds), "-A", "-l", OWNERSHIP)
    return sorted((i["kind"], harness.dig(i, "metadata", "namespace", default=""), i["metadata"]["name"])
                  for i in listed["items"])


def declared_objects(run):
    """(kind, namespace, name) of every object in `claw build`'s manifests of the unchanged program."""
    found = set()
    for root, _, files in os.walk(run.manifests):
        for name in files:
            with open(os.path.join(root, name)) as f:
                for doc in yaml.safe_load_all(f):
                    if doc:
                        found.add((doc["kind"], doc["metadata"].get("namespace", ""), doc["metadata"]["name"]))
    return found


def reference_objects(run):
    """owned_objects() after one fault-free apply of the same program on a sim of its own."""
    work = os.path.join(run.work, "reference")
    os.mkdir(work)
    ref = Run(run.sim_exe, run.claw, run.source, work)
    with ref.sim:
        ref.apply(0)
        return owned_objects(kubectl(ref))


def expect_converged(run, reference, what):
    """On a fault-free sim: a plan says "No changes", and the owned objects are the reference's, none twice."""
    run.restart_sim()
    harness.expect_in("No changes.", run.plan(0).stdout, f"{what}: plan on the fault-free sim")
    live = owned_objects(kubectl(run))
    harness.expect_equal(len(live), len(set(live)), f"{what}: an object listed twice")
    harness.expect_equal(collections.Counter(kind for kind, _, _ in live),
                         collections.Counter(kind for kind, _, _ in reference), f"{what}: objects per kind")
    harness.expect_equal(live, reference, f"{what}: the owned objects")
    missing = declared_objects(run) - set(live)
    harness.expect(not missing, f"{what}: declared objects not in the cluster: {sorted(missing)}")


def apply_until_converged(run, what, runs=4):
    """`claw apply --yes` again after each failure, at most `runs` times; a failed run must say what failed."""
    for _ in range(runs):
        proc = run.apply(None)
        if proc.returncode == 0:
            return
        harness.expect_equal(proc.returncode, 1, f"{what}: a failed apply's exit code")
        said = proc.stdout + proc.stderr
        harness.expect_match(r"failed: |claw: error: ", said, f"{what}: a failed apply says what failed")
        harness.expect("another claw apply is running" not in said,
                       f"{what}: a failed apply left its lock behind:\n{said}")
    raise harness.Failure(f"{what}: `claw apply` did not succeed in {runs} runs:\n{run.outputs[-1][-3000:]}")


def faults_with(*faults):
    """A case: apply under claw-sim's `faults` until it succeeds, then nothing lost or duplicated."""
    def case(run):
        reference = reference_objects(run)
        log_file = os.path.join(run.work, "faulted-requests.jsonl")
        run.restart_sim(*faults, "--log", log_file)
        apply_until_converged(run, " ".join(faults))
        harness.expect_in("No changes.", run.plan(0).stdout, "plan under the same faults")
        with open(log_file) as f:
            statuses = [json.loads(line)["status"] for line in f]
        # Dropped connections are logged as 500 (runtime/sim/server.cpp).
        failed = sum(1 for status in statuses if status in (429, 500, 503))
        harness.expect(failed >= 5, f"the sim injected faults: {failed} of {len(statuses)} requests failed")
        expect_converged(run, reference, " ".join(faults))
    return case


faults_rate = faults_with("--fail-rate", "0.2", "--seed", "7")
faults_drop = faults_with("--drop-connections", "0.2", "--seed", "11")


def faults_after(run):
    """The sim fails every request after the K-th: apply stops part-way, says what was and was not applied."""
    reference = reference_objects(run)
    first = run.plan(2).stdout
    planned = re.findall(r"^\+ create (\S+) (\S+)", first, re.MULTILINE)
    total = len(planned)
    harness.expect(total > 10, f"the first plan creates the program's objects:\n{first}")
    # The requests a full apply makes, counted on a sim of its own: the sim
    # then fails from about half-way through the apply's writes.
    log_file = os.path.join(run.work, "requests.jsonl")
    probe = os.path.join(run.work, "probe")
    os.mkdir(probe)
    counted = Run(run.sim_exe, run.claw, run.source, probe)
    counted.sim.flags += ["--log", log_file]
    with counted.sim:
        counted.apply(0)
    with open(log_file) as f:
        requests = [json.loads(line) for line in f]
    # The apply's writes start with its first server-side apply that is not
    # a dry-run (the Lease is taken before the plan's reads).
    locked = next(i for i, r in enumerate(requests, 1)
                  if r["method"] == "PATCH" and "dryRun" not in json.dumps(r.get("query", "")) and "/leases/" not in r["path"]) - 1
    run.restart_sim("--fail-after", str(locked + (len(requests) - locked) // 2))
    broken = run.apply(1)
    said = broken.stdout + broken.stderr
    found = re.search(r"Applied (\d+) of (\d+) changes.*; (\d+) failed", said)
    harness.expect(found is not None, f"the failed apply counts what it applied:\n{said}")
    applied, of = int(found.group(1)), int(found.group(2))
    harness.expect_equal(of, total, "the changes counted")
    harness.expect(0 < applied < total, f"the apply stopped part-way: {applied} of {total}")
    # What the report says against what the cluster holds (checked after the rerun, so that both are tried).
    run.restart_sim()
    k = kubectl(run)
    live = {(kind, f"{ns}/{name}" if ns else name) for kind, ns, name in owned_objects(k)}
    missing = [(kind, ref) for kind, ref in planned if (kind, ref) not in live]
    harness.expect(missing, "some object was not applied")
    report = said[said.index(re.search(r"^Plan: .*$", said, re.MULTILINE).group(0)):]
    unnamed = [f"{kind} {ref}" for kind, ref in missing
               if not re.search(rf"{re.escape(kind)} {re.escape(ref)}\b", report)]
    # The lease could not be released while every request failed: it blocks
    # the rerun until it expires (60 s), so age it as a minute would.
    if "could not be released" in said:
        blocked = run.apply(1)
        harness.expect_in("another claw apply is running", blocked.stderr, "the rerun waits for the lease")
        expire_lease(k)
    apply_until_converged(run, "the rerun after --fail-after", runs=1)
    expect_converged(run, reference, "--fail-after")
    harness.expect(not unnamed, f"objects not applied, not named in the report: {unnamed}\n{report}")
    harness.expect_equal(len(planned) - len(missing), applied, "objects in the cluster against the count applied")


def expire_lease(k):
    """Age the apply lock's renewTime past its leaseDurationSeconds: expired, as if a minute had passed."""
    lease = lease_of(k)
    duration = lease["spec"]["leaseDurationSeconds"]
    past = time.strftime("%Y-%m-%dT%H:%M:%S.000000Z", time.gmtime(time.time() - duration - 5))
    k.out("-n", "kube-system", "patch", "lease/claw-joelclaw", "--type=merge",
          "-p", json.dumps({"spec": {"renewTime": past}}))


def lease_of(k):
    """The apply lock's Lease object (lease_name("joelclaw") in kube-system)."""
    return k.get("-n", "kube-system", "lease/claw-joelclaw")


def start_apply(run):
    """A `claw apply --yes` running in the background; its output goes to a file."""
    env = dict(os.environ, **SECRETS)
    env.pop("KUBECONFIG", None)
    env["NO_COLOR"] = "1"
    out = open(os.path.join(run.work, f"apply-{len(run.outputs)}-{time.monotonic_ns()}.out"), "w+")
    proc = subprocess.Popen([run.claw, "apply", run.net, "--yes", "--kubeconfig", run.sim.kubeconfig], stdout=out,
                            stderr=subprocess.STDOUT, env=env, stdin=subprocess.DEVNULL)
    return proc, out


def wait_for(what, condition, seconds=60):
    """Poll `condition` until it holds; fail naming `what` after `seconds`."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.05)
    raise harness.Failure(f"{what}: not within {seconds} s")


def killed(run):
    """claw apply killed part-way (SIGKILL): its lease blocks a rerun until it expires; taken over, it converges."""
    reference = reference_objects(run)
    # Every answer 300 ms late: the apply's waves take seconds.
    run.restart_sim("--latency", "300")
    proc, out = start_apply(run)
    # Killed once it has begun applying (its first Namespace exists) and
    # has gone on for half a second: the Lease is taken before the plan.
    first = "/api/v1/namespaces/joelclaw"
    wait_for("the apply's first object", lambda: run.sim.request("GET", first)[0] == 200 or proc.poll() is not None)
    time.sleep(0.5)
    harness.expect(proc.poll() is None, "claw apply still running half a second into applying")
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    out.close()
    run.restart_sim()
    k = kubectl(run)
    applied = len(owned_objects(k))
    harness.expect(0 < applied < len(reference), f"killed part-way: {applied} of {len(reference)} objects applied")
    holder = lease_of(k)["spec"]["holderIdentity"]
    harness.expect(f"pid {proc.pid} " in holder, f"the lease held by the killed process {proc.pid}: {holder}")
    blocked = run.apply(1)
    harness.expect_in("another claw apply is running: " + holder, blocked.stderr, "the rerun names the holder")
    harness.expect_match(r"lease expires \d\d:\d\d:\d\d UTC \(in \d+s\)", blocked.stderr, "and when its lease expires")
    # The holder is gone: age its renewTime past leaseDurationSeconds instead of waiting a minute.
    harness.expect_equal(lease_of(k)["spec"]["leaseDurationSeconds"], 60, "claw's lease duration")
    expire_lease(k)
    run.apply(0)
    expect_converged(run, reference, "after the killed apply")


def concurrent(run):
    """Two applies at once: exactly one succeeds, the other fails naming the first's holder identity."""
    # Every answer 300 ms late: both plans take seconds, and so does each apply.
    run.restart_sim("--latency", "300")
    started = [start_apply(run), start_apply(run)]
    for proc, _ in started:
        proc.wait(timeout=300)
    texts = []
    for _, out in started:
        out.seek(0)
        texts.append(out.read())
        out.close()
    codes = [proc.returncode for proc, _ in started]
    harness.expect(sorted(codes) == [0, 1], f"exit codes {codes}, expected one 0 and one 1:\n" + "\n---\n".join(texts))
    winner, loser = (0, 1) if codes[0] == 0 else (1, 0)
    found = re.search(r"another claw apply is running: (\S+@\S* pid (\d+) [0-9a-f]+)", texts[loser])
    harness.expect(found is not None, f"the loser names the holder:\n{texts[loser]}")
    harness.expect_equal(int(found.group(2)), started[winner][0].pid, "the holder named is the winner's process")
    harness.expect_match(r"^Applied (\d+) of \1 changes", texts[winner], "the winner applied all")
    harness.expect("Applied" not in texts[loser], f"the loser applied nothing:\n{texts[loser]}")
    run.restart_sim()
    rc, _, _ = kubectl(run).run("-n", "kube-system", "get", "lease/claw-joelclaw", rc=None)
    harness.expect(rc != 0, "the winner released its lease")
    harness.expect_in("No changes.", run.plan(0).stdout, "plan after the two applies")


# ------------------------------------------------------------ placement moves

def remove_block(text, head):
    """`text` without the `{ ... }` block that starts at `head`."""
    start = text.index(head)
    depth, i = 0, text.index("{", start)
    while True:
        depth += {"{": 1, "}": -1}.get(text[i], 0)
        i += 1
        if depth == 0:
            return text[:start] + text[i:]


def edit(run, relative, change):
    """Rewrite the program's file `relative` (to infra/) as change(text)."""
    path = os.path.join(run.net, relative)
    with open(path) as f:
        text = f.read()
    with open(path, "w") as f:
        f.write(change(text))


def remove_machine(run, name):
    """The machine's declaration and the `prefer = [name]` lines that name it (else an undeclared reference)."""
    edit(run, "machines.claw", lambda text: remove_block(text, f"machine {name} {{"))
    for root, _, files in os.walk(run.net):
        for file in files:
            edit(run, os.path.relpath(os.path.join(root, file), run.net),
                 lambda text: text.replace(f"  prefer = [{name}]\n", ""))


def placed_on(run, machine):
    """The (workload, replica) of every replica `claw build` of the unchanged program placed on `machine`."""
    with open(run.placement) as f:
        placements = json.load(f)["placements"]
    return sorted((f"{p['namespace']}/{p['workload']}", p["replica"]) for p in placements if p["machine"] == machine)


MOVE = re.compile(r"^  ~ (\S+) replica (\d+): (\S+) → (\S+) \((.+)\)$", re.MULTILINE)


def moves(run):
    """A service added moves nothing; a machine removed moves exactly its replicas, each with the reason."""
    run.apply(0)
    edit(run, "services/core.claw", lambda text: text + textwrap.dedent("""
        // Added after the first apply: a new service must not move the others.
        service memcached {
          image = "memcached:1.6-alpine"
          port cache = 11211
          needs { cpu = 2; memory = 8GiB }
          prefer = [studio]
        }
        """))
    added = run.plan(2).stdout
    harness.expect_in("+ create Deployment joelclaw/memcached", added, "the new service created")
    harness.expect("Placement moves:" not in added and not MOVE.search(added), f"a new service moved others:\n{added}")
    harness.expect_match(r"Plan: \d+ to create, 0 to update, 0 to delete", added, "nothing else changes")
    run.apply(0)
    # panda holds replicas without local data: three CronJobs and the Job
    # session-backfill. A Job's pod template, node affinity included, is
    # immutable once the Job is created and not suspended (kube-apiserver
    # ValidateJobSpecUpdate; the JobMutableNodeSchedulingDirectives gate
    # allows it only for a suspended Job that never started), so the plan
    # must show its move as something other than an in-place update.
    on_panda = placed_on(run, "panda")
    harness.expect(on_panda, "claw build placed something on panda")
    remove_machine(run, "panda")
    moved = run.plan(2)
    lines = MOVE.findall(moved.stdout)
    harness.expect_equal(sorted((w, int(r)) for w, r, _, _, _ in lines), on_panda, "exactly panda's replicas move")
    for workload, _, source, target, reason in lines:
        harness.expect_equal(source, "panda", f"{workload} moves from panda")
        harness.expect(target not in ("panda", "three-body", "nightmare-router"), f"{workload} moves to {target}")
        harness.expect_in("panda", reason, f"{workload}'s reason names the machine")
    run.apply(0)
    harness.expect_in("No changes.", run.plan(0).stdout, "plan after the moves")


def moves_local(run):
    """A machine removed under workloads with local volume data: refused naming --allow-move, planned with it."""
    run.apply(0)
    on_studio = placed_on(run, "studio")
    remove_machine(run, "studio")
    refused = run.plan(1)
    with_data = sorted(set(re.findall(r"pass `--allow-move (\S+)`", refused.stderr)))
    # The services on studio that declare a local volume
    # (infra/services/*.claw: `volume NAME { at = ...; size = ... }`).
    harness.expect_equal(with_data, ["inngest", "qdrant", "redis"], "the workloads with local data named")
    for name in with_data:
        harness.expect_match(rf"service `{name}` would move from `studio` to `\S+` .*leaving behind the data",
                             refused.stderr, f"{name}'s refusal says why")
    partly = run.plan(1, "--allow-move", "redis")
    harness.expect("--allow-move redis`" not in partly.stderr, "redis allowed")
    harness.expect_in("--allow-move qdrant`", partly.stderr, "qdrant still refused")
    allow = [flag for name in with_data for flag in ("--allow-move", name)]
    allowed = run.plan(2, *allow)
    lines = MOVE.findall(allowed.stdout)
    harness.expect_equal(sorted((w, int(r)) for w, r, _, _, _ in lines), on_studio, "exactly studio's replicas move")
    for workload, _, source, _, reason in lines:
        harness.expect_equal(source, "studio", f"{workload} moves from studio")
        harness.expect_in("studio", reason, f"{workload}'s reason names the machine")
    run.apply(1)
    run.apply(0, *allow)
    settled = run.plan(0).stdout
    harness.expect_in("No changes.", settled, "once moved, the plan needs no --allow-move")


CASES = {f.__name__.replace("_", "-"): f
         for f in (lifecycle, prune, saved, lock, locked, secrets, kubeconfig, killed, concurrent, faults_after, moves,
                   moves_local)}
CASES["faults-rate"] = faults_rate
CASES["faults-drop"] = faults_drop


def main():
    sim_exe, claw, source, case = sys.argv[1:5]
    work = tempfile.mkdtemp(prefix=f"claw-e2e-{case}-")
    try:
        run = Run(sim_exe, claw, source, work)
        run.sim.start()
        try:
            CASES[case](run)
        except BaseException:
            run.close(failed=True)
            raise
        run.close(failed=False)
        print(f"plan/apply {case}: ok")
        return 0
    except harness.Skip as s:
        print(f"plan/apply {case}: skipped: {s}")
        return 77
    except harness.Failure as f:
        print(f"plan/apply {case}: FAILED: {f}")
        return 1
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
