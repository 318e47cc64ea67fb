// Reads back every YAML file claw_yaml_corpus wrote with js-yaml (pinned in
// package-lock.json; its default schema: YAML 1.2 core plus merge keys and
// timestamps), and requires exactly the documents, kinds and strings that
// expected.json names.
//
//   node check_jsyaml.mjs DIR
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
let yaml;
try {
  yaml = require("js-yaml");
} catch {
  console.log("js-yaml is missing: run `npm ci --prefix tests/yaml`");
  process.exit(1);
}
const version = require("js-yaml/package.json").version;

const isMap = (v) => v !== null && typeof v === "object" && !Array.isArray(v);
const show = (v) => String(JSON.stringify(v)).slice(0, 100);

function same(got, want, where, errors) {
  if (isMap(want) && Object.keys(want).length === 1 && "$yaml" in want) {
    if (typeof got !== "string") return void errors.push(`${where}: not a string: ${show(got)}`);
    let inner;
    try {
      inner = yaml.load(got);
    } catch (e) {
      return void errors.push(`${where}: the embedded YAML does not load: ${e.message}`);
    }
    return same(inner, want.$yaml, `${where}<yaml>`, errors);
  }
  if (isMap(want)) {
    if (!isMap(got)) return void errors.push(`${where}: a map expected, got ${show(got)}`);
    // Own keys only: a merged `<<` would show up as keys not written.
    const gk = Object.keys(got), wk = Object.keys(want);
    for (const k of wk) if (!Object.prototype.hasOwnProperty.call(got, k)) errors.push(`${where}: key ${show(k)} missing`);
    for (const k of gk) if (!Object.prototype.hasOwnProperty.call(want, k)) errors.push(`${where}: key ${show(k)} not written by claw`);
    for (const k of wk) if (Object.prototype.hasOwnProperty.call(got, k)) same(got[k], want[k], `${where}.${show(k).slice(0, 60)}`, errors);
    return;
  }
  if (Array.isArray(want)) {
    if (!Array.isArray(got) || got.length !== want.length)
      return void errors.push(`${where}: a list of ${want.length} expected, got ${show(got)}`);
    want.forEach((w, i) => same(got[i], w, `${where}[${i}]`, errors));
    return;
  }
  if (typeof got !== typeof want || got !== want) errors.push(`${where}: ${show(want)} written, ${show(got)} read back`);
}

const folder = process.argv[2];
const expected = JSON.parse(readFileSync(join(folder, "expected.json"), "utf8"));
let failures = 0;
for (const [name, want] of Object.entries(expected)) {
  if (!name.endsWith(".yaml")) continue;
  const errors = [];
  let docs = null;
  try {
    docs = yaml.loadAll(readFileSync(join(folder, name), "utf8"));
  } catch (e) {
    errors.push(`does not load: ${e.message}`);
  }
  if (docs) {
    if (docs.length !== want.docs) errors.push(`${docs.length} documents, ${want.docs} written`);
    else if (want.kinds) {
      const kinds = docs.map((d) => (isMap(d) ? d.kind : undefined));
      if (JSON.stringify(kinds) !== JSON.stringify(want.kinds)) errors.push(`kinds ${show(kinds)}, ${show(want.kinds)} written`);
    }
    if (errors.length === 0)
      for (const [doc, path, value] of want.checks) {
        let got = docs[doc];
        for (const step of path) got = got === undefined || got === null ? undefined : got[step];
        same(got, value, `document ${doc} ${show(path)}`, errors);
      }
  }
  for (const e of errors.slice(0, 20)) console.log(`js-yaml: ${name}: ${e}`);
  if (errors.length > 20) console.log(`js-yaml: ${name}: ... ${errors.length - 20} more`);
  failures += errors.length;
}
if (failures) {
  console.log(`js-yaml: FAILED: ${failures} mismatches over ${expected.corpus_size} hostile strings`);
  process.exit(1);
}
console.log(`js-yaml ${version}: every file read back exactly (${expected.corpus_size} hostile strings)`);
