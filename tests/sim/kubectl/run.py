#!/usr/bin/env python3
"""claw-sim held to the real kubectl, one group of steps per CTest.

Usage: run.py GROUP CLAW_SIM CLAW SOURCE_DIR
GROUP is discovery, apply, server-side, modify, delete, rollout, server, or
build:<dir> (infra or examples/<name>). Exit 0 when every step held, 1 when one
failed, 77 (skip) when none could run. Expected outputs are kubectl 1.32's own
messages against a real kube-apiserver 1.31.
"""
import json
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from harness import (Failure, Group, Kubectl, Sim, Skip, SKIP, client_version, dig, expect,  # noqa: E402
                     expect_equal, expect_in, expect_match, find_kubectl, require_client, temp_dir)
import fixtures  # noqa: E402
import build_manifests  # noqa: E402

V132 = (1, 32)
LAST_APPLIED = "kubectl.kubernetes.io/last-applied-configuration"


# ------------------------------------------------------------ discovery, explain, get

def discovery(group, binary, sim_exe, _claw, _source):
    with temp_dir("discovery") as work, Sim(sim_exe, work) as sim:
        k = Kubectl(binary, sim)

        def version():
            require_client(binary, V132, "the issue pins the client to 1.32")
            out = k.out("version")
            expect_match(r"^Client Version: v1\.32\.", out, "kubectl version")
            expect_match(r"^Server Version: v1\.31\.\d+\+k3s1$", out, "kubectl version")
            # 1.32 warns when the server is more than one minor apart; 1.31 is one apart.
            expect("WARNING" not in k.run("version")[2], "no version-skew warning for a 1.31 server")
        group.step("version", version)

        def api_resources():
            rows = {line.split()[0]: line.split() for line in k.out("api-resources", "--no-headers").splitlines()}
            for name, row in [("deployments", ["deployments", "deploy", "apps/v1", "true", "Deployment"]),
                              ("namespaces", ["namespaces", "ns", "v1", "false", "Namespace"]),
                              ("configmaps", ["configmaps", "cm", "v1", "true", "ConfigMap"]),
                              ("services", ["services", "svc", "v1", "true", "Service"]),
                              ("nodes", ["nodes", "no", "v1", "false", "Node"]),
                              ("secrets", ["secrets", "v1", "true", "Secret"]),
                              ("customresourcedefinitions",
                               ["customresourcedefinitions", "crd,crds", "apiextensions.k8s.io/v1", "false",
                                "CustomResourceDefinition"]),
                              ("helmcharts", ["helmcharts", "helm.cattle.io/v1", "true", "HelmChart"])]:
                expect_equal(rows.get(name), row, f"api-resources row of {name}")
            wide = k.out("api-resources", "--namespaced=false", "-o", "name")
            expect_in("namespaces\n", wide, "cluster-scoped api-resources")
            expect("configmaps\n" not in wide, "configmaps are not cluster-scoped")
        group.step("api-resources", api_resources)

        def crd_kinds():
            out = k.out("apply", "-f", fixtures.crd_path("servicemonitor.yaml"))
            expect_equal(out.strip(), "customresourcedefinition.apiextensions.k8s.io/"
                         "servicemonitors.monitoring.coreos.com created", "apply of a CRD")
            k.out("wait", "--for=condition=Established", "--timeout=30s",
                  "crd/servicemonitors.monitoring.coreos.com")
            rows = {line.split()[0]: line.split() for line in k.out("api-resources", "--no-headers").splitlines()}
            expect_equal(rows.get("servicemonitors"),
                         ["servicemonitors", "smon", "monitoring.coreos.com/v1", "true", "ServiceMonitor"],
                         "api-resources row of a CRD's kind")
            k.apply_yaml(fixtures.NAMESPACE)
            expect_equal(k.apply_yaml(fixtures.SERVICE_MONITOR).strip(),
                         "servicemonitor.monitoring.coreos.com/web created", "apply of a custom resource")
            stored = k.get("smon", "web", "-n", "shop")
            expect_equal(dig(stored, "spec", "endpoints"), [{"port": "http", "interval": "30s"}],
                         "stored ServiceMonitor endpoints")
            expect_in("web", k.out("get", "prometheus-operator", "-n", "shop"), "get by the CRD's category")
        group.step("crd-kinds", crd_kinds)

        def explain():
            require_client(binary, (1, 29), "explain reads /openapi/v2 as protobuf before 1.29; claw-sim serves v2 as JSON")
            out = k.out("explain", "deployment.spec.replicas")
            expect_match(r"^GROUP:\s+apps$", out, "explain")
            expect_match(r"^KIND:\s+Deployment$", out, "explain")
            expect_match(r"^VERSION:\s+v1$", out, "explain")
            expect_match(r"^FIELD: replicas <integer>$", out, "explain")
            expect_in("Defaults to 1.", out, "explain's description of replicas")
            nested = k.out("explain", "deployment.spec.strategy")
            expect_match(r"^FIELD: strategy <DeploymentStrategy>$", nested, "explain of an object field")
            expect_match(r"^\s+rollingUpdate\s+<RollingUpdateDeployment>$", nested, "explain lists fields")
            missing = k.run("explain", "deployment.spec.nosuchfield", rc=1)[2]
            expect_in('field "nosuchfield" does not exist', missing, "explain of a missing field")
        group.step("explain", explain)

        def get_yaml():
            k.apply_yaml(fixtures.NAMESPACE)
            k.apply_yaml(fixtures.configmap())
            out = k.out("get", "configmap", "settings", "-n", "shop", "-o", "yaml")
            for line in ["apiVersion: v1", "kind: ConfigMap", "  mode: fast", "  name: settings",
                         "  namespace: shop"]:
                expect_match("^" + line + "$", out, "get -o yaml")
            expect_match(r"^  resourceVersion: \"\d+\"$", out, "get -o yaml resourceVersion")
            expect_match(r"^  uid: [0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$", out,
                         "get -o yaml uid")
            expect_match(r'^  creationTimestamp: "\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ"$', out,
                         "get -o yaml creationTimestamp")
            table = k.out("get", "configmaps", "-n", "shop")
            expect_match(r"^NAME\s+DATA\s+AGE$", table, "get's table columns")
            expect_match(r"^settings\s+1\s+\d+s$", table, "get's table row")
            missing = k.run("get", "configmap", "nope", "-n", "shop", rc=1)[2]
            expect_in('Error from server (NotFound): configmaps "nope" not found', missing, "get of a missing object")
        group.step("get-yaml", get_yaml)


