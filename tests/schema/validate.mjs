#!/usr/bin/env node
// validate.mjs DIR... — validates every Kubernetes object in every *.yaml file
// under each DIR (or in each FILE given instead of a DIR) against the upstream
// schemas, as strictly as `kubectl apply --validate=strict` would:
//
//   * built-in kinds: the ajv validators that `kubernetes-models` generates
//     from the upstream Kubernetes OpenAPI spec (GA API versions only);
//   * monitoring.coreos.com (ServiceMonitor, PodMonitor, PrometheusRule...):
//     `@kubernetes-models/prometheus-operator`, generated from the upstream
//     prometheus-operator API types;
//   * helm.cattle.io/v1 HelmChart and HelmChartConfig: crds/*.schema.json
//     (hand-written, see README.md), whose metadata and security contexts are
//     checked with the upstream validators; valuesContent must parse as a
//     Helm values mapping.
//
// The upstream OpenAPI schemas leave objects open (no additionalProperties:
// false), so the generated validators accept unknown fields. The API server
// with strict field validation does not. This script closes them: every
// object is validated through a Proxy that records which keys the generated
// validator looks up on each JSON object. A validator for a struct type reads
// every property the type declares (to check it), a validator for a map type
// enumerates the keys, and a validator for a free-form object (RawExtension,
// x-kubernetes-preserve-unknown-fields) reads nothing. So a key of an object
// whose validator read some keys but did not enumerate it is a field the
// upstream type does not have: it is reported as `unknown field`. (The one
// way this could misfire is a declared property whose schema accepts
// anything, which ajv never reads: none is in the kinds claw emits; see
// README.md.)
//
// Output: `FILE: doc N (Kind/name): error: PATH: MESSAGE` per failure, then
// `validated N objects in M files`. Exit 0 all valid, 1 any invalid object,
// unparsable document, object without a schema or DIR without any object,
// 2 usage error.
//
// `validate.mjs --values DIR...` only checks that every *.yaml is one YAML
// document holding a mapping, as Helm needs of a values file.

import { readFileSync, readdirSync, statSync } from "node:fs";
import { join, relative, dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseAllDocuments } from "yaml";
import Ajv from "ajv";
import localizeEn from "ajv-i18n/localize/en/index.js";

const HERE = dirname(fileURLToPath(import.meta.url));

// ---------------------------------------------------------------------------
// Usage

const USAGE = "usage: validate.mjs DIR...            every Kubernetes object in every *.yaml under each DIR (or a FILE)\n" +
  "       validate.mjs --values DIR...   every *.yaml parses as one Helm values mapping\n";
let args = process.argv.slice(2);
const valuesMode = args[0] === "--values";
if (valuesMode) args = args.slice(1);
if (args.length === 0 || args.some((a) => a === "-h" || a === "--help")) {
  process.stderr.write(USAGE);
  process.exit(2);
}
for (const a of args) {
  if (a.startsWith("-")) {
    process.stderr.write(`validate.mjs: unknown option ${a}\n${USAGE}`);
    process.exit(2);
  }
  let st;
  try {
    st = statSync(a);
  } catch {
    process.stderr.write(`validate.mjs: ${a}: no such directory or file\n`);
    process.exit(2);
  }
  if (!st.isDirectory() && !st.isFile()) {
    process.stderr.write(`validate.mjs: ${a}: not a directory or file\n`);
    process.exit(2);
  }
}

// ---------------------------------------------------------------------------
// Schemas: apiVersion + kind -> validate(data) returning ajv-style errors.

// Built-in API groups are served by kubernetes-models/<group>/<version>, the
// core group by kubernetes-models/v1. Only GA versions (v1, v2): the beta and
// alpha versions in the package are removed from, or off by default in, the
// Kubernetes versions k3s ships, so an object using one is an error.
const CRD_PACKAGES = {
  "monitoring.coreos.com": "@kubernetes-models/prometheus-operator",
};
const HAND_WRITTEN = {
  "helm.cattle.io/v1/HelmChart": join(HERE, "crds", "helmchart.schema.json"),
  "helm.cattle.io/v1/HelmChartConfig": join(HERE, "crds", "helmchartconfig.schema.json"),
};

function modulePathFor(apiVersion) {
  const m = /^(?:([a-z0-9]([a-z0-9.-]*[a-z0-9])?)\/)?(v[0-9]+(?:(?:alpha|beta)[0-9]+)?)$/.exec(apiVersion);
  if (!m) return null;
  const group = m[1] ?? "";
  const version = m[3];
  if (group in CRD_PACKAGES) return `${CRD_PACKAGES[group]}/${group}/${version}`;
  if (!/^v[0-9]+$/.test(version)) return null;
  // A group kubernetes-models does not have fails to import: no schema.
  return group === "" ? `kubernetes-models/${version}` : `kubernetes-models/${group}/${version}`;
}

