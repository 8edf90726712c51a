#!/usr/bin/env bash
# The load run: CLIENTS clients (each its own connection) calling Sign and
# Invoke (dynamodb ListTables against awsd-invoke-stub, which answers at once)
# on one awsd for SECONDS; prints awsd-load's JSON (calls, failures, p50/p99
# per kind, the daemon's RSS, fds and threads each second) and exits 1 when a
# call failed or RSS grew 5% or more after WARMUP seconds.
#   bench/load/run.sh [BIN_DIR] [SECONDS] [WARMUP] [CLIENTS]   (default: build/bin, 60, 10, 256)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
bin="${1:-${here}/../../build/bin}"
seconds="${2:-60}"
warmup="${3:-10}"
clients="${4:-256}"
source "$here/../common/stub_and_daemon.sh"
start_stub "$bin"

export_stub_environment
start_daemon "$bin"

"$bin/awsd-load" --socket "$socket" --daemon-pid "$daemon_pid" --clients "$clients" --seconds "$seconds" --warmup "$warmup"
