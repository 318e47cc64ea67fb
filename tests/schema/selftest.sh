#!/usr/bin/env bash
# Proves that validate.mjs is not vacuous:
#   * fixtures/valid/ (every kind claw emits) passes, every object counted;
#   * each fixtures/invalid/*.yaml, one mistake each, fails with exit 1 and
#     exactly one error line, which contains the fragment on its
#     `# expect: ` first line;
#   * usage errors exit 2, and a folder without any object fails.
# Needs node and tests/schema/node_modules (`npm ci --prefix tests/schema`).
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
cd "$here"

if ! command -v node >/dev/null 2>&1; then
  echo "schema selftest: node is not on PATH: install Node.js (.ci/setup.sh does), then run npm ci --prefix tests/schema" >&2
  exit 1
fi
if [ ! -d node_modules/kubernetes-models ]; then
  echo "schema selftest: tests/schema/node_modules is missing: run npm ci --prefix tests/schema" >&2
  exit 1
fi

passed=0
failed=0
ok() { passed=$((passed + 1)); }
bad() {
  failed=$((failed + 1))
  echo "FAIL: $*"
}

# run ARGS...: sets $out to the output and $rc to the exit code of validate.mjs.
run() {
  rc=0
  out=$(node validate.mjs "$@" 2>&1) || rc=$?
}

# The valid fixture: exit 0, and every document (one `kind:` each) validated.
valid=fixtures/valid/all-kinds.yaml
want=$(grep -c '^kind:' "$valid")
run fixtures/valid
if [ "$rc" -eq 0 ] && [ "$out" = "validated $want objects in 1 files" ]; then
  ok
else
  bad "$valid: want exit 0 and 'validated $want objects in 1 files', got exit $rc:"
  printf '%s\n' "$out"
fi

# Every kind claw emits has a schema, and is in the valid fixture.
for kind in Namespace ConfigMap Service PersistentVolumeClaim PersistentVolume Secret \
  Deployment StatefulSet DaemonSet Job CronJob Ingress RuntimeClass \
  HelmChart HelmChartConfig ServiceMonitor PodMonitor PrometheusRule; do
  if grep -qx "kind: $kind" "$valid"; then ok; else bad "$valid has no $kind"; fi
done

# Each invalid fixture: exit 1, one error line, the expected message.
shopt -s nullglob
invalid=(fixtures/invalid/*.yaml)
if [ ${#invalid[@]} -lt 5 ]; then
  bad "only ${#invalid[@]} invalid fixtures in fixtures/invalid"
fi
for f in "${invalid[@]}"; do
  expect=$(sed -n '1s/^# expect: //p' "$f")
  if [ -z "$expect" ]; then
    bad "$f: its first line must be '# expect: MESSAGE FRAGMENT'"
    continue
  fi
  run "$f"
  errors=$(printf '%s\n' "$out" | grep -c ': error: ' || true)
  if [ "$rc" -eq 1 ] && [ "$errors" -eq 1 ] && grep -qF -- "$expect" <<<"$out"; then
    ok
  else
    bad "$f: want exit 1 and one error line containing: $expect"
    echo "  got exit $rc, $errors error lines:"
    printf '%s\n' "$out" | sed 's/^/  | /'
  fi
done

# All the invalid fixtures in one run: one error line each, exit 1.
run fixtures/invalid
errors=$(printf '%s\n' "$out" | grep -c ': error: ' || true)
if [ "$rc" -eq 1 ] && [ "$errors" -eq ${#invalid[@]} ]; then ok; else bad "fixtures/invalid: want exit 1 and ${#invalid[@]} error lines, got exit $rc and $errors"; fi

# Usage errors exit 2; a folder with no object is an error, not a pass.
run
if [ "$rc" -eq 2 ]; then ok; else bad "no argument: want exit 2, got $rc"; fi
run --no-such-flag fixtures/valid
if [ "$rc" -eq 2 ]; then ok; else bad "unknown option: want exit 2, got $rc"; fi
run fixtures/does-not-exist
if [ "$rc" -eq 2 ]; then ok; else bad "missing folder: want exit 2, got $rc"; fi
empty=$(mktemp -d)
trap 'rm -rf "$empty"' EXIT
run "$empty"
if [ "$rc" -eq 1 ]; then ok; else bad "empty folder: want exit 1, got $rc"; fi

# --values: a mapping passes; a list, two documents or a duplicate key fail.
printf 'replicas: 1\nimage:\n  tag: "1.0"\n' >"$empty/good.yaml"
run --values "$empty/good.yaml"
if [ "$rc" -eq 0 ]; then ok; else bad "--values good.yaml: want exit 0, got $rc: $out"; fi
printf -- '- 1\n' >"$empty/list.yaml"
printf 'a: 1\n---\nb: 2\n' >"$empty/two.yaml"
printf 'a: 1\na: 2\n' >"$empty/dup.yaml"
for f in list two dup; do
  run --values "$empty/$f.yaml"
  if [ "$rc" -eq 1 ]; then ok; else bad "--values $f.yaml: want exit 1, got $rc"; fi
done

echo "schema selftest: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
