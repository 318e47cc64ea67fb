#!/usr/bin/env bash
# check_outputs.sh CLAW OUT_ROOT
# Builds infra/ and every folder of examples/ with `CLAW build SRC -o
# OUT_ROOT/NAME`, then validates every object of every OUT_ROOT/NAME/manifests
# against the upstream schemas (validate.mjs), and checks that every
# OUT_ROOT/NAME/values/*.yaml is one YAML mapping. Exit 1 if a build fails or
# anything is invalid, 2 on a usage error.
# Needs node and tests/schema/node_modules (`npm ci --prefix tests/schema`).
set -euo pipefail
if [ $# -ne 2 ]; then
  echo "usage: check_outputs.sh CLAW OUT_ROOT" >&2
  exit 2
fi
claw=$1
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)

if [ ! -x "$claw" ] || [ -d "$claw" ]; then
  echo "check_outputs: $claw: no such executable" >&2
  exit 2
fi
# Absolute paths, then work from the repository root, so that claw is given
# the sources as `infra` and `examples/NAME`, as in the README.
case $claw in
  */*) claw=$(cd "$(dirname "$claw")" && pwd)/$(basename "$claw") ;;
esac
mkdir -p "$2"
out_root=$(cd "$2" && pwd)
cd "$root"

if ! command -v node >/dev/null 2>&1; then
  echo "check_outputs: node is not on PATH: install Node.js (.ci/setup.sh does), then run npm ci --prefix tests/schema" >&2
  exit 1
fi
if [ ! -d "$here/node_modules/kubernetes-models" ]; then
  echo "check_outputs: tests/schema/node_modules is missing: run npm ci --prefix tests/schema" >&2
  exit 1
fi

sources=(infra)
for d in examples/*/; do
  sources+=("${d%/}")
done

failed=0
manifests=()
values=()
for src in "${sources[@]}"; do
  name=$(basename "$src")
  out="$out_root/$name"
  if ! "$claw" build "$src" -o "$out" >"$out_root/$name.log" 2>&1; then
    echo "check_outputs: FAIL: $claw build $src -o $out:"
    sed 's/^/  | /' "$out_root/$name.log"
    failed=1
    continue
  fi
  if [ ! -d "$out/manifests" ]; then
    echo "check_outputs: FAIL: $claw build $src wrote no $out/manifests"
    failed=1
    continue
  fi
  manifests+=("$out/manifests")
  if [ -d "$out/values" ]; then
    values+=("$out/values")
  fi
done
echo "check_outputs: built ${#manifests[@]} of ${#sources[@]} (infra/ and examples/*/)"

if [ ${#manifests[@]} -gt 0 ]; then
  node "$here/validate.mjs" "${manifests[@]}" || failed=1
fi
if [ ${#values[@]} -gt 0 ]; then
  node "$here/validate.mjs" --values "${values[@]}" || failed=1
fi

if [ "$failed" -ne 0 ]; then
  echo "check_outputs: FAILED"
  exit 1
fi
echo "check_outputs: all outputs valid"
