#!/usr/bin/env bash
# Builds awsd from a fresh clone and starts the daemon in the foreground with
# its default configuration (socket: $AWSD_SOCKET, else
# $XDG_RUNTIME_DIR/awsd/awsd.sock, else /run/awsd/awsd.sock). Extra arguments
# go to awsd, e.g. --config config/awsd.example.toml.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/install-deps.sh
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo
cmake --build build -j2 --target awsd awsctl
exec build/bin/awsd "$@"