// A validate function of the model class: it throws a ValidationError whose
// `errors` are ajv errors with English messages.
function fromModel(cls) {
  return (data) => {
    try {
      cls.prototype.validate.call(data);
      return [];
    } catch (e) {
      if (Array.isArray(e?.errors)) return e.errors;
      throw e;
    }
  };
}

const upstreamSchemas = {
  ObjectMeta: "@kubernetes-models/apimachinery/_schemas/IoK8sApimachineryPkgApisMetaV1ObjectMeta",
  PodSecurityContext: "kubernetes-models/_schemas/IoK8sApiCoreV1PodSecurityContext",
  SecurityContext: "kubernetes-models/_schemas/IoK8sApiCoreV1SecurityContext",
  LocalObjectReference: "kubernetes-models/_schemas/IoK8sApiCoreV1LocalObjectReference",
};

async function handWritten(path) {
  const upstream = {};
  for (const [name, mod] of Object.entries(upstreamSchemas)) {
    upstream[name] = (await import(mod)).validate;
  }
  const ajv = new Ajv({ allErrors: true, strict: true });
  // "x-upstream": NAME validates the value with the upstream generated
  // validator NAME (ObjectMeta, PodSecurityContext...), errors and all.
  ajv.addKeyword({
    keyword: "x-upstream",
    schemaType: "string",
    errors: true,
    validate: function check(name, data, _parentSchema, cxt) {
      const fn = upstream[name];
      if (!fn) throw new Error(`x-upstream: no upstream schema ${name}`);
      const ok = fn(data, { instancePath: cxt.instancePath, parentData: cxt.parentData, parentDataProperty: cxt.parentDataProperty, rootData: cxt.rootData });
      check.errors = ok ? null : fn.errors;
      return ok;
    },
  });
  const fn = ajv.compile(JSON.parse(readFileSync(path, "utf8")));
  return (data) => (fn(data) ? [] : fn.errors);
}

const validators = new Map();
async function validatorFor(apiVersion, kind) {
  const key = `${apiVersion}/${kind}`;
  if (validators.has(key)) return validators.get(key);
  let v = null;
  if (key in HAND_WRITTEN) {
    v = await handWritten(HAND_WRITTEN[key]);
  } else {
    const mod = modulePathFor(apiVersion);
    if (mod) {
      let exports = null;
      try {
        exports = await import(mod);
      } catch (e) {
        if (e?.code !== "ERR_PACKAGE_PATH_NOT_EXPORTED" && e?.code !== "ERR_MODULE_NOT_FOUND") throw e;
      }
      const cls = exports && Object.hasOwn(exports, kind) ? exports[kind] : null;
      // Only top-level kinds: the class carries its apiVersion and kind.
      if (typeof cls === "function" && cls.apiVersion === apiVersion && cls.kind === kind) v = fromModel(cls);
    }
  }
  validators.set(key, v);
  return v;
}

// ---------------------------------------------------------------------------
// Unknown fields: which keys did the validator look at, on which object?

function track(root) {
  const seen = new WeakMap(); // object -> { read: Set, enumerated: bool }
  const proxies = new WeakMap();
  const wrap = (v) => {
    if (v === null || typeof v !== "object") return v;
    let p = proxies.get(v);
    if (p) return p;
    const rec = { read: new Set(), enumerated: false };
    seen.set(v, rec);
    p = new Proxy(v, {
      get(t, k, r) {
        if (typeof k === "string") rec.read.add(k);
        return wrap(Reflect.get(t, k, r));
      },
      has(t, k) {
        if (typeof k === "string") rec.read.add(k);
        return Reflect.has(t, k);
      },
      ownKeys(t) {
        rec.enumerated = true;
        return Reflect.ownKeys(t);
      },
      getOwnPropertyDescriptor(t, k) {
        return Reflect.getOwnPropertyDescriptor(t, k);
      },
      set() {
        throw new Error("validator tried to modify the object");
      },
      deleteProperty() {
        throw new Error("validator tried to modify the object");
      },
    });
    proxies.set(v, p);
    return p;
  };
  return { proxy: wrap(root), seen };
}

function unknownFields(node, seen, path, out) {
  if (node === null || typeof node !== "object") return;
  if (Array.isArray(node)) {
    node.forEach((x, i) => unknownFields(x, seen, `${path}[${i}]`, out));
    return;
  }
  const rec = seen.get(node);
  for (const k of Object.keys(node)) {
    const p = path ? `${path}.${k}` : k;
    if (rec && !rec.enumerated && rec.read.size > 0 && !rec.read.has(k)) {
      out.push({ path: p, message: `unknown field "${k}"` });
      continue;
    }
    unknownFields(node[k], seen, p, out);
  }
}

