#!/usr/bin/env bash
# Installs the Debian packages that building and testing claw need, and only
# those that are missing: `apt-get update` runs only when something is.
# Needs root, or sudo when run as another user.
set -euo pipefail

packages=(
  antlr4 libantlr4-runtime-dev        # the parser generator and its C++ runtime
  libyaml-cpp-dev nlohmann-json3-dev libcurl4-openssl-dev libfmt-dev libcli11-dev
  doctest-dev                         # unit tests
  ninja-build cmake g++ make
  libgoogle-perftools-dev             # tcmalloc: faster allocation in the parser
  clang libclang-rt-14-dev            # the libFuzzer build
  shellcheck python3 hyperfine time   # script lint, benchmarks
)

missing=()
for p in "${packages[@]}"; do
  if ! dpkg -s "$p" 2>/dev/null | grep -q '^Status: install ok installed'; then
    missing+=("$p")
  fi
done
if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi

sudo=()
if [ "$(id -u)" -ne 0 ]; then
  sudo=(sudo)
fi
echo "setup: installing ${missing[*]}"
"${sudo[@]}" apt-get update -q
"${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${missing[@]}"
