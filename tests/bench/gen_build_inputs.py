#!/usr/bin/env python3
"""Write every input of the `claw build` benchmark for one size N.

Usage: gen_build_inputs.py --services N [--machines M] OUTDIR

OUTDIR (replaced if it holds an earlier run of this script) gets:

  services.json           the N service records (shared by the peers)
  pkl/schema.pkl          \\ copies of tests/bench/peers/ (the Pkl peer)
  pkl/main.pkl            /
  pkl/services.pkl        a Listing<Svc> of the N records
  jsonnet/main.jsonnet    copy of tests/bench/peers/main.jsonnet (a function(services))
  claw/                   the equivalent claw program:
    cluster.claw            the cluster (namespace "claw"), the roles
    machines/rack-NNN.claw  50 machines each
    services/svc-NNN.claw   100 services each
  out/                    empty: the tools write here

The records follow the organisation's peer benchmark (shared/peers/gen.py)
rule for rule, so that every tool emits the same 3N objects (a Deployment, a
Service and a ConfigMap per record, all in namespace `claw`):

  name      svc-%05d (i = 1..N)
  image     registry.example.com/claw/<name>:1.<i>.0
  port      8000 + i % 1000          (one port, named `http`)
  replicas  1 + i % 3
  logLevel  info / debug / warn by i % 3
  cpu       250m if i is odd, else 100m  (request; limit 1000m)
  memory    256Mi if i is odd, else 128Mi (request; limit 512Mi)
  gpu       every 10th record asks for nvidia.com/gpu: 1

The claw program: M amd64 Linux machines (default 1,000), all with the
`dedicated` role whose NoSchedule taint every service tolerates (the peers'
toleration `dedicated=claw:NoSchedule`); every 4th machine also has the `gpu`
role and enough cards (in groups of at most 8) for the GPU replicas with 25 %
headroom. Machines are sized so that every replica fits with headroom. Each
record becomes one `service` with replicas, image, `arch = [amd64]`, one named
port, 3 env vars, requests and limits, the toleration, `gpu { count = 1 }` for
every 10th, and a `config` block with the ConfigMap's two keys.

Output is a pure function of (N, M): the same arguments give byte-identical
files. Standard-library Python only. The program is meant to pass `claw check`.
"""
import argparse
import json
import math
import os
import shutil
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
PEERS = os.path.join(HERE, "peers")
MARKER = ".claw-build-bench-inputs"
LOG_LEVELS = ["info", "debug", "warn"]
NAMESPACE = "claw"
MACHINES_PER_RACK = 50
SERVICES_PER_FILE = 100
GPU_EVERY = 4          # every 4th machine is a GPU box
CARDS_PER_GROUP = 8    # claw's `gpu "MODEL" x K` takes K in 1..16
LIMIT_CPU_M = 1000
LIMIT_MEM_MI = 512


def record(i):
    """Service record i, exactly as shared/peers/gen.py makes it."""
    name = "svc-%05d" % i
    return {
        "name": name,
        "image": "registry.example.com/claw/%s:1.%d.0" % (name, i),
        "port": 8000 + (i % 1000),
        "replicas": 1 + (i % 3),
        "logLevel": LOG_LEVELS[i % 3],
        "cpu": "250m" if i % 2 else "100m",
        "memory": "256Mi" if i % 2 else "128Mi",
        "gpu": i % 10 == 0,  # every 10th service asks for nvidia.com/gpu: 1
    }


def q(s):
    """A string literal: JSON string syntax is valid Pkl and claw for these strings."""
    return json.dumps(s)


def pkl_instance(s):
    """One Svc instance, as shared/peers/gen.py writes it."""
    return ("  new { name = %s; image = %s; port = %d; replicas = %d; logLevel = %s; "
            "cpu = %s; memory = %s; gpu = %s }\n" % (
                q(s["name"]), q(s["image"]), s["port"], s["replicas"], q(s["logLevel"]),
                q(s["cpu"]), q(s["memory"]), "true" if s["gpu"] else "false"))


def claw_bytes(k8s):
    """`256Mi` -> `256MiB` (claw's spelling; it also accepts `256Mi`)."""
    assert k8s.endswith("Mi"), k8s
    return k8s + "B"


def claw_service(s):
    lines = [
        "service %s {" % s["name"],
        "  image = %s" % q(s["image"]),
        "  replicas = %d" % s["replicas"],
        "  arch = [amd64]",
        "  port http = %d" % s["port"],
        # SERVICE_PORT is an int here, as in the peers: claw writes it as the string "8001".
        "  env { LOG_LEVEL = %s; SERVICE_NAME = %s; SERVICE_PORT = %d }"
        % (q(s["logLevel"]), q(s["name"]), s["port"]),
        "  needs { cpu = %s; memory = %s }" % (s["cpu"], claw_bytes(s["memory"])),
        "  limits { cpu = %dm; memory = %dMiB }" % (LIMIT_CPU_M, LIMIT_MEM_MI),
        '  tolerate "dedicated=claw:NoSchedule"',
    ]
    if s["gpu"]:
        lines.append("  gpu { count = 1 }")
    lines.append('  config { "log.level" = %s; endpoint = %s }' % (
        q(s["logLevel"]), q("http://%s.%s.svc.cluster.local:%d" % (s["name"], NAMESPACE, s["port"]))))
    lines.append("}")
    return "\n".join(lines) + "\n"


def mebi(k8s):
    return int(k8s[:-2])


def milli(k8s):
    return int(k8s[:-1])


