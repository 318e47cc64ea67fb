#!/bin/sh
# Whole-tree golden test of `claw build`: builds SRC (a folder, relative to
# the repository root) and compares every output file with the committed
# tree under tests/golden/build/NAME/. The build is run twice more, with the
# input files listed in reverse order and then in order, and must give the
# same bytes.
#
# Usage: build_tree.sh CLAW NAME SRC
# With CLAW_UPDATE_GOLDEN=1 the expected tree is replaced by the output
# instead (review the diff before committing it).
set -eu

claw=$1
name=$2
src=$3
root=$(cd "$(dirname "$0")/../.." && pwd)
expected=$root/tests/golden/build/$name
work=$(mktemp -d "${TMPDIR:-/tmp}/claw-golden.XXXXXX")
trap 'rm -rf "$work"' EXIT INT TERM

cd "$root"
if ! "$claw" build "$src" -o "$work/out" >"$work/stdout" 2>"$work/stderr"; then
  echo "claw build $src failed:" >&2
  cat "$work/stderr" >&2
  exit 1
fi

# The same program with its files named one by one, in reverse and in order.
files=$(find "$src" -name '*.claw' | LC_ALL=C sort)
reversed=$(printf '%s\n' "$files" | LC_ALL=C sort -r)
# shellcheck disable=SC2086 # word splitting of the file list is intended
"$claw" build $reversed -o "$work/reversed" >/dev/null 2>&1 || { echo "claw build (files in reverse order) failed" >&2; exit 1; }
# shellcheck disable=SC2086
"$claw" build $files -o "$work/ordered" >/dev/null 2>&1 || { echo "claw build (files in order) failed" >&2; exit 1; }
if ! diff -r "$work/reversed" "$work/ordered" >"$work/order.diff"; then
  echo "the output depends on the order of the input files:" >&2
  cat "$work/order.diff" >&2
  exit 1
fi

if [ "${CLAW_UPDATE_GOLDEN:-}" = 1 ]; then
  rm -rf "$expected"
  mkdir -p "$(dirname "$expected")"
  cp -R "$work/out" "$expected"
  echo "updated tests/golden/build/$name"
  exit 0
fi

if [ ! -d "$expected" ]; then
  echo "no expected tree tests/golden/build/$name; create it with CLAW_UPDATE_GOLDEN=1" >&2
  exit 1
fi
if ! diff -r -u "$expected" "$work/out"; then
  echo "claw build $src differs from tests/golden/build/$name (above: expected, then actual)" >&2
  echo "if the change is intended: CLAW_UPDATE_GOLDEN=1 ctest --test-dir build -R golden.build, then review git diff" >&2
  exit 1
fi
echo "claw build $src matches tests/golden/build/$name ($(find "$expected" -type f | wc -l) files)"
