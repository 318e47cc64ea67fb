#!/usr/bin/env bash
# A short libFuzzer run of claw_parse_fuzz, seeded with tests/fuzz/corpus and
# guided by tests/fuzz/claw.dict. Exits non-zero on any crash, sanitizer
# report, leak, timeout or out-of-memory; the input that caused it is saved
# under the build folder and printed.
#
#   tests/fuzz/smoke.sh [FUZZER]        default FUZZER: build-fuzz/claw_parse_fuzz
#   FUZZ_SECONDS=300 tests/fuzz/smoke.sh
#
# New inputs the run finds go to tests/fuzz/corpus-run/ (ignored by git), so
# local runs build on each other; the seed corpus is never written to.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
fuzzer=${1:-$root/build-fuzz/claw_parse_fuzz}
seconds=${FUZZ_SECONDS:-30}

if [ ! -x "$fuzzer" ]; then
  echo "fuzz smoke: no fuzzer at $fuzzer (build it with -DCLAW_FUZZ=ON)" >&2
  exit 1
fi
work=$root/tests/fuzz/corpus-run
artifacts=$(dirname "$fuzzer")/fuzz-artifacts
mkdir -p "$work" "$artifacts"
rm -f "$artifacts"/crash-* "$artifacts"/leak-* "$artifacts"/timeout-* "$artifacts"/oom-* "$artifacts"/slow-unit-*

echo "fuzz smoke: $seconds s of $(basename "$fuzzer") over tests/fuzz/corpus"
log=$artifacts/fuzz.log
status=0
"$fuzzer" "$work" "$root/tests/fuzz/corpus" \
  -dict="$root/tests/fuzz/claw.dict" \
  -max_total_time="$seconds" -max_len=4096 -timeout=10 -rss_limit_mb=2048 \
  -print_final_stats=1 -artifact_prefix="$artifacts/" >"$log" 2>&1 || status=$?

found=()
for f in "$artifacts"/crash-* "$artifacts"/leak-* "$artifacts"/timeout-* "$artifacts"/oom-*; do
  if [ -e "$f" ]; then
    found+=("$f")
  fi
done
if [ "$status" -ne 0 ] || [ ${#found[@]} -gt 0 ]; then
  tail -n 60 "$log" >&2
  echo "fuzz smoke: FAILED (exit $status); reproducers (run the fuzzer on one to replay it):" >&2
  printf '  %s\n' "${found[@]}" >&2
  exit 1
fi
grep -E '^(#[0-9]+[[:space:]]+DONE|stat::number_of_executed_units|stat::peak_rss_mb)' "$log" || true
echo "fuzz smoke: no crash"
