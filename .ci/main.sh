#!/usr/bin/env bash
# The main job: install what is missing, build claw and claw-sim, check the
# network in infra/ and print a summary of it, place it and print the
# placement, then start claw-sim with infra/'s machines as its Nodes, apply
# every manifest with kubectl's server-side apply and show what runs where.
# (`claw plan` / `claw apply` take kubectl's place once they exist.)
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

if ! command -v kubectl >/dev/null 2>&1; then
  echo "kubectl is not installed: skipping the apply to claw-sim" >&2
  exit 0
fi
sim=$(mktemp -d)
trap 'kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null; rm -rf "$sim"' EXIT
build/claw-sim --port 0 --state "$sim/state" --kubeconfig-out "$sim/kubeconfig" \
  --nodes out/placement.json >"$sim/log" 2>&1 &
pid=$!
for _ in $(seq 100); do
  grep -q 'listening on' "$sim/log" && break
  sleep 0.1
done
export KUBECONFIG="$sim/kubeconfig"
echo
echo "== $(head -n1 "$sim/log")"
echo "== kubectl apply --server-side -f out/manifests/ (namespaces first)"
kubectl apply --server-side -f out/manifests/namespaces.yaml
kubectl apply --server-side -R -f out/manifests/
echo
echo "== kubectl get nodes,workloads"
kubectl get nodes
kubectl get deployments,statefulsets,daemonsets,cronjobs,helmcharts -A