# ------------------------------------------------------------ client-side apply

def apply_client_side(group, binary, sim_exe, _claw, _source):
    with temp_dir("apply") as work, Sim(sim_exe, work) as sim:
        k = Kubectl(binary, sim)
        k.apply_yaml(fixtures.NAMESPACE)

        def first():
            expect_equal(k.apply_yaml(fixtures.deployment(labels={"tier": "front"})).strip(),
                         "deployment.apps/web created", "first apply")
            stored = k.get("deployment", "web", "-n", "shop")
            applied = json.loads(dig(stored, "metadata", "annotations", LAST_APPLIED) or "null")
            expect_equal(dig(applied, "spec", "replicas"), 2, "last-applied replicas")
            expect_equal(dig(applied, "metadata", "labels"), {"app": "web", "tier": "front"}, "last-applied labels")
            expect_equal(dig(stored, "spec", "replicas"), 2, "stored replicas")
            managers = [m["manager"] for m in dig(stored, "metadata", "managedFields", default=[])]
            expect_in("kubectl-client-side-apply", managers, "field manager of a client-side apply")
            # Defaults a real API server sets (pkg/apis/apps/v1/defaults.go, core/v1/defaults.go).
            for path, wanted in [(("spec", "strategy", "type"), "RollingUpdate"),
                                 (("spec", "strategy", "rollingUpdate", "maxSurge"), "25%"),
                                 (("spec", "revisionHistoryLimit"), 10),
                                 (("spec", "progressDeadlineSeconds"), 600),
                                 (("spec", "template", "spec", "restartPolicy"), "Always"),
                                 (("spec", "template", "spec", "dnsPolicy"), "ClusterFirst"),
                                 (("spec", "template", "spec", "containers", 0, "imagePullPolicy"), "IfNotPresent"),
                                 (("spec", "template", "spec", "containers", 0, "terminationMessagePath"),
                                  "/dev/termination-log"),
                                 (("spec", "template", "spec", "containers", 0, "ports", 0, "protocol"), "TCP")]:
                expect_equal(dig(stored, *path), wanted, "default of ." + ".".join(map(str, path)))
        group.step("first-apply", first)

        def again():
            # Once the rollout's status has settled: only the apply may move it.
            before = k.settled("deployment", "web", "-n", "shop")
            expect_equal(k.apply_yaml(fixtures.deployment(labels={"tier": "front"})).strip(),
                         "deployment.apps/web unchanged", "second identical apply")
            after = k.get("deployment", "web", "-n", "shop")
            expect_equal(after["metadata"]["resourceVersion"], before["metadata"]["resourceVersion"],
                         "resourceVersion after a no-op apply")
        group.step("unchanged-apply", again)

        def change():
            out = k.apply_yaml(fixtures.deployment(replicas=3, image="nginx:1.28"))
            expect_equal(out.strip(), "deployment.apps/web configured", "apply of a change")
            stored = k.get("deployment", "web", "-n", "shop")
            expect_equal(dig(stored, "spec", "replicas"), 3, "replicas after the change")
            expect_equal(dig(stored, "spec", "template", "spec", "containers", 0, "image"), "nginx:1.28",
                         "image after the change")
            # The label left the manifest and the last-applied annotation: the 3-way merge removes it.
            expect_equal(dig(stored, "metadata", "labels"), {"app": "web"}, "labels after one left the manifest")
            applied = json.loads(dig(stored, "metadata", "annotations", LAST_APPLIED))
            expect_equal(dig(applied, "spec", "replicas"), 3, "last-applied after the change")
            expect(stored["metadata"]["generation"] >= 2, "generation grows with a spec change")
        group.step("configured-apply", change)

        def view_last_applied():
            out = k.out("apply", "view-last-applied", "deployment/web", "-n", "shop", "-o", "json")
            expect_equal(dig(json.loads(out), "spec", "template", "spec", "containers", 0, "image"), "nginx:1.28",
                         "apply view-last-applied")
        group.step("view-last-applied", view_last_applied)

        def canonical_quantity():
            # The server stores a Quantity in canonical form (apimachinery pkg/api/resource/quantity.go).
            k.apply_yaml(fixtures.deployment(replicas=3, image="nginx:1.28", memory="1024Mi"))
            stored = k.get("deployment", "web", "-n", "shop")
            expect_equal(dig(stored, "spec", "template", "spec", "containers", 0, "resources", "limits"),
                         {"memory": "1Gi", "cpu": "500m"}, "limits stored in canonical form")
        group.step("canonical-quantity", canonical_quantity)


