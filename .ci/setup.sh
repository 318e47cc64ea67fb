#!/usr/bin/env bash
# Installs the Debian packages that building and testing claw need, and only
# those that are missing: `apt-get update` runs only when something is. Then
# the npm packages of the schema tests, the YAML read-back test and the
# browser test of network.html (tests/schema/, tests/yaml/ and tests/html/
# package-lock.json), when node_modules is missing or older than the lock.
# Needs root, or sudo when run as another user, for the Debian packages.
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(
  antlr4 libantlr4-runtime-dev        # the parser generator and its C++ runtime
  libyaml-cpp-dev nlohmann-json3-dev libcurl4-openssl-dev libfmt-dev libcli11-dev
  doctest-dev                         # unit tests
  ninja-build cmake g++ make
  libgoogle-perftools-dev             # tcmalloc: faster allocation in the parser
  clang libclang-rt-14-dev            # the libFuzzer build
  shellcheck python3 hyperfine time   # script lint, the build (compacts the Kubernetes schema), benchmarks
  jsonnet python3-yaml                # the build benchmark's jsonnet peer and output check
  libcpp-httplib-dev libssl-dev zlib1g-dev pkg-config  # claw-sim: HTTPS, certificates, the embedded schema
  coinor-libcbc-dev                   # CBC: placement's exact solver
  chromium                            # the browser test of network.html (tests/html)
)
# The claw-sim tests hold the server to a real kubectl: any kubectl on PATH
# will do (1.32 for the whole suite); Debian's is older but runs the basics.
if ! command -v kubectl >/dev/null 2>&1; then
  packages+=(kubernetes-client)
fi
# Node.js runs the schema tests (tests/schema): any node already on PATH will do.
if ! command -v node >/dev/null 2>&1; then
  packages+=(nodejs npm)
fi

missing=()
for p in "${packages[@]}"; do
  if ! grep -q '^Status: install ok installed' <<<"$(dpkg -s "$p" 2>/dev/null)"; then
    missing+=("$p")
  fi
done
if [ ${#missing[@]} -gt 0 ]; then
  sudo=()
  if [ "$(id -u)" -ne 0 ]; then
    sudo=(sudo)
  fi
  echo "setup: installing ${missing[*]}"
  "${sudo[@]}" apt-get update -q
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${missing[@]}"
fi

# npm writes node_modules/.package-lock.json on every install: older than the
# committed lock means the lock changed since.
stamp=tests/schema/node_modules/.package-lock.json
if [ ! -f "$stamp" ] || [ tests/schema/package-lock.json -nt "$stamp" ]; then
  echo "setup: npm ci --prefix tests/schema"
  npm ci --prefix tests/schema --no-audit --no-fund --loglevel=error
fi
# The same for the YAML read-back test's js-yaml (tests/yaml/package-lock.json).
stamp=tests/yaml/node_modules/.package-lock.json
if [ ! -f "$stamp" ] || [ tests/yaml/package-lock.json -nt "$stamp" ]; then
  echo "setup: npm ci --prefix tests/yaml"
  npm ci --prefix tests/yaml --no-audit --no-fund --loglevel=error
fi
# The same for the browser test's puppeteer-core (tests/html/package-lock.json),
# which drives Debian's chromium and downloads no browser of its own.
stamp=tests/html/node_modules/.package-lock.json
if [ ! -f "$stamp" ] || [ tests/html/package-lock.json -nt "$stamp" ]; then
  echo "setup: npm ci --prefix tests/html"
  npm ci --prefix tests/html --no-audit --no-fund --loglevel=error
fi
# The same for the editor extension's tools: vsce, vscode-tmgrammar-test
# and the language client (editors/vscode/package-lock.json).
stamp=editors/vscode/node_modules/.package-lock.json
if [ ! -f "$stamp" ] || [ editors/vscode/package-lock.json -nt "$stamp" ]; then
  echo "setup: npm ci --prefix editors/vscode"
  npm ci --prefix editors/vscode --no-audit --no-fund --loglevel=error
fi
