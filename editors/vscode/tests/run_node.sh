#!/bin/sh
# Runs one node test of editors/vscode (tests/CMakeLists.txt registers them):
#   run_node.sh scopes                      vscode-tmgrammar-test on tests/*.claw
#   run_node.sh examples DUMP_TOKENS ROOT   the grammar against claw's lexer
#   run_node.sh extension                   how extension.js finds claw
#   run_node.sh package OUT_DIR             `vsce package`, then the .vsix's contents
# They need editors/vscode/node_modules: `npm ci --prefix editors/vscode`.
set -eu
here=$(cd "$(dirname "$0")/.." && pwd)
if [ ! -x "$here/node_modules/.bin/vscode-tmgrammar-test" ] || [ ! -x "$here/node_modules/.bin/vsce" ]; then
  echo "editors/vscode/node_modules is missing or incomplete: run npm ci --prefix editors/vscode" >&2
  exit 1
fi
case "$1" in
  scopes)
    cd "$here"
    exec node_modules/.bin/vscode-tmgrammar-test --compact 'tests/*.claw' ;;
  examples)
    exec node "$here/tests/examples.test.js" "$2" "$3" ;;
  extension)
    exec node "$here/tests/extension.test.js" ;;
  package)
    out=$2
    rm -rf "$out"
    mkdir -p "$out"
    cd "$here"
    # No repository or licence file in the folder: vsce would ask about
    # both; these flags answer (https://github.com/microsoft/vscode-vsce).
    npx --no vsce package --out "$out/claw.vsix" --allow-missing-repository --skip-license </dev/null
    exec python3 "$here/tests/check_vsix.py" "$out/claw.vsix" ;;
  *)
    echo "run_node.sh: unknown test $1" >&2
    exit 2 ;;
esac