# ------------------------------------------------------------ server-side apply and diff

def apply_server_side(group, binary, sim_exe, _claw, _source):
    with temp_dir("ssa") as work, Sim(sim_exe, work) as sim:
        k = Kubectl(binary, sim)
        k.apply_yaml(fixtures.NAMESPACE, "--server-side")

        def twice():
            expect_equal(k.apply_yaml(fixtures.deployment(), "--server-side").strip(),
                         "deployment.apps/web serverside-applied", "server-side apply")
            # The rollout's status updates move resourceVersion, as a controller's would: let them settle.
            first = k.settled("deployment", "web", "-n", "shop")
            expect_equal(k.apply_yaml(fixtures.deployment(), "--server-side").strip(),
                         "deployment.apps/web serverside-applied", "second server-side apply")
            second = k.get("deployment", "web", "-n", "shop")
            expect_equal(second["metadata"]["resourceVersion"], first["metadata"]["resourceVersion"],
                         "resourceVersion after a no-op server-side apply")
            entries = dig(second, "metadata", "managedFields", default=[])
            appliers = [e for e in entries if e.get("operation") == "Apply"]
            expect_equal([e.get("manager") for e in appliers], ["kubectl"], "Apply entries of managedFields")
            fields = appliers[0].get("fieldsV1", {})
            expect("f:replicas" in dig(fields, "f:spec", default={}), "kubectl owns .spec.replicas")
            expect("k:{\"name\":\"web\"}" in dig(fields, "f:spec", "f:template", "f:spec", "f:containers",
                                               default={}), "containers are owned by their merge key")
            expect(LAST_APPLIED not in dig(second, "metadata", "annotations", default={}),
                   "server-side apply writes no last-applied annotation")
        group.step("apply-twice", twice)

        def conflict():
            require_client(binary, V132, "the conflict message is 1.32's")
            code, out, err = k.run("apply", "--server-side", "--field-manager=other", "-f", "-",
                                   stdin=fixtures.deployment(replicas=5), rc=1)
            expect_in('error: Apply failed with 1 conflict: conflict with "kubectl": .spec.replicas', err,
                      "conflicting apply")
            expect_in("--force-conflicts", err, "kubectl's advice on a conflict")
            stored = k.get("deployment", "web", "-n", "shop")
            expect_equal(dig(stored, "spec", "replicas"), 2, "replicas after a refused apply")
        group.step("conflict", conflict)

        def force():
            out = k.apply_yaml(fixtures.deployment(replicas=5), "--server-side", "--field-manager=other",
                               "--force-conflicts")
            expect_equal(out.strip(), "deployment.apps/web serverside-applied", "forced apply")
            stored = k.get("deployment", "web", "-n", "shop")
            expect_equal(dig(stored, "spec", "replicas"), 5, "replicas after a forced apply")
            owners = {e["manager"]: e for e in dig(stored, "metadata", "managedFields", default=[])}
            expect("other" in owners, f"managedFields name the new manager: {sorted(owners)}")
            expect("f:replicas" in dig(owners["other"], "fieldsV1", "f:spec", default={}),
                   "other owns .spec.replicas")
            expect("f:replicas" not in dig(owners.get("kubectl", {}), "fieldsV1", "f:spec", default={}),
                   "kubectl no longer owns .spec.replicas")
        group.step("force-conflicts", force)

        def diff():
            same = fixtures.deployment(replicas=5)
            code, out, err = k.run("diff", "--server-side", "--field-manager=other", "--force-conflicts",
                                   "-f", "-", stdin=same, rc=None)
            expect_equal((code, out, err.strip()), (0, "", ""), "diff of what is live")
            code, out, err = k.run("diff", "--server-side", "--field-manager=other", "--force-conflicts",
                                   "-f", "-", stdin=fixtures.deployment(replicas=7), rc=None)
            expect_equal(code, 1, f"diff's exit code for a change (stderr: {err.strip()})")
            expect_match(r"^-  replicas: 5$", out, "diff's removed line")
            expect_match(r"^\+  replicas: 7$", out, "diff's added line")
            expect_equal(dig(k.get("deployment", "web", "-n", "shop"), "spec", "replicas"), 5,
                         "diff changes nothing")
        group.step("diff", diff)


