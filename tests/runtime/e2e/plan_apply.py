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
Exit 77 (skip) when a case needs kubectl and there is none.
"""
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "sim", "kubectl"))
import harness  # noqa: E402

SECRETS = {"INNGEST_SIGNING_KEY": "canary-sign-4f1e", "INNGEST_EVENT_KEY": "canary-event-77aa",
           "QDRANT_API_KEY": "canary-qdrant-0b3c", "HF_TOKEN": "canary-hf-9d2e",
           "GITHUB_WEBHOOK_SECRET": "canary-gh-5a6b", "GRAFANA_ADMIN_PASSWORD": "canary-graf-c7d8"}


class Run:
    def __init__(self, sim_exe, claw, source, work):
        self.claw = claw
        self.work = work
        self.net = os.path.join(work, "infra")
        shutil.copytree(os.path.join(source, "infra"), self.net)
        out = os.path.join(work, "out")
        subprocess.run([claw, "build", self.net, "-o", out, "--no-lock"], check=True, capture_output=True)
        self.sim = harness.Sim(sim_exe, work, ["--nodes", os.path.join(out, "placement.json"), "--ready-after", "50"])
        self.outputs = []

    def claw_run(self, *args, rc=None, env=None):
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
    run.apply(0)
    k = kubectl(run)
    k.out("-n", "joelclaw", "scale", "deployment/embedder", "--replicas=4")
    plan_file = os.path.join(run.work, "plan.json")
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


CASES = {f.__name__: f for f in (lifecycle, prune, saved, lock, secrets, kubeconfig)}


def main():
    sim_exe, claw, source, case = sys.argv[1:5]
    work = tempfile.mkdtemp(prefix=f"claw-e2e-{case}-")
    try:
        run = Run(sim_exe, claw, source, work)
        with run.sim:
            CASES[case](run)
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
