#!/usr/bin/env bash
# Builds awsd from a fresh clone and runs every test: unit, conformance
# (against ../shared/conformance) and integration (real daemons, real
# servers on 127.0.0.1), then the same suite under ASan+UBSan with a short
# run of every fuzzer, then the concurrency tests under TSan. Installs the
# Debian packages it needs first.
#   scripts/test.sh [PART...]   PART: plain, address, thread (default: all three)
set -euo pipefail
cd "$(dirname "$0")/.."
parts=("$@")
((${#parts[@]})) || parts=(plain address thread)

bash scripts/install-deps.sh
for part in "${parts[@]}"; do
  case "$part" in
    plain)
      cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo
      cmake --build build -j2
      ctest --test-dir build --output-on-failure -j2 --timeout 600
      ;;
    address | thread)
      bash scripts/sanitizer-tests.sh "$part"
      ;;
    *)
      echo "scripts/test.sh: unknown part '$part' (plain, address, thread)" >&2
      exit 2
      ;;
  esac
done