# ------------------------------------------------------------ patch, replace, label, annotate, scale

def modify(group, binary, sim_exe, _claw, _source):
    with temp_dir("modify") as work, Sim(sim_exe, work) as sim:
        k = Kubectl(binary, sim)
        k.apply_yaml(fixtures.NAMESPACE)
        k.apply_yaml(fixtures.deployment())
        containers = ("spec", "template", "spec", "containers")
        image_patch = '{"spec":{"template":{"spec":{"containers":[{"name":"web","image":"nginx:1.26"}]}}}}'

        def strategic():
            out = k.out("patch", "deployment", "web", "-n", "shop", "-p", image_patch)
            expect_equal(out.strip(), "deployment.apps/web patched", "strategic patch")
            stored = k.get("deployment", "web", "-n", "shop")
            listed = dig(stored, *containers)
            expect_equal(len(listed), 1, "containers merged by name")
            expect_equal(listed[0].get("image"), "nginx:1.26", "patched image")
            expect_equal(dig(listed[0], "ports", 0, "containerPort"), 80, "unpatched port kept")
            again = k.out("patch", "deployment", "web", "-n", "shop", "-p", image_patch)
            expect_equal(again.strip(), "deployment.apps/web patched (no change)", "repeated strategic patch")
        group.step("patch-strategic", strategic)

        def merge():
            out = k.out("patch", "deployment", "web", "-n", "shop", "--type", "merge", "-p",
                        '{"metadata":{"labels":{"tier":"front"}},"spec":{"template":{"spec":{"containers":'
                        '[{"name":"web","image":"nginx:1.25"}]}}}}')
            expect_equal(out.strip(), "deployment.apps/web patched", "merge patch")
            stored = k.get("deployment", "web", "-n", "shop")
            expect_equal(dig(stored, "metadata", "labels"), {"app": "web", "tier": "front"}, "merged labels")
            # RFC 7386 replaces a list whole: the port is gone.
            expect_equal(dig(stored, *containers, 0, "ports"), None, "a merge patch replaces the list")
            expect_equal(dig(stored, *containers, 0, "image"), "nginx:1.25", "image after a merge patch")
            k.out("patch", "deployment", "web", "-n", "shop", "--type", "merge", "-p",
                  '{"metadata":{"labels":{"tier":null}}}')
            expect_equal(dig(k.get("deployment", "web", "-n", "shop"), "metadata", "labels"), {"app": "web"},
                         "null removes a key in a merge patch")
        group.step("patch-merge", merge)

        def json_patch():
            out = k.out("patch", "deployment", "web", "-n", "shop", "--type", "json", "-p",
                        '[{"op":"replace","path":"/spec/replicas","value":4},'
                        '{"op":"add","path":"/metadata/annotations","value":{"owner":"ops"}}]')
            expect_equal(out.strip(), "deployment.apps/web patched", "json patch")
            stored = k.get("deployment", "web", "-n", "shop")
            expect_equal(dig(stored, "spec", "replicas"), 4, "replicas after a json patch")
            expect_equal(dig(stored, "metadata", "annotations", "owner"), "ops", "annotation added by a json patch")
            failed = k.run("patch", "deployment", "web", "-n", "shop", "--type", "json", "-p",
                           '[{"op":"test","path":"/spec/replicas","value":9}]', rc=1)[2]
            expect_in("the server rejected our request", failed, "a failed json patch test")
            expect_equal(dig(k.get("deployment", "web", "-n", "shop"), "spec", "replicas"), 4,
                         "a failed test changes nothing")
        group.step("patch-json", json_patch)

        def replace():
            stored = k.settled("deployment", "web", "-n", "shop")
            stored["spec"]["replicas"] = 6
            stored["metadata"].setdefault("labels", {})["edited"] = "yes"
            out = k.out("replace", "-f", "-", stdin=json.dumps(stored))
            expect_equal(out.strip(), "deployment.apps/web replaced", "replace")
            after = k.get("deployment", "web", "-n", "shop")
            expect_equal(dig(after, "spec", "replicas"), 6, "replicas after replace")
            expect_equal(dig(after, "metadata", "labels", "edited"), "yes", "label after replace")
            expect(after["metadata"]["resourceVersion"] != stored["metadata"]["resourceVersion"],
                   "replace moves resourceVersion")
            # Replacing with the old resourceVersion again is a conflict.
            stale = k.run("replace", "-f", "-", stdin=json.dumps(stored), rc=1)[2]
            expect_in('Operation cannot be fulfilled on deployments.apps "web": the object has been modified; '
                      'please apply your changes to the latest version and try again', stale, "stale replace")
        group.step("replace", replace)

        def label_annotate():
            expect_equal(k.out("label", "deployment", "web", "-n", "shop", "team=blue").strip(),
                         "deployment.apps/web labeled", "label")
            # kubectl before 1.28 printed the verb unconjugated ("annotate").
            annotated = "annotated" if client_version(k.binary)[:2] >= (1, 28) else "annotate"
            expect_equal(k.out("annotate", "deployment", "web", "-n", "shop", "note=hello").strip(),
                         "deployment.apps/web " + annotated, "annotate")
            stored = k.get("deployment", "web", "-n", "shop")
            expect_equal(dig(stored, "metadata", "labels", "team"), "blue", "stored label")
            expect_equal(dig(stored, "metadata", "annotations", "note"), "hello", "stored annotation")
            refused = k.run("label", "deployment", "web", "-n", "shop", "team=red", rc=1)[2]
            expect_in("'team' already has a value (blue), and --overwrite is false", refused, "label without overwrite")
            k.out("label", "deployment", "web", "-n", "shop", "team-")
            expect("team" not in dig(k.get("deployment", "web", "-n", "shop"), "metadata", "labels"),
                   "label removed with KEY-")
            selected = k.out("get", "deployments", "-n", "shop", "-l", "edited=yes", "-o", "name")
            expect_equal(selected.strip(), "deployment.apps/web", "get by label selector")
        group.step("label-annotate", label_annotate)

        def scale():
            expect_equal(k.out("scale", "deployment", "web", "-n", "shop", "--replicas=3").strip(),
                         "deployment.apps/web scaled", "scale")
            expect_equal(dig(k.get("deployment", "web", "-n", "shop"), "spec", "replicas"), 3, "replicas after scale")
            scale_obj = json.loads(k.out("get", "--raw", "/apis/apps/v1/namespaces/shop/deployments/web/scale"))
            expect_equal((scale_obj.get("kind"), dig(scale_obj, "spec", "replicas")), ("Scale", 3),
                         "the scale subresource")
        group.step("scale", scale)


