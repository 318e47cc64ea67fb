#!/usr/bin/env bash
# Builds claw and runs every test, as CI does:
#   1. installs the Debian packages that are missing (.ci/setup.sh),
#   2. shellchecks the repository's scripts,
#   3. build/        Release:               build, then CTest,
#   4. build-asan/   ASan + UBSan:          build, then CTest,
#   5. build-tsan/   ThreadSanitizer:       build claw and claw-sim, then build networks with
#                                           claw and serve concurrent clients with claw-sim,
#   6. build-fuzz/   clang + libFuzzer:     build, then a short fuzz run.
# About 10 minutes from scratch on 2 cores (packages already installed); JOBS sets build and test
# parallelism (default 2), FUZZ_SECONDS the fuzz run's length (default 30).
set -euo pipefail
cd "$(dirname "$0")/.."
jobs=${JOBS:-2}
start=$SECONDS
step() { echo; echo "== $* ($((SECONDS - start)) s)"; }

step "setup"
.ci/setup.sh

step "shellcheck"
mapfile -t scripts < <(find . -path ./.git -prune -o -path './build*' -prune -o -path '*/node_modules' -prune -o -type f -name '*.sh' -print | sort)
shellcheck .ci/run "${scripts[@]}"

step "build/ (Release)"
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null
ninja -C build -j"$jobs"
step "build/: ctest"
ctest --test-dir build --output-on-failure -j"$jobs"

step "build-asan/ (-O1 -g1, AddressSanitizer + UndefinedBehaviorSanitizer)"
# -O1 -g1 (line tables) is what ASan's documentation suggests and halves this
# build (about 10 min instead of 20 on 2 cores); reports keep file:line.
cmake -S . -B build-asan -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O1 -g1" \
  -DCLAW_SANITIZE=ON >/dev/null
ninja -C build-asan -j"$jobs"
step "build-asan/: ctest"
ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1:strict_string_checks=1} \
  UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1} \
  ctest --test-dir build-asan --output-on-failure -j"$jobs"

step "build-tsan/ (RelWithDebInfo, ThreadSanitizer: claw and claw-sim)"
cmake -S . -B build-tsan -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCLAW_TSAN=ON -DCLAW_TESTS=OFF >/dev/null
ninja -C build-tsan -j"$jobs" claw claw-sim
step "tsan smoke"
tests/tsan/smoke.sh build-tsan/claw
tests/tsan/sim_smoke.py build-tsan/claw-sim

step "build-fuzz/ (clang, libFuzzer + ASan + UBSan)"
CC=clang CXX=clang++ cmake -S . -B build-fuzz -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DCLAW_FUZZ=ON -DCLAW_TESTS=OFF >/dev/null
ninja -C build-fuzz -j"$jobs" claw_parse_fuzz claw_emit_fuzz
step "fuzz smoke"
tests/fuzz/smoke.sh build-fuzz/claw_parse_fuzz build-fuzz/claw_emit_fuzz

step "all passed"
