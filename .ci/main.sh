#!/usr/bin/env bash
# The main job: install what is missing, build claw and claw-sim, check the
# network in infra/ and print a summary of it, place it and print the
# placement, then start claw-sim with infra/'s machines as its Nodes, and
# run claw plan, claw apply and claw plan again (no changes) against it.
set -euo pipefail
cd "$(dirname "$0")/.."

.ci/setup.sh
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null
ninja -C build -j2 claw claw-sim

echo "== claw check --summary infra/"
build/claw check --summary infra/

echo
echo "== claw build infra/ -o out/"
build/claw build infra/ -o out

sim=$(mktemp -d)
trap 'kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null; rm -rf "$sim"' EXIT
build/claw-sim --port 0 --state "$sim/state" --kubeconfig-out "$sim/kubeconfig" \
  --nodes out/placement.json --ready-after 200 >"$sim/log" 2>&1 &
pid=$!
for _ in $(seq 100); do
  grep -q 'listening on' "$sim/log" && break
  sleep 0.1
done
echo
echo "== $(head -n1 "$sim/log")"
# infra/'s secrets come from environment variables; demo values here (claw
# reads them at apply time and never writes or prints them).
export INNGEST_SIGNING_KEY=demo INNGEST_EVENT_KEY=demo QDRANT_API_KEY=demo HF_TOKEN=demo \
  GITHUB_WEBHOOK_SECRET=demo GRAFANA_ADMIN_PASSWORD=demo
echo
echo "== claw plan infra/ (exit 2: changes)"
set +e
build/claw plan infra/ --kubeconfig "$sim/kubeconfig"
code=$?
set -e
[ "$code" -eq 2 ] || { echo "claw plan exited $code, expected 2" >&2; exit 1; }
echo
echo "== claw apply infra/ --yes --wait"
build/claw apply infra/ --kubeconfig "$sim/kubeconfig" --yes --wait --timeout 60
echo
echo "== claw plan infra/ (exit 0: no changes)"
build/claw plan infra/ --kubeconfig "$sim/kubeconfig"
if command -v kubectl >/dev/null 2>&1; then
  echo
  echo "== kubectl get nodes,workloads"
  export KUBECONFIG="$sim/kubeconfig"
  kubectl get nodes
  kubectl get deployments,statefulsets,daemonsets,cronjobs,helmcharts -A
fi