# ------------------------------------------------------------ delete

def delete(group, binary, sim_exe, _claw, _source):
    with temp_dir("delete") as work, Sim(sim_exe, work, ["--log", os.path.join(work, "requests.log")]) as sim:
        k = Kubectl(binary, sim)
        k.apply_yaml(fixtures.NAMESPACE)
        k.apply_yaml(fixtures.deployment())
        k.apply_yaml(fixtures.configmap())
        k.apply_yaml(fixtures.configmap(name="other"))

        def one():
            expect_equal(k.out("delete", "configmap", "other", "-n", "shop").strip(), 'configmap "other" deleted',
                         "delete")
            missing = k.run("get", "configmap", "other", "-n", "shop", rc=1)[2]
            expect_in('configmaps "other" not found', missing, "get after delete")
            again = k.run("delete", "configmap", "other", "-n", "shop", rc=1)[2]
            expect_in('Error from server (NotFound): configmaps "other" not found', again, "delete of a missing object")
            expect_equal(k.out("delete", "configmap", "other", "-n", "shop", "--ignore-not-found").strip(), "",
                         "delete --ignore-not-found")
        group.step("delete-object", one)

        def namespace():
            started = time.monotonic()
            expect_equal(k.out("delete", "namespace", "shop", "--timeout=60s").strip(), 'namespace "shop" deleted',
                         "delete of a namespace")
            took = time.monotonic() - started
            gone = k.run("get", "namespace", "shop", rc=1)[2]
            expect_in('Error from server (NotFound): namespaces "shop" not found', gone, "namespace after delete")
            for kind, name in [("deployment", "web"), ("configmap", "settings")]:
                status, body = sim.request("GET", f"/api/v1/namespaces/shop/configmaps/{name}" if kind == "configmap"
                                           else f"/apis/apps/v1/namespaces/shop/deployments/{name}")
                expect_equal(status, 404, f"{kind} {name} of a deleted namespace")
            expect(took < 30, f"namespace deletion finished in {took:.1f} s")
        group.step("delete-namespace", namespace)

        def watch_used():
            with open(os.path.join(work, "requests.log")) as f:
                lines = [json.loads(line) for line in f]
            watches = [e for e in lines if e["method"] == "GET" and "watch=true" in (e.get("query") or "")]
            expect(watches, "kubectl delete waits through a watch")
        group.step("delete-waits-by-watch", watch_used)


