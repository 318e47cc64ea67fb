#!/usr/bin/env python3
"""Turns the official Kubernetes OpenAPI v2 document (gzipped JSON) into the
compact schema claw reads (compiler/k8s/openapi.h): run by the build, never
committed. Standard library only.

Output, one JSON object:
  "kinds": [[apiVersion, kind, definition, namespaced], ...]
  "defs":  {definition: {"p": {property: TYPE}, "r": [required, ...]}}
TYPE is a scalar name ("string", "integer", "number", "boolean",
"int-or-string", "quantity", "any"), "#definition" (an object with
properties), {"map": TYPE} (additionalProperties) or {"list": TYPE} with
"key": the patch merge key when the list has one.
"""
import gzip
import json
import sys

REF = "#/definitions/"
SPECIAL = {
    "io.k8s.apimachinery.pkg.util.intstr.IntOrString": "int-or-string",
    "io.k8s.apimachinery.pkg.api.resource.Quantity": "quantity",
}


def scalar_of_def(name, d):
    """A definition that is not an object with properties, as a scalar."""
    if name in SPECIAL:
        return SPECIAL[name]
    if "properties" in d:
        return None
    t = d.get("type")
    if t in ("string", "integer", "number", "boolean"):
        return t
    return "any"  # RawExtension, JSON, FieldsV1: anything goes


def type_of(s, defs):
    if "$ref" in s:
        name = s["$ref"][len(REF):]
        scalar = scalar_of_def(name, defs[name])
        return scalar if scalar else "#" + name
    t = s.get("type")
    if t == "array":
        out = {"list": type_of(s.get("items", {}), defs)}
        if "x-kubernetes-patch-merge-key" in s:
            out["key"] = s["x-kubernetes-patch-merge-key"]
        return out
    if t == "object":
        if "additionalProperties" in s:
            return {"map": type_of(s["additionalProperties"], defs)}
        return "any"
    if s.get("format") == "int-or-string":
        return "int-or-string"
    if t in ("string", "integer", "number", "boolean"):
        return t
    return "any"


def main(src, dst):
    with gzip.open(src, "rt", encoding="utf-8") as f:
        doc = json.load(f)
    defs = doc["definitions"]
    out_defs = {}
    for name, d in sorted(defs.items()):
        if scalar_of_def(name, d):
            continue
        entry = {"p": {k: type_of(v, defs) for k, v in sorted(d["properties"].items())}}
        if d.get("required"):
            entry["r"] = sorted(d["required"])
        out_defs[name] = entry
    # Namespaced: some path under /namespaces/{namespace}/ serves the kind.
    namespaced = {}
    for path, ops in doc["paths"].items():
        for op in ops.values():
            gvk = op.get("x-kubernetes-group-version-kind") if isinstance(op, dict) else None
            if not gvk:
                continue
            key = (gvk["group"], gvk["version"], gvk["kind"])
            namespaced[key] = namespaced.get(key, False) or "{namespace}" in path
    kinds = []
    for name, d in sorted(defs.items()):
        if name not in out_defs:
            continue
        for gvk in d.get("x-kubernetes-group-version-kind", []):
            key = (gvk["group"], gvk["version"], gvk["kind"])
            if key not in namespaced:
                continue  # not served on its own (WatchEvent, DeleteOptions, ...)
            api = gvk["version"] if not gvk["group"] else gvk["group"] + "/" + gvk["version"]
            kinds.append([api, gvk["kind"], name, namespaced[key]])
    with open(dst, "w", encoding="utf-8") as f:
        json.dump({"kinds": sorted(kinds), "defs": out_defs}, f, separators=(",", ":"), sort_keys=True)
        f.write("\n")


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit("usage: openapi_compact.py SWAGGER.json.gz OUT.json")
    main(sys.argv[1], sys.argv[2])
