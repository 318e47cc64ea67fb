// The claw extension: the TextMate grammar (syntaxes/) highlights .claw
// files on its own; when a claw executable is found (the `claw.path`
// setting, else `claw` on PATH) this starts `claw lsp` over stdio for
// diagnostics, hover, navigation, completion and formatting.
// Client API: https://code.visualstudio.com/api/language-extensions/language-server-extension-guide
'use strict';

const fs = require('fs');
const path = require('path');
let client;

/** The claw executable to run: the setting when it names a file, else the first `claw` on PATH, else null. */
function findClaw(setting, envPath, platform) {
  if (setting) return fs.existsSync(setting) ? setting : null;
  const names = platform === 'win32' ? ['claw.exe', 'claw.cmd', 'claw'] : ['claw'];
  for (const dir of (envPath || '').split(path.delimiter)) {
    if (!dir) continue;
    for (const n of names) {
      const candidate = path.join(dir, n);
      try {
        fs.accessSync(candidate, fs.constants.X_OK);
        if (fs.statSync(candidate).isFile()) return candidate;
      } catch {
        // not here: try the next folder
      }
    }
  }
  return null;
}

/** Starts the language client when claw is found; logs and keeps highlighting when it is not. */
async function activate(context) {
  const vscode = require('vscode');
  const log = vscode.window.createOutputChannel('claw');
  context.subscriptions.push(log);
  const setting = vscode.workspace.getConfiguration('claw').get('path') || '';
  const claw = findClaw(setting, process.env.PATH, process.platform);
  if (!claw) {
    log.appendLine(setting
      ? `claw.path is set to ${setting}, which is not a file: highlighting works, diagnostics and navigation need claw.`
      : 'claw is not on PATH: highlighting works; install claw or set claw.path for diagnostics, hover and navigation.');
    return;
  }
  const { LanguageClient, TransportKind } = require('vscode-languageclient/node');
  const server = { command: claw, args: ['lsp'], transport: TransportKind.stdio };
  client = new LanguageClient('claw', 'claw language server', { run: server, debug: server }, {
    documentSelector: [{ scheme: 'file', language: 'claw' }],
    outputChannel: log,
    synchronize: { fileEvents: vscode.workspace.createFileSystemWatcher('**/*.claw') },
  });
  log.appendLine(`starting ${claw} lsp`);
  try {
    await client.start();
  } catch (e) {
    log.appendLine(`claw lsp did not start (${e.message}): highlighting still works.`);
    client = undefined;
  }
}

/** Stops the language server, if one runs. */
function deactivate() {
  return client ? client.stop() : undefined;
}

module.exports = { activate, deactivate, findClaw };