# ------------------------------------------------------------ rollout

def rollout(group, binary, sim_exe, _claw, _source):
    with temp_dir("rollout") as work:
        with Sim(sim_exe, work, ["--ready-after", "300"]) as sim:
            k = Kubectl(binary, sim)
            k.apply_yaml(fixtures.NAMESPACE)
            k.apply_yaml(fixtures.deployment())

            def wait():
                out = k.out("wait", "--for=condition=Available", "--timeout=30s", "deployment/web", "-n", "shop")
                expect_equal(out.strip(), "deployment.apps/web condition met", "wait --for=condition=Available")
                stored = k.get("deployment", "web", "-n", "shop")
                expect_equal(dig(stored, "status", "readyReplicas"), 2, "readyReplicas once available")
                expect_equal(dig(stored, "status", "observedGeneration"), stored["metadata"]["generation"],
                             "observedGeneration once available")
            group.step("wait-available", wait)

            def status():
                k.apply_yaml(fixtures.deployment(image="nginx:1.28"))
                out = k.out("rollout", "status", "deployment/web", "-n", "shop", "--timeout=30s")
                expect_in('deployment "web" successfully rolled out', out, "rollout status")
            group.step("rollout-status", status)

        with temp_dir("never") as other, Sim(sim_exe, other, ["--never-ready", "web"]) as sim:
            k = Kubectl(binary, sim)
            k.apply_yaml(fixtures.NAMESPACE)
            k.apply_yaml(fixtures.deployment())

            def never():
                code, out, err = k.run("rollout", "status", "deployment/web", "-n", "shop", "--timeout=2s", rc=1)
                expect_in("error: timed out waiting for the condition", err, "rollout status of a never-ready workload")
                expect("successfully rolled out" not in out, "never-ready is never rolled out")
            group.step("never-ready", never)


# ------------------------------------------------------------ the server itself