// ---------------------------------------------------------------------------
// YAML 1.1, as kubectl and Helm read it (sigs.k8s.io/yaml): an unquoted
// `yes`, `on` or `n` is a boolean there. A key given twice is an error, as in
// strict decoding.

const parseYamlText = (text) => [parseAllDocuments(text, { version: "1.1", uniqueKeys: true, prettyErrors: false })].flat();
const parseYaml = (path) => parseYamlText(readFileSync(path, "utf8"));
const yamlError = (e) => `YAML: ${e.message.split("\n")[0]}`;

// What is wrong with TEXT as a Helm values file: [{ docNo, message }].
function valuesProblems(text) {
  const out = [];
  let nonEmpty = 0;
  parseYamlText(text).forEach((doc, i) => {
    if (doc.errors.length > 0) {
      for (const e of doc.errors) out.push({ docNo: i + 1, message: yamlError(e) });
      return;
    }
    const v = doc.toJS({ maxAliasCount: -1 });
    if (v === null || v === undefined) return;
    if (++nonEmpty > 1) out.push({ docNo: i + 1, message: "Helm values hold one YAML document" });
    else if (typeof v !== "object" || Array.isArray(v)) out.push({ docNo: i + 1, message: "Helm values must be a YAML mapping" });
  });
  return out;
}

// A HelmChart's (or HelmChartConfig's) valuesContent is a values file in a
// string: it must parse.
function helmChartChecks(obj) {
  const text = obj.spec?.valuesContent;
  if (obj.apiVersion !== "helm.cattle.io/v1" || typeof text !== "string") return [];
  return valuesProblems(text).map((p) => ({ path: "spec.valuesContent", message: p.message }));
}

// ---------------------------------------------------------------------------
// Checks kubectl apply makes before any schema: a name it can address.

const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

function metadataChecks(obj) {
  const out = [];
  const md = obj.metadata;
  if (md === null || typeof md !== "object" || Array.isArray(md)) {
    out.push({ path: "metadata", message: "required: kubectl apply needs metadata.name" });
    return out;
  }
  if (typeof md.name !== "string" || md.name === "") {
    out.push({ path: "metadata.name", message: "required: kubectl apply needs a name" });
  } else if (md.name.length > 253 || !DNS1123_SUBDOMAIN.test(md.name)) {
    out.push({ path: "metadata.name", message: `"${md.name}" is not a DNS-1123 subdomain (lower case alphanumerics, '-' and '.')` });
  }
  if (typeof md.namespace === "string" && (md.namespace.length > 63 || !DNS1123_LABEL.test(md.namespace))) {
    out.push({ path: "metadata.namespace", message: `"${md.namespace}" is not a DNS-1123 label` });
  }
  return out;
}

// ---------------------------------------------------------------------------

function pointerToPath(ptr) {
  if (!ptr) return "";
  return ptr
    .split("/")
    .slice(1)
    .map((s) => s.replace(/~1/g, "/").replace(/~0/g, "~"))
    .reduce((acc, s) => (/^[0-9]+$/.test(s) ? `${acc}[${s}]` : acc ? `${acc}.${s}` : s), "");
}

// ajv errors -> { path, message }, English messages from ajv-i18n, one line
// per mistake: a failed anyOf/oneOf (int-or-string, a quantity) is one line
// naming what it accepts, not one line per branch; a wrong type hides the
// format and enum errors of the same value.
function ajvToFailures(errors) {
  localizeEn(errors);
  const byPath = new Map();
  for (const e of errors) {
    if (!byPath.has(e.instancePath)) byPath.set(e.instancePath, []);
    byPath.get(e.instancePath).push(e);
  }
  const out = [];
  for (const [ptr, group] of byPath) {
    const path = pointerToPath(ptr);
    const join = (k) => (path ? `${path}.${k}` : k);
    const alt = group.find((e) => e.keyword === "anyOf" || e.keyword === "oneOf");
    if (alt) {
      const branches = group.filter((e) => e !== alt && e.keyword !== "anyOf" && e.keyword !== "oneOf");
      const forms = [];
      for (const b of branches) {
        const form = b.keyword === "type" ? b.params.type : b.keyword === "format" ? `a string of format "${b.params.format}"` : b.message;
        if (!forms.includes(form)) forms.push(form);
      }
      out.push({ path, message: forms.length ? `must be ${forms.join(" or ")}` : alt.message });
      continue;
    }
    const typed = group.filter((e) => e.keyword === "type");
    for (const e of typed.length ? typed : group) {
      if (e.keyword === "additionalProperties" && e.params?.additionalProperty !== undefined) {
        const k = e.params.additionalProperty;
        out.push({ path: join(k), message: `unknown field "${k}"` });
      } else if (e.keyword === "required" && e.params?.missingProperty !== undefined) {
        out.push({ path: join(e.params.missingProperty), message: "required field is missing" });
      } else if (e.keyword === "enum" && Array.isArray(e.params?.allowedValues)) {
        out.push({ path, message: `must be one of ${e.params.allowedValues.map((v) => JSON.stringify(v)).join(", ")}` });
      } else {
        out.push({ path, message: e.message ?? `fails ${e.keyword}` });
      }
    }
  }
  return out;
}

