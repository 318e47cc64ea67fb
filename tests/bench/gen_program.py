#!/usr/bin/env python3
"""Write a synthetic but realistic claw program for benchmarking `claw check`.

Usage: gen_program.py --machines M --services N OUTDIR

OUTDIR gets a program laid out the way a person would split it:

  cluster.claw            the cluster, `let` constants
  roles.claw              storage (NoSchedule taint), gpu (NoSchedule taint), edge, ...
  templates.claw          web / worker service templates, a nightly cron template
  secrets.claw            cluster-wide secrets
  daemons.claw            node-exporter, the NVIDIA device plugin
  platform.claw           shared services (postgres, redis, nats) others depend on
  machines/rack-NNN.claw  50 machines each
  services/team-NNN.claw  100 workloads each, plus that team's `let`s and secrets

Machines, in a repeating pattern of 20: 11 plain linux/amd64, 2 linux/amd64 edge
nodes, 4 darwin/arm64 running k3s in a VM, 1 NAS (storage role, NFS exports),
2 GPU boxes (gpu role; `gpu "MODEL" x K { vram = ... }`); ~2% are `joined = false`.

Workloads, by index: ~55% plain services, ~30% services instantiated from a
template (`service x = web(...) { ... }`), 5% GPU services, 5% jobs, 5% crons.
GPU services are 5% and not 10%: with one exclusive card each, 10% of N = 10 M
services would need 10 cards per GPU box; the mix here has ~6.5 cards per box,
so GPU placement stays feasible with headroom.

Output is a pure function of (M, N): the same arguments give byte-identical files.
The program is meant to pass `claw check` with no errors.
"""
import argparse
import os
import shutil
import sys

MACHINES_PER_RACK = 50
SERVICES_PER_TEAM = 100
MARKER = ".claw-bench-program"

# Machine kinds in a repeating pattern of 20.
PATTERN = ["lnx", "lnx", "mac", "edge", "lnx", "lnx", "mac", "lnx", "nas", "gpu",
           "lnx", "lnx", "mac", "edge", "lnx", "lnx", "mac", "lnx", "lnx", "gpu"]
PREFIX = {"lnx": "lnx", "edge": "edge", "mac": "mac", "nas": "nas", "gpu": "gpu"}
# (model, cards, vram per card): ~6.5 cards per GPU box on average.
GPU_SHAPES = [("RTX PRO 4500", 2, "24GiB"), ("L40S", 8, "48GiB"),
              ("H100 80GB", 8, "80GiB"), ("RTX 4090", 8, "24GiB")]

APPS = ["api", "web", "auth", "billing", "search", "catalog", "orders", "cart", "notify",
        "media", "reports", "gateway", "profile", "inventory", "ledger", "feeds",
        "sessions", "metrics", "exporter", "indexer"]
QUEUES = ["default", "emails", "thumbnails", "webhooks", "exports", "ingest"]
LEVELS = ["info", "debug", "warn"]


def mix(*xs):
    """A small deterministic integer hash (splitmix64 finaliser over the inputs)."""
    z = 0x9E3779B97F4A7C15
    for x in xs:
        z = (z ^ (x & 0xFFFFFFFFFFFFFFFF)) * 0xBF58476D1CE4E5B9 & 0xFFFFFFFFFFFFFFFF
        z = (z ^ (z >> 27)) * 0x94D049BB133111EB & 0xFFFFFFFFFFFFFFFF
        z ^= z >> 31
    return z


# ------------------------------------------------------------------ machines

class Machine:
    def __init__(self, i):
        self.i = i
        self.kind = PATTERN[i % len(PATTERN)]
        self.name = "%s-%05d" % (PREFIX[self.kind], i + 1)
        # A few machines are declared but not part of the cluster yet.
        self.joined = not (i % 100 in (55, 62) and i != 0)
        # Some plain linux machines also take batch work.
        self.batch = self.kind == "lnx" and i != 0 and mix(i, 20) % 5 == 0


