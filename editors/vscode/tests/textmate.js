// Tokenizes claw text with the extension's TextMate grammar through the same
// libraries VS Code uses (vscode-textmate on the vscode-oniguruma regex
// engine), as in vscode-textmate's README:
// https://github.com/microsoft/vscode-textmate#using
'use strict';

const fs = require('fs');
const path = require('path');
const vsctm = require('vscode-textmate');
const oniguruma = require('vscode-oniguruma');

const GRAMMAR = process.env.CLAW_TMLANGUAGE || path.join(__dirname, '..', 'syntaxes', 'claw.tmLanguage.json');

/** Loads the claw grammar; resolves to a vscode-textmate IGrammar. */
async function loadGrammar() {
  const wasm = fs.readFileSync(require.resolve('vscode-oniguruma/release/onig.wasm'));
  await oniguruma.loadWASM(wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength));
  const registry = new vsctm.Registry({
    onigLib: Promise.resolve({
      createOnigScanner: (patterns) => new oniguruma.OnigScanner(patterns),
      createOnigString: (s) => new oniguruma.OnigString(s),
    }),
    loadGrammar: async (scopeName) =>
      scopeName === 'source.claw'
        ? vsctm.parseRawGrammar(fs.readFileSync(GRAMMAR, 'utf8'), GRAMMAR)
        : null,
  });
  return registry.loadGrammar('source.claw');
}

/** Every token of `text`: {line (0-based), start, end (UTF-16 columns), scopes}. */
function tokenize(grammar, text) {
  const out = [];
  let state = vsctm.INITIAL;
  text.split(/\r?\n/).forEach((line, i) => {
    const r = grammar.tokenizeLine(line, state);
    for (const t of r.tokens) out.push({ line: i, start: t.startIndex, end: t.endIndex, scopes: t.scopes });
    state = r.ruleStack;
  });
  return out;
}

module.exports = { loadGrammar, tokenize };