// The file as given on the command line's terms: relative to the current
// folder when it is under it, absolute otherwise.
function displayPath(path) {
  const rel = relative(process.cwd(), path);
  return rel && !rel.startsWith("..") ? rel : resolve(path);
}

function yamlFiles(dir) {
  const out = [];
  const walk = (d) => {
    for (const ent of readdirSync(d, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
      const p = join(d, ent.name);
      if (ent.isDirectory()) walk(p);
      else if (ent.isFile() && /\.ya?ml$/.test(ent.name)) out.push(p);
    }
  };
  walk(dir);
  return out;
}

let objects = 0;
let files = 0;
let failures = 0;
const report = (file, docNo, label, path, message) => {
  failures++;
  process.stdout.write(`${file}: doc ${docNo} (${label}): error: ${path ? `${path}: ` : ""}${message}\n`);
};

if (valuesMode) {
  for (const dir of args) {
    for (const path of statSync(dir).isDirectory() ? yamlFiles(dir) : [dir]) {
      files++;
      for (const p of valuesProblems(readFileSync(path, "utf8"))) report(displayPath(path), p.docNo, "values", "", p.message);
    }
  }
  process.stdout.write(`parsed ${files} values files${failures ? `: ${failures} error${failures === 1 ? "" : "s"}` : ""}\n`);
  process.exit(failures ? 1 : 0);
}

for (const dir of args) {
  const list = statSync(dir).isDirectory() ? yamlFiles(dir) : [dir];
  let inDir = 0; // documents that are not empty, valid or not
  for (const path of list) {
    files++;
    const file = displayPath(path);
    const all = [parseYaml(path)].flat();
    for (let i = 0; i < all.length; i++) {
      const doc = all[i];
      const docNo = i + 1;
      if (doc.errors.length > 0) {
        inDir++;
        for (const e of doc.errors) report(file, docNo, "unparsable", "", yamlError(e));
        continue;
      }
      const obj = doc.toJS({ maxAliasCount: -1 });
      if (obj === null || obj === undefined) continue; // an empty document (`---` alone)
      inDir++;
      if (typeof obj !== "object" || Array.isArray(obj)) {
        report(file, docNo, "not an object", "", "a Kubernetes manifest document must be a mapping");
        continue;
      }
      objects++;
      const { apiVersion, kind } = obj;
      const name = obj.metadata && typeof obj.metadata === "object" ? obj.metadata.name : undefined;
      const label = `${typeof kind === "string" ? kind : "?"}/${typeof name === "string" ? name : "?"}`;
      if (typeof apiVersion !== "string" || typeof kind !== "string") {
        report(file, docNo, label, "", "apiVersion and kind must be strings");
        continue;
      }
      const validate = await validatorFor(apiVersion, kind);
      if (!validate) {
        report(file, docNo, label, "", `no schema for apiVersion "${apiVersion}" kind "${kind}" (unknown or not a served GA API)`);
        continue;
      }
      const { proxy, seen } = track(obj);
      const found = [...ajvToFailures(validate(proxy)), ...metadataChecks(obj), ...helmChartChecks(obj)];
      unknownFields(obj, seen, "", found);
      // One line per distinct failure.
      const uniq = new Map();
      for (const f of found) uniq.set(`${f.path}\u0000${f.message}`, f);
      for (const f of uniq.values()) report(file, docNo, label, f.path, f.message);
    }
  }
  if (inDir === 0) {
    process.stdout.write(`${dir}: error: no Kubernetes objects found${list.length ? "" : " (no *.yaml file)"}\n`);
    failures++;
  }
}

process.stdout.write(`validated ${objects} objects in ${files} files${failures ? `: ${failures} error${failures === 1 ? "" : "s"}` : ""}\n`);
process.exit(failures ? 1 : 0);