def machine_text(m, rack):
    i = m.i
    a, b = divmod(i, 250)
    lines = ["machine %s {" % m.name]
    if m.kind in ("lnx", "edge"):
        cpu = [16, 32, 64][mix(i, 1) % 3]
        mem = {16: "64GiB", 32: "128GiB", 64: "256GiB"}[cpu]
        lines.append("  os = linux; arch = amd64; cpu = %d; memory = %s; disk = %s"
                     % (cpu, mem, ["1TiB", "2TiB", "4TiB"][mix(i, 2) % 3]))
    elif m.kind == "mac":
        cpu, mem = [(10, "32GiB"), (12, "64GiB"), (16, "128GiB")][mix(i, 1) % 3]
        lines.append("  os = darwin; arch = arm64; cpu = %d; memory = %s; disk = 1TiB" % (cpu, mem))
        lines.append("  k3s = vm")
        lines.append("  reserved { cpu = 2; memory = 8GiB }   // macOS itself")
    elif m.kind == "nas":
        lines.append("  os = linux; arch = amd64; cpu = 8; memory = 32GiB; disk = 64TiB")
    else:  # gpu
        lines.append("  os = linux; arch = amd64; cpu = 64; memory = 512GiB; disk = 8TiB")
    lines.append('  address = "100.64.%d.%d"' % (a, b + 1))
    if m.kind == "edge":
        lines.append("  roles = [edge]")
    elif m.batch:
        lines.append("  roles = [batch]")
    elif m.kind == "nas":
        lines.append("  roles = [storage]")
        lines.append('  export media { path = "/srv/media"; size = 40TiB; access = ReadOnlyMany }')
        lines.append('  export backups { path = "/srv/backups"; size = 20TiB }')
    elif m.kind == "gpu":
        model, cards, vram = GPU_SHAPES[(i // len(PATTERN) * 2 + (i % len(PATTERN) > 10)) % len(GPU_SHAPES)]
        lines.append("  roles = [gpu]")
        lines.append('  gpu "%s" x %d { vram = %s }' % (model, cards, vram))
    lines.append('  label "topology.kubernetes.io/zone" = "%s"' % ["zone-a", "zone-b", "zone-c"][rack % 3])
    lines.append('  label "rack" = "rack-%03d"' % rack)
    if not m.joined:
        lines.append("  joined = false   // on order")
    lines.append("}")
    return "\n".join(lines) + "\n"


# ------------------------------------------------------------------ fixed files

def cluster_file(server):
    return """// The cluster as a whole, and constants every team uses.

cluster prod {
  k3s     = "v1.31.4+k3s1"
  server  = %s
  network = tailscale { iface = "tailscale0" }
  namespace = "apps"
  domain  = "example.com"
}

let registry = "registry.example.com/claw"
let log-level = "info"
let otel-endpoint = "http://otel-collector.monitoring:4317"
let nats-url = "nats://nats.apps:4222"
let default-replicas: int = 2
""" % server


ROLES = """// Node roles: labels and taints applied to every machine that has the role.

role storage {
  label "node-role" = "storage"
  taint "node-role=storage:NoSchedule"
}

role gpu {
  label "nvidia.com/gpu.present" = "true"
  taint "nvidia.com/gpu=present:NoSchedule"
}

role edge {
  label "node-role" = "edge"
  taint "node-role=edge:PreferNoSchedule"
}

role batch {
  label "workload-class" = "batch"
}
"""

TEMPLATES = """// Shapes most teams' workloads share.

// An HTTP service behind the ingress.
template web(img: string, listen: int(1..65535) = 8080, scale: int(1..100) = 2,
             level: string = "info", mem: bytes = 256MiB) service {
  image    = img
  replicas = scale
  port http = listen
  env {
    LOG_LEVEL = level
    PORT = "${listen}"
    OTEL_EXPORTER_OTLP_ENDPOINT = otel-endpoint
  }
  needs  { cpu = 250m; memory = mem }
  limits { cpu = 1; memory = mem * 2 }
  health = http("/healthz", listen)
  ready  = http("/ready", listen)
}

// A queue consumer.
template worker(img: string, queue: string, concurrency: int(1..64) = 4) service {
  image = img
  port metrics = 9090
  env {
    QUEUE = queue
    CONCURRENCY = "${concurrency}"
    NATS_URL = nats-url
  }
  needs  { cpu = 500m; memory = 512MiB }
  limits { cpu = 2; memory = 1GiB }
  health = http("/metrics", 9090)
}

// A nightly batch run.
template nightly(img: string, at: string = "0 3 * * *") cron {
  image    = img
  schedule = at
  command  = ["/app/run", "--nightly"]
  needs    { cpu = 250m; memory = 512MiB }
  deadline = 2h
  history  = 5
}
"""

SECRETS = """// Cluster-wide secrets: values come from the environment of `claw apply`.

secret registry-token { from = env("REGISTRY_TOKEN"); namespace = "default" }  // for tools outside claw
secret smtp-password { from = env("SMTP_PASSWORD") }
secret otel-api-key { from = file("secrets/otel-api-key") }
secret postgres-password {
  from { env = "POSTGRES_PASSWORD" }
  key = "password"
}
"""

DAEMONS = """// One pod per matching machine.

daemon node-exporter {
  image = "quay.io/prometheus/node-exporter:v1.8.2"
  port metrics = 9100
  needs { cpu = 50m; memory = 64MiB }
  tolerate = ["node-role=storage:NoSchedule", "nvidia.com/gpu=present:NoSchedule", "node-role=edge"]
  health = http("/metrics", 9100)
}

daemon nvidia-device-plugin {
  image = "nvcr.io/nvidia/k8s-device-plugin:v0.16.2"
  arch = [amd64]
  roles = [gpu]
  tolerate = ["nvidia.com/gpu=present:NoSchedule"]
  needs { cpu = 50m; memory = 64MiB }
}
"""

PLATFORM = """// Shared services the teams' workloads start after.
import "secrets.claw"

service postgres {
  image = "postgres:16.4"
  arch = [amd64]
  port postgres = 5432
  env { POSTGRES_PASSWORD = secret("postgres-password") }
  needs  { cpu = 2; memory = 4GiB }
  limits { cpu = 4; memory = 8GiB }
  volume data { at = "/var/lib/postgresql/data"; size = 200GiB }
  health = tcp(5432)
}

service redis {
  image = "redis:7.4-alpine"
  port redis = 6379
  needs { cpu = 250m; memory = 1GiB }
  volume data { at = "/data"; size = 10GiB }
  health = tcp(6379)
}

service nats {
  image = "nats:2.10-alpine"
  replicas = 3
  port client = 4222
  port monitor = 8222
  needs { cpu = 500m; memory = 512MiB }
  health = http("/healthz", 8222)
}

service otel-collector {
  image = "otel/opentelemetry-collector-contrib:0.111.0"
  replicas = 2
  namespace = "monitoring"
  port otlp = 4317
  port otlp-http = 4318
  port health = 13133
  env { API_KEY = secret("otel-api-key") }
  needs { cpu = 500m; memory = 1GiB }
  health = http("/", 13133)
}
"""
PLATFORM_SERVICES = ["postgres", "redis", "nats", "otel-collector"]


# ------------------------------------------------------------------ workloads

def kind_of(i):
    """Which shape workload i takes."""
    r10, r20 = i % 10, i % 20
    if r20 == 10:
        return "gpu"
    if r10 in (1, 4):
        return "web"
    if r10 == 7:
        return "worker"
    if r20 == 5:
        return "job"
    if r20 == 15:
        return "nightly" if mix(i, 3) % 2 else "cron"
    return "plain"


def workload_name(i, kind):
    app = APPS[mix(i, 4) % len(APPS)]
    suffix = {"gpu": "infer", "web": "web", "worker": "worker", "job": "migrate",
              "cron": "report", "nightly": "nightly", "plain": "svc"}[kind]
    return "%s-%s-%05d" % (app, suffix, i)


class Team:
    def __init__(self, t, lo, hi, ctx):
        self.t = t
        self.lo, self.hi = lo, hi
        self.ctx = ctx
        self.label = "team-%0*d" % (ctx["team_width"], t)
        self.tag = self.label + "-tag"
        self.secret = self.label + "-db"
        self.services = []   # services declared so far in this file (after-targets)


def quote_list(xs):
    return "[" + ", ".join('"%s"' % x for x in xs) + "]"


def image(team, i, app):
    return '"${registry}/%s:${%s}"' % (app, team.tag)


def after_clause(team, i):
    """`after = [...]`: an earlier service of this team, or a platform service."""
    h = mix(i, 5) % 10
    refs = []
    if h < 3 and team.services:
        refs.append(team.services[mix(i, 6) % len(team.services)])
    if h in (2, 7):
        refs.append(PLATFORM_SERVICES[mix(i, 7) % len(PLATFORM_SERVICES)])
    return "  after = [%s]\n" % ", ".join(refs) if refs else ""


def env_block(team, i, extra=()):
    env = ["LOG_LEVEL = %s" % ("log-level" if mix(i, 8) % 2 else '"%s"' % LEVELS[i % 3])]
    env.append('SERVICE_NAME = "%s"' % workload_name(i, kind_of(i)))
    if mix(i, 9) % 10 < 3:
        env.append('DB_PASSWORD = secret("%s")' % team.secret)
    if mix(i, 9) % 10 == 3:
        env.append('SMTP_PASSWORD = secret("smtp-password")')
    if mix(i, 10) % 4 == 0:
        env.append("OTEL_EXPORTER_OTLP_ENDPOINT = otel-endpoint")
    env.extend(extra)
    return "  env {\n" + "".join("    %s\n" % e for e in env) + "  }\n"


def plain_service(team, i, name):
    ctx = team.ctx
    h = mix(i, 11)
    app = name.rsplit("-", 2)[0]
    port = 8000 + i % 1000
    variant = h % 50
    storage = variant == 0 and ctx["nas"]
    edge = variant == 1 and ctx["edge"]
    pinned = variant == 2 and ctx["pins"]
    vol = not storage and h % 10 == 3
    replicas = 1 if (vol or storage or pinned) else 1 + i % 3
    s = "service %s {\n" % name
    s += "  image = %s\n" % image(team, i, app)
    if replicas == 2 and (h >> 4) % 2:
        s += "  replicas = default-replicas\n"
    elif replicas != 1:
        s += "  replicas = %d\n" % replicas
    if (h >> 8) % 5 == 0:
        s += "  arch = [amd64]\n"
    s += "  port http = %d\n" % port
    if (h >> 12) % 4 == 0:
        s += "  port metrics { port = 9090; protocol = TCP }\n"
    s += env_block(team, i)
    cpu, mem = [("100m", "128MiB"), ("250m", "256MiB"), ("500m", "512MiB")][(h >> 16) % 3]
    s += "  needs { cpu = %s; memory = %s }\n" % (cpu, mem)
    if (h >> 20) % 3 == 0:
        s += "  limits { cpu = 1; memory = 1GiB }\n"
    s += '  health = http("/healthz", %d)\n' % port
    if (h >> 24) % 2 == 0:
        s += "  ready = tcp(%d)\n" % port
    if vol:
        s += '  volume data { at = "/var/lib/%s"; size = %dGiB }\n' % (app, 1 + (h >> 28) % 50)
    if storage:
        nas = ctx["nas"][(h >> 28) % len(ctx["nas"])]
        s += "  roles = [storage]\n"
        s += '  tolerate = ["node-role=storage:NoSchedule"]\n'
        s += "  volume backups { at = \"/backups\"; nfs = \"%s.backups\" }\n" % nas
    if (h >> 32) % 25 == 0 and ctx["nas"]:
        nas = ctx["nas"][(h >> 36) % len(ctx["nas"])]
        s += ('  volume media { at = "/media"; nfs = "%s.media"; readonly = true }\n'
              % nas)
    if edge:
        s += "  roles = [edge]\n"
        s += '  tolerate = ["node-role=edge:PreferNoSchedule"]\n'
    if pinned:
        s += "  on = %s\n" % ctx["pins"][(h >> 28) % len(ctx["pins"])]
    elif (h >> 40) % 40 == 0 and ctx["pins"]:
        s += "  prefer = [%s]\n" % ctx["pins"][(h >> 44) % len(ctx["pins"])]
    if (h >> 48) % 10 == 0:
        s += '  host = "%s.apps.example.com"\n  expose = "http"\n' % name
    if (h >> 52) % 20 == 0:
        s += ('  config."app.yaml" = """\nserver:\n  port: %d\nfeatures:\n  - search\n  - export\n"""\n'
              % port)
    s += after_clause(team, i)
    s += "}\n"
    return s


def web_service(team, i, name):
    h = mix(i, 12)
    app = name.rsplit("-", 2)[0]
    args = ["img = %s" % image(team, i, app)]
    if h % 3:
        args.append("listen = %d" % (8000 + i % 1000))
    if h % 5 == 0:
        args.append("scale = %d" % (1 + (h >> 8) % 4))
    if h % 7 == 0:
        args.append('level = "debug"')
    if h % 11 == 0:
        args.append("mem = 512MiB")
    body = ""
    if (h >> 12) % 4 == 0:
        body += '  host = "%s.apps.example.com"\n  expose = "http"\n' % name
    if (h >> 16) % 5 == 0:
        body += '  arch = [amd64]\n'
    body += after_clause(team, i)
    head = "service %s = web(%s)" % (name, ", ".join(args))
    return head + (" {\n%s}\n" % body if body else "\n")


def worker_service(team, i, name):
    h = mix(i, 13)
    app = name.rsplit("-", 2)[0]
    args = ["img = %s" % image(team, i, app), 'queue = "%s"' % QUEUES[h % len(QUEUES)]]
    if h % 3 == 0:
        args.append("concurrency = %d" % (2 ** (1 + (h >> 4) % 4)))
    body = after_clause(team, i)
    if (h >> 8) % 3 == 0:
        body += '  tolerate = ["node-role=edge:PreferNoSchedule"]\n'
    head = "service %s = worker(%s)" % (name, ", ".join(args))
    return head + (" {\n%s}\n" % body if body else "\n")


def gpu_service(team, i, name):
    h = mix(i, 14)
    app = name.rsplit("-", 2)[0]
    vram = "16GiB" if h % 4 == 0 else "8GiB"
    s = "service %s {\n" % name
    s += "  image = %s\n" % image(team, i, app + "-infer")
    s += "  arch = [amd64]\n"
    s += "  port http = 8000\n"
    s += env_block(team, i, ['MODEL = "%s"' % ["llama-3.1-8b", "bge-m3", "whisper-large-v3"][h % 3]])
    s += "  needs { cpu = 2; memory = 8GiB }\n"
    s += "  gpu { count = 1; vram = %s }\n" % vram
    s += '  tolerate = ["nvidia.com/gpu=present:NoSchedule"]\n'
    s += '  health = http("/healthz", 8000)\n'
    s += '  volume models { at = "/models"; size = 50GiB }\n'
    s += after_clause(team, i)
    s += "}\n"
    return s


def job(team, i, name):
    h = mix(i, 15)
    app = name.rsplit("-", 2)[0]
    s = "job %s {\n" % name
    s += "  image = %s\n" % image(team, i, app)
    s += '  command = ["/app/migrate", "up"]\n'
    s += env_block(team, i)
    s += "  needs { cpu = 250m; memory = 256MiB }\n"
    s += "  backoff = %d\n" % (h % 4)
    s += "  deadline = 1h\n"
    s += after_clause(team, i)
    s += "}\n"
    return s


def cron(team, i, name):
    h = mix(i, 16)
    app = name.rsplit("-", 2)[0]
    s = "cron %s {\n" % name
    s += "  image = %s\n" % image(team, i, app)
    s += '  schedule = "%d */%d * * *"\n' % (h % 60, 1 + (h >> 8) % 6)
    s += '  args = ["--since", "24h"]\n'
    s += env_block(team, i)
    s += "  needs { cpu = 100m; memory = 128MiB }\n"
    s += "  concurrency = %s\n" % ["Forbid", "Replace"][(h >> 12) % 2]
    if (h >> 16) % 2 and team.ctx["batch"]:
        s += "  roles = [batch]\n"
    s += after_clause(team, i)
    s += "}\n"
    return s


def nightly(team, i, name):
    h = mix(i, 17)
    app = name.rsplit("-", 2)[0]
    args = ["img = %s" % image(team, i, app)]
    if h % 2:
        args.append('at = "%d 2 * * *"' % (h % 60))
    body = after_clause(team, i)
    head = "cron %s = nightly(%s)" % (name, ", ".join(args))
    return head + (" {\n%s}\n" % body if body else "\n")


MAKERS = {"plain": plain_service, "web": web_service, "worker": worker_service,
          "gpu": gpu_service, "job": job, "cron": cron, "nightly": nightly}


def team_file(team):
    t = team.t
    uses_templates = any(kind_of(i) in ("web", "worker", "nightly") for i in range(team.lo, team.hi))
    out = ["// %s: workloads %d..%d.\n" % (team.label, team.lo, team.hi - 1)]
    if uses_templates and t % 3 != 2:
        out.append('import "../templates.claw"\n')
    if t % 4 == 0:
        out.append('import "../platform.claw"\n')
    out.append('\nlet %s = "2024.%d.%d"\n' % (team.tag, 1 + t % 12, t))
    out.append('secret %s { from = env("%s_DB_PASSWORD") }\n'
               % (team.secret, team.label.upper().replace("-", "_")))
    for i in range(team.lo, team.hi):
        k = kind_of(i)
        name = workload_name(i, k)
        out.append("\n")
        out.append(MAKERS[k](team, i, name))
        if k in ("plain", "web", "worker", "gpu"):
            team.services.append(name)
    return "".join(out)


# ------------------------------------------------------------------ main

def prepare(outdir):
    if os.path.exists(outdir):
        if not os.path.isdir(outdir):
            sys.exit("gen_program.py: %s exists and is not a folder" % outdir)
        if os.listdir(outdir):
            if not os.path.exists(os.path.join(outdir, MARKER)):
                sys.exit("gen_program.py: %s is not empty and was not written by gen_program.py" % outdir)
            shutil.rmtree(outdir)
    os.makedirs(os.path.join(outdir, "machines"), exist_ok=True)
    os.makedirs(os.path.join(outdir, "services"), exist_ok=True)


def write(path, text):
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        f.write(text)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--machines", type=int, required=True, metavar="M")
    ap.add_argument("--services", type=int, required=True, metavar="N")
    ap.add_argument("outdir")
    a = ap.parse_args()
    if a.machines < 20:
        sys.exit("gen_program.py: --machines must be at least 20 (one of each machine kind)")
    if a.services < 1:
        sys.exit("gen_program.py: --services must be at least 1")
    if a.machines > 99999 or a.services > 100000:
        sys.exit("gen_program.py: at most 99999 machines and 100000 services (5-digit names)")

    prepare(a.outdir)
    machines = [Machine(i) for i in range(a.machines)]
    ctx = {
        "nas": [m.name for m in machines if m.kind == "nas" and m.joined],
        "edge": [m.name for m in machines if m.kind == "edge" and m.joined],
        "batch": [m.name for m in machines if m.batch and m.joined],
        # pin targets: joined plain linux machines, never the server
        "team_width": max(3, len(str(-(-a.services // SERVICES_PER_TEAM)))),
        "pins": [m.name for m in machines if m.kind == "lnx" and m.joined and m.i != 0],
    }

    write(os.path.join(a.outdir, MARKER), "written by tests/bench/gen_program.py --machines %d --services %d\n"
          % (a.machines, a.services))
    write(os.path.join(a.outdir, "cluster.claw"), cluster_file(machines[0].name))
    write(os.path.join(a.outdir, "roles.claw"), ROLES)
    write(os.path.join(a.outdir, "templates.claw"), TEMPLATES)
    write(os.path.join(a.outdir, "secrets.claw"), SECRETS)
    write(os.path.join(a.outdir, "daemons.claw"), DAEMONS)
    write(os.path.join(a.outdir, "platform.claw"), PLATFORM)

    rack_width = max(3, len(str(-(-a.machines // MACHINES_PER_RACK))))
    for r, lo in enumerate(range(0, a.machines, MACHINES_PER_RACK)):
        rack = r + 1
        chunk = machines[lo:lo + MACHINES_PER_RACK]
        text = "// Rack %03d: %d machines.\n" % (rack, len(chunk))
        if rack % 2 == 0:
            text += 'import "../roles.claw"\n'
        text += "".join("\n" + machine_text(m, rack) for m in chunk)
        write(os.path.join(a.outdir, "machines", "rack-%0*d.claw" % (rack_width, rack)), text)

    for t, lo in enumerate(range(0, a.services, SERVICES_PER_TEAM)):
        team = Team(t + 1, lo, min(lo + SERVICES_PER_TEAM, a.services), ctx)
        write(os.path.join(a.outdir, "services", team.label + ".claw"), team_file(team))


if __name__ == "__main__":
    main()
