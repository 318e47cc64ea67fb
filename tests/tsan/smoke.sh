#!/usr/bin/env bash
# ThreadSanitizer smoke run: a ThreadSanitizer build of claw (cmake
# -DCLAW_TSAN=ON) builds infra/ and a generated network large enough that
# every threaded phase runs on several threads (parsing, checking the
# workloads in two halves, emitting, writing). Any data race ends the run
# with a report and a non-zero exit.
#
#   tests/tsan/smoke.sh [CLAW]        default CLAW: build-tsan/claw
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
claw=${1:-$root/build-tsan/claw}
if [ ! -x "$claw" ]; then
  echo "tsan smoke: no claw at $claw (configure with -DCLAW_TSAN=ON)" >&2
  exit 1
fi
work=$(mktemp -d "${TMPDIR:-/tmp}/claw-tsan.XXXXXX")
trap 'rm -rf "$work"' EXIT
export TSAN_OPTIONS=${TSAN_OPTIONS:-halt_on_error=1:exitcode=66:second_deadlock_stack=1}

# 2,000 services: above the checker's threshold for a second thread.
python3 "$root/tests/bench/gen_build_inputs.py" --services 2000 --machines 200 "$work/net" >/dev/null
for input in "$root/infra" "$work/net/claw"; do
  echo "tsan smoke: claw build $(basename "$(dirname "$input")")/$(basename "$input")"
  "$claw" build -j2 "$input" -o "$work/out" >/dev/null
  "$claw" build -j2 "$input" -o "$work/out" >/dev/null  # again: the rebuild path (compare, link)
done
echo "tsan smoke: no data race"
