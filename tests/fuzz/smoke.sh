#!/usr/bin/env bash
# A short libFuzzer run of each fuzz target: claw_parse_fuzz (parse + check,
# seeded with tests/fuzz/corpus, guided by tests/fuzz/claw.dict) and
# claw_emit_fuzz (the emitters, seeded with tests/fuzz/emit-corpus, guided
# by tests/fuzz/emit.dict). Exits
# non-zero on any crash, sanitizer report, leak, timeout or out-of-memory;
# the input that caused it is saved under the build folder and printed.
#
#   tests/fuzz/smoke.sh [FUZZER...]     default: build-fuzz/claw_parse_fuzz build-fuzz/claw_emit_fuzz
#   FUZZ_SECONDS=300 tests/fuzz/smoke.sh
#
# New inputs a run finds go to tests/fuzz/corpus-run/<target>/ (ignored by
# git), so local runs build on each other; the seed corpora are never
# written to.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
seconds=${FUZZ_SECONDS:-30}
if [ $# -eq 0 ]; then
  set -- "$root/build-fuzz/claw_parse_fuzz" "$root/build-fuzz/claw_emit_fuzz"
fi

run() {
  local fuzzer=$1 name seeds work artifacts log status=0
  if [ ! -x "$fuzzer" ]; then
    echo "fuzz smoke: no fuzzer at $fuzzer (build it with -DCLAW_FUZZ=ON)" >&2
    return 1
  fi
  name=$(basename "$fuzzer")
  local extra=()
  case "$name" in
    claw_emit_fuzz)
      seeds=$root/tests/fuzz/emit-corpus
      extra=(-dict="$root/tests/fuzz/emit.dict") ;;
    *)
      seeds=$root/tests/fuzz/corpus
      extra=(-dict="$root/tests/fuzz/claw.dict") ;;
  esac
  work=$root/tests/fuzz/corpus-run/$name
  artifacts=$(dirname "$fuzzer")/fuzz-artifacts/$name
  mkdir -p "$work" "$artifacts"
  rm -f "$artifacts"/crash-* "$artifacts"/leak-* "$artifacts"/timeout-* "$artifacts"/oom-* "$artifacts"/slow-unit-*

  echo "fuzz smoke: $seconds s of $name over ${seeds#"$root"/}"
  log=$artifacts/fuzz.log
  "$fuzzer" "$work" "$seeds" "${extra[@]}" \
    -max_total_time="$seconds" -max_len=4096 -timeout=10 -rss_limit_mb=2048 \
    -print_final_stats=1 -artifact_prefix="$artifacts/" >"$log" 2>&1 || status=$?

  local found=()
  for f in "$artifacts"/crash-* "$artifacts"/leak-* "$artifacts"/timeout-* "$artifacts"/oom-*; do
    if [ -e "$f" ]; then
      found+=("$f")
    fi
  done
  if [ "$status" -ne 0 ] || [ ${#found[@]} -gt 0 ]; then
    tail -n 60 "$log" >&2
    echo "fuzz smoke: $name FAILED (exit $status); reproducers (run the fuzzer on one to replay it):" >&2
    printf '  %s\n' "${found[@]}" >&2
    return 1
  fi
  grep -E '^(#[0-9]+[[:space:]]+DONE|stat::number_of_executed_units|stat::peak_rss_mb)' "$log" || true
  echo "fuzz smoke: $name: no crash"
}

failed=0
for fuzzer in "$@"; do
  run "$fuzzer" || failed=1
done
exit "$failed"