def server(group, binary, sim_exe, _claw, _source):
    with temp_dir("server") as work:
        log_file = os.path.join(work, "requests.log")
        sim = Sim(sim_exe, work, ["--log", log_file])
        sim.start()
        k = Kubectl(binary, sim)

        def unauthenticated():
            status, body = sim.request("GET", "/api/v1/namespaces", client_cert=False)
            expect_equal(status, 401, "status without a client certificate")
            expect_equal((body.get("kind"), body.get("status"), body.get("reason"), body.get("code")),
                         ("Status", "Failure", "Unauthorized", 401), "the 401's Status body")
            status, body = sim.request("GET", "/api/v1/namespaces")
            expect_equal(status, 200, "status with the admin certificate")
        group.step("unauthenticated", unauthenticated)

        def logged():
            k.apply_yaml(fixtures.NAMESPACE)
            k.apply_yaml(fixtures.configmap())
            k.run("get", "configmap", "absent", "-n", "shop", rc=1)
            with open(log_file) as f:
                lines = [json.loads(line) for line in f]
            for entry in lines:
                expect(set(entry) >= {"method", "path", "query", "status", "duration_ms"}, f"log fields: {entry}")
            seen = {(e["method"], e["path"], e["status"]) for e in lines}
            for wanted in [("GET", "/api/v1/namespaces/shop/configmaps/absent", 404),
                           ("POST", "/api/v1/namespaces/shop/configmaps", 201),
                           ("GET", "/api/v1/namespaces/shop/configmaps/settings", 404)]:
                expect(wanted in seen, f"the log records {wanted}")
        group.step("request-log", logged)

        def restart():
            before = k.get("configmap", "settings", "-n", "shop")
            sim.stop()
            sim.start()
            after = k.get("configmap", "settings", "-n", "shop")
            for field in ("uid", "resourceVersion", "creationTimestamp"):
                expect_equal(after["metadata"][field], before["metadata"][field], f"{field} across a restart")
            expect_equal(after.get("data"), {"mode": "fast"}, "data across a restart")
            k.apply_yaml(fixtures.configmap(data={"mode": "slow"}))
            later = k.get("configmap", "settings", "-n", "shop")
            expect(int(later["metadata"]["resourceVersion"]) > int(before["metadata"]["resourceVersion"]),
                   "resourceVersion keeps growing after a restart")
        group.step("restart-keeps-state", restart)
        sim.stop()

        def fail_after():
            with temp_dir("fail-after") as other, Sim(sim_exe, other, ["--fail-after", "3",
                                                                         "--log", os.path.join(other, "log")]) as s:
                statuses = [s.request("GET", "/api/v1/namespaces")[0] for _ in range(6)]
                expect_equal(statuses[:3], [200, 200, 200], "the first 3 requests under --fail-after 3")
                expect(all(code >= 500 for code in statuses[3:]), f"later requests fail: {statuses}")
                code, out, err = Kubectl(binary, s).run("get", "namespaces", rc=1)
                expect_in("Error from server (InternalError)", err, "kubectl's view of a failing server")
        group.step("fail-after", fail_after)


# ------------------------------------------------------------ claw build's manifests

def build(group, binary, sim_exe, claw, source, target):
    with temp_dir("build") as work:
        build_manifests.check(group, binary, sim_exe, claw, source, target, work)


GROUPS = {"discovery": discovery, "apply": apply_client_side, "server-side": apply_server_side,
          "modify": modify, "delete": delete, "rollout": rollout, "server": server}


def main(argv):
    if len(argv) != 5:
        print(__doc__, file=sys.stderr)
        return 2
    name, sim_exe, claw, source = argv[1:]
    binary = find_kubectl()
    if not binary:
        print("SKIP: no kubectl on PATH (set CLAW_KUBECTL)")
        return SKIP
    try:
        version = client_version(binary)
    except Exception as error:  # noqa: BLE001 - any failure to run the client is a skip
        print(f"SKIP: {binary} does not run: {error}")
        return SKIP
    print(f"kubectl: {binary} ({version[2]})", flush=True)
    group = Group(name)
    try:
        if name.startswith("build:"):
            build(group, binary, sim_exe, claw, source, name[len("build:"):])
        else:
            GROUPS[name](group, binary, sim_exe, claw, source)
    except (Failure, Skip) as error:
        print(f"FAIL {name}: {error}", flush=True)
        return 1
    return group.exit_code()


if __name__ == "__main__":
    sys.exit(main(sys.argv))
