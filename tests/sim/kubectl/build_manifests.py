"""Every manifest `claw build` writes must apply server-side and come back with the fields claw set."""
import glob
import json
import os
import subprocess

import yaml

from harness import Failure, Kubectl, Sim, dig, expect, expect_equal, first_difference
import fixtures

# CRDs of custom resources whose CRDs a chart installs in a real cluster (the sim runs
# no charts), by API group: tests/sim/kubectl/crds/.
FIXTURE_CRDS = {"monitoring.coreos.com": ["servicemonitor.yaml", "prometheusrule.yaml"]}


def load_manifests(folder):
    """Every object of every YAML file under folder, in path order, as (file, object)."""
    objects = []
    for path in sorted(glob.glob(os.path.join(folder, "**", "*.yaml"), recursive=True)):
        with open(path) as f:
            for document in yaml.safe_load_all(f):
                if document:
                    objects.append((os.path.relpath(path, folder), document))
    return objects


def identity(obj):
    """kind/namespace/name of an object, for messages."""
    meta = obj.get("metadata", {})
    return f"{obj.get('kind')}/{meta.get('namespace', '-')}/{meta.get('name')}"


def phases(objects):
    """Namespaces, then CRDs, then everything else: the order a cluster accepts them in."""
    namespaces = [o for o in objects if o["kind"] == "Namespace"]
    crds = [o for o in objects if o["kind"] == "CustomResourceDefinition"]
    rest = [o for o in objects if o["kind"] not in ("Namespace", "CustomResourceDefinition")]
    return namespaces, crds, rest


def fixture_crds(objects):
    """The fixture CRDs the objects' custom kinds need."""
    groups = {o["apiVersion"].split("/")[0] for o in objects if "/" in o["apiVersion"]}
    crds = []
    for group in sorted(groups & set(FIXTURE_CRDS)):
        for name in FIXTURE_CRDS[group]:
            with open(fixtures.crd_path(name)) as f:
                crds.append(yaml.safe_load(f))
    return crds


def stream(objects):
    return yaml.safe_dump_all(objects, sort_keys=False)


def apply_all(k, objects, what):
    """Server-side apply of a list of objects; every one must be reported applied."""
    if not objects:
        return
    out = k.out("apply", "--server-side", "-f", "-", stdin=stream(objects))
    applied = [line for line in out.splitlines() if line.endswith(" serverside-applied")]
    expect_equal(len(applied), len(objects), f"objects kubectl reports applied ({what}):\n{out}")


def check(group, binary, sim_exe, claw, source, target, work):
    """Build target (infra or examples/NAME) and hold the sim to each of its manifests."""
    out_dir = os.path.join(work, "out")
    built = subprocess.run([claw, "build", os.path.join(source, target), "-o", out_dir],
                           capture_output=True, text=True, cwd=source, timeout=300)
    if built.returncode != 0:
        raise Failure(f"claw build {target} exited {built.returncode}:\n{built.stderr}")
    objects = load_manifests(os.path.join(out_dir, "manifests"))
    expect(objects, f"claw build {target} wrote no manifests")
    namespaces, crds, rest = phases([o for _, o in objects])
    crds = crds + fixture_crds(rest)
    with Sim(sim_exe, work, ["--nodes", os.path.join(out_dir, "placement.json")]) as sim:
        k = Kubectl(binary, sim)

        def apply_phases():
            apply_all(k, namespaces, "namespaces")
            apply_all(k, crds, "CRDs")
            for crd in crds:
                k.out("wait", "--for=condition=Established", "--timeout=30s", f"crd/{crd['metadata']['name']}")
            apply_all(k, rest, "objects")
            return True
        if not group.step(f"apply {len(objects)} objects", apply_phases):
            return

        live = {}

        def read_back():
            listed = json.loads(k.out("get", "-f", "-", "-o", "json", stdin=stream(namespaces + rest)))
            items = listed["items"] if listed.get("kind") == "List" else [listed]
            expect_equal(len(items), len(namespaces + rest), "objects kubectl get -f returns")
            for desired, have in zip(namespaces + rest, items):
                live[identity(desired)] = have
        group.step("get -o json", read_back)

        for _, desired in objects:
            name = identity(desired)

            def compare(want=desired, key=name):
                have = live.get(key)
                expect(have is not None, f"{key} was not read back")
                difference = first_difference(want, have)
                if difference:
                    raise Failure(f"{key}: {difference}")
            group.step(f"fields of {name}", compare)

        def no_op():
            # Controllers' status updates move resourceVersion as in a cluster: let them settle first.
            settled = k.settled("-f", "-", stdin=stream(namespaces + rest))
            items = settled["items"] if settled.get("kind") == "List" else [settled]
            versions = {identity(d): dig(h, "metadata", "resourceVersion") for d, h in zip(namespaces + rest, items)}
            apply_all(k, namespaces + rest, "again")
            listed = json.loads(k.out("get", "-f", "-", "-o", "json", stdin=stream(namespaces + rest)))
            items = listed["items"] if listed.get("kind") == "List" else [listed]
            moved = [identity(desired) for desired, have in zip(namespaces + rest, items)
                     if dig(have, "metadata", "resourceVersion") != versions.get(identity(desired))]
            expect_equal(moved, [], "objects whose resourceVersion a second identical apply moved")
        group.step("second apply is a no-op", no_op)
