// Loads out/network.html in a real browser (the system's chromium, driven
// by puppeteer-core) and holds it to what `claw build` promises of it: it
// loads with no console error, no page error and no request beyond the
// file itself, and it shows every machine and every replica that
// placement.json lists (names read from there, not written here).
//
//   node check_page.mjs OUT_DIR CHROMIUM [SCREENSHOT.png]
//
// Then it proves it could fail: with one machine's section, one workload's
// row and one replica's row removed from the page, the same check must
// name all three.
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import puppeteer from 'puppeteer-core';

const [outDir, chromium, screenshot] = process.argv.slice(2);
if (!outDir || !chromium) {
  console.error('usage: node check_page.mjs OUT_DIR CHROMIUM [SCREENSHOT.png]');
  process.exit(2);
}
const placement = JSON.parse(readFileSync(join(outDir, 'placement.json'), 'utf8'));
const pageUrl = pathToFileURL(resolve(outDir, 'network.html')).href;

/** What the page shows: its visible machine sections and workload rows. */
function shownOnPage() {
  const visible = (e) => {
    const r = e.getBoundingClientRect();
    return r.width > 0 && r.height > 0;
  };
  const label = (e) => `${e.dataset.namespace}/${e.dataset.workload}`;
  // A replica's row names it in its first cell: "namespace/name #3".
  const replicaOf = (row) => row.cells[0]?.textContent.replace(/ #\d+$/, '') ?? null;
  return {
    machines: [...document.querySelectorAll('section.machine')].filter(visible).map((s) => ({
      name: s.dataset.machine,
      heading: s.querySelector('h2')?.textContent ?? null,
      box: [...s.querySelectorAll('svg.box')].some(visible),
      replicas: [...s.querySelectorAll('tr.replica')].filter(visible).map(replicaOf),
      blocks: s.querySelectorAll('svg.box rect.replica').length,
    })),
    workloads: [...document.querySelectorAll('tr.workload')].filter(visible).map(label),
  };
}

/** Everything placement.json lists that `shown` lacks, in words. */
function problems(shown) {
  const out = [];
  const byName = new Map(shown.machines.map((m) => [m.name, m]));
  for (const m of placement.machines) {
    const s = byName.get(m.name);
    if (!s) { out.push(`machine ${m.name} is not shown`); continue; }
    if (s.heading !== m.name) out.push(`machine ${m.name} is headed ${JSON.stringify(s.heading)}`);
    if (!s.box) out.push(`machine ${m.name} has no visible box`);
  }
  const want = new Map();  // machine -> label -> replicas
  for (const p of placement.placements) {
    const perMachine = want.get(p.machine) ?? new Map();
    const l = `${p.namespace}/${p.workload}`;
    perMachine.set(l, (perMachine.get(l) ?? 0) + 1);
    want.set(p.machine, perMachine);
  }
  for (const [machine, labels] of want) {
    const s = byName.get(machine);
    if (!s) continue;
    for (const [l, n] of labels) {
      const got = s.replicas.filter((r) => r === l).length;
      if (got !== n) out.push(`machine ${machine} shows ${got} replicas of ${l}, placement.json has ${n}`);
    }
    const total = [...labels.values()].reduce((a, b) => a + b, 0);
    if (s.blocks !== total) out.push(`machine ${machine} draws ${s.blocks} replica blocks, placement.json has ${total}`);
  }
  const workloads = new Set(shown.workloads);
  for (const p of placement.placements) {
    const l = `${p.namespace}/${p.workload}`;
    if (!workloads.has(l)) { out.push(`workload ${l} is not in the workloads' table`); workloads.add(l); }
  }
  return out;
}

const errors = [];
const browser = await puppeteer.launch({
  executablePath: chromium,
  headless: true,  // chromium's new headless mode (--headless=new)
  args: ['--no-sandbox'],  // a container has no user namespaces for the sandbox
});
let failed = false;
try {
  const page = await browser.newPage();
  await page.setViewport({ width: 1280, height: 900 });  // a laptop's screen
  page.on('console', (m) => { if (m.type() === 'error') errors.push(`console error: ${m.text()}`); });
  page.on('pageerror', (e) => errors.push(`page error: ${e.message}`));
  page.on('request', (r) => { if (r.url() !== pageUrl) errors.push(`request beyond the file: ${r.url()}`); });
  page.on('requestfailed', (r) => errors.push(`request failed: ${r.url()}`));
  const response = await page.goto(pageUrl, { waitUntil: 'load' });
  if (!response || !response.ok()) errors.push(`loading ${pageUrl} failed`);
  const found = [...errors, ...problems(await page.evaluate(shownOnPage))];
  if (screenshot) await page.screenshot({ path: screenshot, fullPage: true });
  for (const f of found) console.error(f);
  failed = found.length > 0;

  // The check must see a machine and a workload go missing.
  const gone = await page.evaluate(() => {
    const m = document.querySelector('section.machine');
    const w = document.querySelector('tr.workload');
    const names = { machine: m.dataset.machine, workload: `${w.dataset.namespace}/${w.dataset.workload}` };
    m.remove();
    w.remove();
    // And a replica's row on another machine, where there is one.
    const r = document.querySelector('section.machine tr.replica');
    if (r) {
      names.replicaOn = r.closest('section.machine').dataset.machine;
      r.remove();
    }
    return names;
  });
  const seen = problems(await page.evaluate(shownOnPage));
  const sees = (what) => seen.some((p) => p.includes(what));
  if (!sees(`machine ${gone.machine} is not shown`) || !sees(`workload ${gone.workload} is not in`) ||
      (gone.replicaOn && !sees(`machine ${gone.replicaOn} shows `))) {
    console.error(`the check missed a removed machine (${gone.machine}), workload (${gone.workload}) or replica ` +
                  `(on ${gone.replicaOn}): ${seen.join('; ')}`);
    failed = true;
  }
} finally {
  await browser.close();
}
if (failed) process.exit(1);
console.log(`network.html shows all ${placement.machines.length} machines and ${placement.placements.length} replicas, with no error`);
