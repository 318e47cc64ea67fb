#!/bin/sh
# The browser test of network.html: builds infra/ with claw, then loads the
# page in headless chromium (check_page.mjs).
#
#   tests/html/run.sh CLAW SOURCE_DIR WORK_DIR
set -eu
here=$(cd "$(dirname "$0")" && pwd)
claw=$1
src=$2
work=$3
if [ ! -d "$here/node_modules/puppeteer-core" ]; then
  echo "tests/html/node_modules is missing: run npm ci --prefix tests/html (.ci/setup.sh does)" >&2
  exit 1
fi
chromium=$(command -v chromium || true)
if [ -z "$chromium" ]; then
  echo "chromium is not on PATH: install Debian's chromium (.ci/setup.sh does)" >&2
  exit 1
fi
rm -rf "$work"
mkdir -p "$work"
"$claw" build "$src/infra" -o "$work/out" >"$work/build.log" 2>&1 || { cat "$work/build.log" >&2; exit 1; }
exec node "$here/check_page.mjs" "$work/out" "$chromium" "$work/network.png"
