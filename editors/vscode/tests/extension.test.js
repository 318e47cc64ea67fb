// editors.extension: how extension.js finds the claw executable, on real
// folders: the claw.path setting, else the first executable `claw` on PATH.
'use strict';

const assert = require('assert');
const fs = require('fs');
const os = require('os');
const path = require('path');
const { findClaw } = require('../extension');

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'claw-ext-'));
const dir = (n) => { const d = path.join(tmp, n); fs.mkdirSync(d); return d; };
const file = (d, mode) => { const f = path.join(d, 'claw'); fs.writeFileSync(f, '#!/bin/sh\n'); fs.chmodSync(f, mode); return f; };

const empty = dir('empty');
const plain = dir('plain');
file(plain, 0o644);
const bin = dir('bin');
const exe = file(bin, 0o755);
const other = dir('other');
file(other, 0o755);
const sub = dir('sub');
fs.mkdirSync(path.join(sub, 'claw'));
const join = (...ds) => ds.join(path.delimiter);

const cases = [
  // [what, setting, PATH, expected]
  ['nothing on PATH', '', join(empty), null],
  ['no PATH at all', '', undefined, null],
  ['a claw that is not executable is skipped', '', join(plain), null],
  ['a folder named claw is skipped', '', join(sub), null],
  ['the first executable claw on PATH', '', join(empty, plain, bin, other), exe],
  ['empty PATH entries are ignored', '', join('', bin), exe],
  ['the setting wins over PATH', path.join(other, 'claw'), join(bin), path.join(other, 'claw')],
  ['a setting naming no file finds nothing, not PATH', path.join(tmp, 'missing'), join(bin), null],
];
let failed = 0;
for (const [what, setting, envPath, want] of cases) {
  const got = findClaw(setting, envPath, 'linux');
  try {
    assert.strictEqual(got, want);
  } catch {
    failed++;
    console.log(`FAIL ${what}: got ${got}, want ${want}`);
  }
}
fs.rmSync(tmp, { recursive: true, force: true });
console.log(`${cases.length - failed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
