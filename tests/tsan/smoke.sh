#!/usr/bin/env bash
# ThreadSanitizer smoke run: a ThreadSanitizer build of claw (cmake
# -DCLAW_TSAN=ON) builds infra/ and a generated network large enough that
# every threaded phase runs on several threads (parsing, checking the
# workloads in two halves, emitting, writing), and checks a generated
# program of templates and lets, and serves a language server session. Any
# data race ends the run with a report and a non-zero exit.
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
  "$claw" build -j2 "$input" -o "$work/out" >/dev/null  # again: nothing changed, the tree is kept
done
# One more service: the rebuild path that writes what changed and links the rest.
printf 'service tsan-extra {\n  image = "registry.example.com/tsan-extra:1.0"\n  arch = [amd64]\n  tolerate "dedicated=claw:NoSchedule"\n}\n' >"$work/net/claw/extra.claw"
echo "tsan smoke: claw build net/claw, one service more"
"$claw" build -j2 "$work/net/claw" -o "$work/out" >/dev/null
[ -f "$work/out/manifests/claw/tsan-extra.yaml" ] || { echo "tsan smoke: the new service's manifest is missing" >&2; exit 1; }
# Templates and a let per team, used by that team's services: the lets the
# main thread evaluates before the second thread starts, which then reads them.
python3 "$root/tests/bench/gen_program.py" --machines 200 --services 2000 "$work/teams" >/dev/null
echo "tsan smoke: claw check teams (templates and lets)"
"$claw" check -j2 "$work/teams" >/dev/null
# The language server: a first check with the index built beside the
# network's checks, edits checked incrementally, and full checks of edits
# with the last check freed on a thread of its own.
echo "tsan smoke: claw lsp, 2,000 services, edits of every kind"
MACHINES=200 SERVICES=2000 EDITS=6 EDITS_RSS=0 python3 "$root/tests/bench/lsp_bench.py" "$claw" >/dev/null
echo "tsan smoke: no data race"
