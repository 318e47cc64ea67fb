#!/usr/bin/env bash
# The main job: install what is missing, build claw, check the network in
# infra/ and print a summary of it, then place it and print the placement.
set -euo pipefail
cd "$(dirname "$0")/.."

.ci/setup.sh
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null
ninja -C build -j2 claw

echo "== claw check --summary infra/"
build/claw check --summary infra/

echo
echo "== claw build infra/ -o out/"
build/claw build infra/ -o out
