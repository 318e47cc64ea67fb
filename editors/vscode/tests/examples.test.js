// editors.examples: every .claw file of examples/, infra/ and stdlib/ is
// tokenized twice, by claw's own lexer (claw_dump_tokens) and by the
// TextMate grammar (through vscode-textmate, as VS Code does), and every
// character of every lexer token must carry the scope its token class
// should have. Keyword tokens are keywords only where the parser read them
// as keywords (claw_dump_tokens marks those); anywhere else they are names.
//
// Usage: node examples.test.js CLAW_DUMP_TOKENS REPO_ROOT
'use strict';

const fs = require('fs');
const path = require('path');
const { execFileSync } = require('child_process');
const { loadGrammar, tokenize } = require('./textmate');

const [dumpTokens, root] = process.argv.slice(2);
if (!dumpTokens || !root) {
  console.error('usage: node examples.test.js CLAW_DUMP_TOKENS REPO_ROOT');
  process.exit(2);
}

/** The g4's lexer rules in order: ANTLR numbers token types 1, 2, ... so. */
function tokenNames() {
  const g4 = fs.readFileSync(path.join(root, 'grammar', 'Claw.g4'), 'utf8');
  const names = [];
  for (const m of g4.matchAll(/^(fragment\s+)?([A-Z][A-Z_]*)\s*:/gm)) if (!m[1]) names.push(m[2]);
  return names;
}

/** The literal text of each single-literal lexer rule. */
function literals() {
  const g4 = fs.readFileSync(path.join(root, 'grammar', 'Claw.g4'), 'utf8');
  const out = {};
  for (const m of g4.matchAll(/^([A-Z][A-Z_]*)\s*:\s*'([^']*)'\s*;/gm)) out[m[1]] = m[2];
  return out;
}

// What each punctuation token must carry, by its g4 rule.
const PUNCTUATION = {
  LBRACE: 'punctuation.section.block.begin', RBRACE: 'punctuation.section.block.end',
  LBRACK: 'punctuation.section.brackets.begin', RBRACK: 'punctuation.section.brackets.end',
  LPAREN: 'punctuation.section.parens.begin', RPAREN: 'punctuation.section.parens.end',
  ASSIGN: 'keyword.operator.assignment', COLON: 'punctuation.separator', SEMI: 'punctuation.terminator',
  COMMA: 'punctuation.separator.comma', RANGE: 'keyword.operator.range', DOT: 'punctuation.accessor',
  QUESTION: 'keyword.operator.optional', PLUS: 'keyword.operator.arithmetic', MINUS: 'keyword.operator.arithmetic',
  STAR: 'keyword.operator.arithmetic', SLASH: 'keyword.operator.arithmetic',
};
const KEYWORD_SCOPE = /^(keyword\.control|storage\.type)\./;
const has = (scopes, prefix) => scopes.some((s) => s === prefix || s.startsWith(prefix + '.'));

/** Why `scopes` are wrong for character `i` of a token, or null. */
function problem(tok, i, scopes, ctx) {
  const name = ctx.names[tok.kind - 1];
  const word = ctx.literals[name];
  const asName = () => {
    if (!scopes.some((s) => /^(variable|entity\.name)\./.test(s))) return 'a name: variable.* or entity.name.*';
    if (scopes.some((s) => KEYWORD_SCOPE.test(s) || /^(string|comment|constant)\./.test(s))) return 'a name, not a keyword';
    return null;
  };
  if (word && /^[a-z]+$/.test(word)) {
    if (['TRUE_LIT', 'FALSE_LIT', 'NULL_LIT'].includes(name)) return has(scopes, `constant.language.${word}`) ? null : `constant.language.${word}`;
    if (name === 'X') {
      if (tok.next && ctx.names[tok.next.kind - 1] === 'INT') return has(scopes, 'keyword.operator.repeat') ? null : 'keyword.operator.repeat';
      return asName();
    }
    if (tok.role === 'kw') {
      return scopes.some((s) => KEYWORD_SCOPE.test(s) && s.endsWith(`.${word}.claw`)) ? null : `keyword.control.${word} or storage.type.${word}`;
    }
    return asName();
  }
  if (PUNCTUATION[name]) return has(scopes, PUNCTUATION[name]) ? null : PUNCTUATION[name];
  switch (name) {
    case 'IDENT': return asName();
    case 'INT': return has(scopes, 'constant.numeric.integer') ? null : 'constant.numeric.integer';
    case 'FLOAT': return has(scopes, 'constant.numeric.float') ? null : 'constant.numeric.float';
    case 'QUANTITY': {
      if (!has(scopes, 'constant.numeric.quantity')) return 'constant.numeric.quantity';
      const isUnit = /[a-zA-Z]/.test(tok.text[i]);
      return isUnit === has(scopes, 'keyword.other.unit') ? null : isUnit ? 'keyword.other.unit' : 'no unit scope on a digit';
    }
    case 'STRING': {
      const want = tok.text.startsWith('"""') ? 'string.quoted.triple' : 'string.quoted.double';
      return has(scopes, want) ? null : want;
    }
    case 'LINE_COMMENT': return has(scopes, 'comment.line') ? null : 'comment.line';
    case 'BLOCK_COMMENT': return has(scopes, 'comment.block') ? null : 'comment.block';
    default: return `no ${name} token in a checked file (claw check reports it)`;
  }
}