def machine_shape(svcs, machines):
    """cpu cores, memory GiB and GPU cards per GPU box so that every replica fits
    with headroom (at least 64 cores, 256 GiB, 2 cards)."""
    cpu_m = sum(milli(s["cpu"]) * s["replicas"] for s in svcs)
    mem_mi = sum(mebi(s["memory"]) * s["replicas"] for s in svcs)
    gpu_replicas = sum(s["replicas"] for s in svcs if s["gpu"])
    gpu_boxes = len([i for i in range(machines) if i % GPU_EVERY == GPU_EVERY - 1])
    # 1.5x headroom over the average, plus the default 500m / 1GiB reserve.
    cores = max(64, 16 * math.ceil((1.5 * cpu_m / machines / 1000 + 0.5) / 16))
    mem_gib = max(256, 64 * math.ceil((1.5 * mem_mi / machines / 1024 + 1) / 64))
    cards = 2
    if gpu_replicas:
        if gpu_boxes == 0:
            sys.exit("gen_build_inputs: GPU services need at least %d machines" % GPU_EVERY)
        cards = max(2, math.ceil(1.25 * gpu_replicas / gpu_boxes))
    return cores, mem_gib, cards


def claw_machine(i, cores, mem_gib, cards):
    name = "node-%05d" % (i + 1)
    a, b = divmod(i, 250)
    gpu = i % GPU_EVERY == GPU_EVERY - 1
    lines = [
        "machine %s {" % name,
        "  os = linux; arch = amd64; cpu = %d; memory = %dGiB; disk = 2TiB" % (cores, mem_gib),
        '  address = "100.64.%d.%d"' % (a, b + 1),
        "  roles = [dedicated%s]" % (", gpu" if gpu else ""),
    ]
    if gpu:
        left, group = cards, 1
        while left > 0:
            k = min(CARDS_PER_GROUP, left)
            model = "L40S" if group == 1 else "L40S bank %d" % group
            lines.append('  gpu "%s" x %d { vram = 48GiB }' % (model, k))
            left -= k
            group += 1
    lines.append('  label "rack" = "rack-%03d"' % (i // MACHINES_PER_RACK + 1))
    lines.append("}")
    return "\n".join(lines) + "\n"


CLUSTER = """// claw build benchmark (tests/bench/gen_build_inputs.py): %(n)d services on %(m)d machines.

cluster bench {
  k3s = "v1.31.4+k3s1"
  server = node-00001
  network = tailscale {}
  namespace = "%(ns)s"
}

// Every machine is dedicated to this cluster's workloads: the peers' toleration
// `dedicated=claw:NoSchedule` is what lets a service on.
role dedicated {
  label "node-role" = "dedicated"
  taint "dedicated=claw:NoSchedule"
}

// GPU boxes: no taint of their own, so a GPU service needs only the one toleration.
role gpu {
  label "nvidia.com/gpu.present" = "true"
}
"""


def write(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--services", type=int, required=True, help="N, the number of service records")
    ap.add_argument("--machines", type=int, default=1000, help="machines in the claw program (default 1000)")
    ap.add_argument("outdir")
    a = ap.parse_args()
    if a.services < 1 or a.machines < 1:
        sys.exit("gen_build_inputs: --services and --machines must be positive")
    out = a.outdir
    if os.path.exists(out):
        if not os.path.exists(os.path.join(out, MARKER)) and os.listdir(out):
            sys.exit("gen_build_inputs: %s exists and was not written by this script; not touching it" % out)
        shutil.rmtree(out)
    os.makedirs(os.path.join(out, "out"))
    write(os.path.join(out, MARKER), "%d %d\n" % (a.services, a.machines))

    svcs = [record(i) for i in range(1, a.services + 1)]

    # The peers' shared data, as shared/peers/gen.py writes it.
    with open(os.path.join(out, "services.json"), "w", encoding="utf-8") as f:
        json.dump(svcs, f, indent=1)
        f.write("\n")

    # Pkl: class in schema.pkl, the records in services.pkl, rendering in main.pkl.
    os.makedirs(os.path.join(out, "pkl"))
    shutil.copy(os.path.join(PEERS, "schema.pkl"), os.path.join(out, "pkl"))
    shutil.copy(os.path.join(PEERS, "main.pkl"), os.path.join(out, "pkl"))
    with open(os.path.join(out, "pkl", "services.pkl"), "w", encoding="utf-8") as f:
        f.write('import "schema.pkl"\n\nservices: Listing<schema.Svc> = new {\n')
        for s in svcs:
            f.write(pkl_instance(s))
        f.write("}\n")

    # jsonnet: a top-level function over the records (--tla-code-file services=services.json).
    os.makedirs(os.path.join(out, "jsonnet"))
    shutil.copy(os.path.join(PEERS, "main.jsonnet"), os.path.join(out, "jsonnet"))

    # claw.
    claw = os.path.join(out, "claw")
    cores, mem_gib, cards = machine_shape(svcs, a.machines)
    write(os.path.join(claw, "cluster.claw"), CLUSTER % {"n": a.services, "m": a.machines, "ns": NAMESPACE})
    for r in range(0, a.machines, MACHINES_PER_RACK):
        text = "// Rack %d.\n\n" % (r // MACHINES_PER_RACK + 1)
        text += "\n".join(claw_machine(i, cores, mem_gib, cards)
                          for i in range(r, min(r + MACHINES_PER_RACK, a.machines)))
        write(os.path.join(claw, "machines", "rack-%03d.claw" % (r // MACHINES_PER_RACK + 1)), text)
    for f in range(0, a.services, SERVICES_PER_FILE):
        chunk = svcs[f:f + SERVICES_PER_FILE]
        text = "// Services %s to %s.\n\n" % (chunk[0]["name"], chunk[-1]["name"])
        text += "\n".join(claw_service(s) for s in chunk)
        write(os.path.join(claw, "services", "svc-%04d.claw" % (f // SERVICES_PER_FILE + 1)), text)

    print(out)


if __name__ == "__main__":
    main()
