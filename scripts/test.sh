#!/usr/bin/env bash
# Builds awsd from a fresh clone and runs every test: unit, conformance
# (against ../shared/conformance) and integration (real daemons, real
# servers on 127.0.0.1). Installs the Debian packages it needs first.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/install-deps.sh
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo
cmake --build build -j2
ctest --test-dir build --output-on-failure -j2 --timeout 600