function claws(dir) {
  const out = [];
  if (!fs.existsSync(dir)) return out;
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...claws(p));
    else if (e.name.endsWith('.claw')) out.push(p);
  }
  return out.sort();
}

/** For each byte offset of `text`'s UTF-8, its [line, UTF-16 column]. */
function positions(text) {
  const at = [];
  let line = 0;
  let col = 0;
  for (const ch of text) {
    const bytes = Buffer.byteLength(ch);
    for (let b = 0; b < bytes; b++) at.push([line, col]);
    if (ch === '\n') { line++; col = 0; } else col += ch.length;
  }
  at.push([line, col]);
  return at;
}

async function main() {
  const grammar = await loadGrammar();
  const ctx = { names: tokenNames(), literals: literals() };
  const files = ['examples', 'infra', 'stdlib'].flatMap((d) => claws(path.join(root, d)));
  let checked = 0;
  const failures = [];
  for (const file of files) {
    const text = fs.readFileSync(file, 'utf8');
    const bytes = Buffer.from(text, 'utf8');
    const at = positions(text);
    const tm = tokenize(grammar, text);
    const byLine = new Map();
    for (const t of tm) {
      if (!byLine.has(t.line)) byLine.set(t.line, []);
      byLine.get(t.line).push(t);
    }
    const scopesAt = (line, col) => (byLine.get(line) || []).find((t) => t.start <= col && col < t.end)?.scopes || [];
    const toks = execFileSync(dumpTokens, [file], { encoding: 'utf8', maxBuffer: 1 << 28 }).trim().split('\n').filter(Boolean)
      .map((l) => { const [kind, begin, end, role] = l.split(' '); return { kind: +kind, begin: +begin, end: +end, role }; });
    toks.forEach((t, k) => {
      t.next = toks[k + 1];
      t.text = bytes.subarray(t.begin, t.end).toString('utf8');
    });
    for (const t of toks) {
      checked++;
      const startIdx = at[t.begin];
      const chars = [...t.text];
      let [line, col] = startIdx;
      let i = 0;
      for (const ch of chars) {
        if (ch === '\n') { line++; col = 0; i += ch.length; continue; }
        if (ch !== '\r' && !(/\s/.test(ch) && /COMMENT|STRING/.test(ctx.names[t.kind - 1]))) {
          const scopes = scopesAt(line, col);
          const why = problem(t, i, scopes, ctx);
          if (why) {
            failures.push(`${path.relative(root, file)}:${line + 1}:${col + 1}: ${ctx.names[t.kind - 1]} ${JSON.stringify(t.text.slice(0, 40))} ` +
              `wants ${why}; has ${scopes.slice(1).join(' ') || '(no scope)'}`);
            break;
          }
        }
        col += ch.length;
        i += ch.length;
      }
    }
  }
  for (const f of failures.slice(0, 50)) console.log(f);
  if (failures.length > 50) console.log(`... and ${failures.length - 50} more`);
  console.log(`${files.length} files, ${checked} tokens: ${failures.length} with a wrong scope`);
  if (files.length === 0 || checked === 0) { console.log('no file was checked'); process.exit(1); }
  process.exit(failures.length ? 1 : 0);
}

main().catch((e) => { console.error(e); process.exit(1); });
