#!/usr/bin/env bash
# Starts awsd on a temporary socket, measures the RPC path with
# awsd-rpc-load, and times botocore signing the same request in-process in
# the same run, so the figures compare side by side.
#   bench/rpc/run.sh [BIN_DIR] [SECONDS]     (default: build/bin, 3)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
bin="${1:-${here}/../../build/bin}"
seconds="${2:-3}"
work="$(mktemp -d)"
daemon_pid=""
cleanup() {
  if [ -n "$daemon_pid" ]; then kill -TERM "$daemon_pid" 2>/dev/null || true; wait "$daemon_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

# Per-call log lines at info would measure the terminal; the load is about RPC.
env -u AWS_ACCESS_KEY_ID -u AWS_SECRET_ACCESS_KEY "$bin/awsd" --socket "$work/awsd.sock" --log-level warn &
daemon_pid=$!
for _ in $(seq 1 100); do "$bin/awsctl" --socket "$work/awsd.sock" health > /dev/null 2>&1 && break; sleep 0.1; done

"$bin/awsd-rpc-load" --socket "$work/awsd.sock" --seconds "$seconds" > "$work/rpc.json"

python3 - "$work/rpc.json" <<'PY'
import json, sys, timeit
from botocore.auth import S3SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

creds = Credentials("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY")
def sign():
    request = AWSRequest(method="GET", url="https://examplebucket.s3.amazonaws.com/photos/2024/cat.jpg?versionId=3",
                         headers={"Range": "bytes=0-9"})
    S3SigV4Auth(creds, "s3", "us-east-1").add_auth(request)
runs = 5000
best = min(timeit.repeat(sign, number=runs, repeat=3)) / runs * 1e6

rpc = json.load(open(sys.argv[1]))
rpc["botocore_in_process_us_per_signature"] = round(best, 2)
batch = rpc["sign_batch_64"]["p50_us_per_signature"]
rpc["ratios"] = {
    "sign_p50_over_ping_p50": round(rpc["latency_one_client"]["sign_over_ping_p50"], 3),
    "botocore_over_batch64_per_signature": round(best / batch, 1),
    "botocore_over_stream64_per_signature": round(best / rpc["sign_stream"]["p50_us_per_signature_64_in_flight"], 1),
    "botocore_over_unary_sign_p50": round(best / rpc["latency_one_client"]["sign_p50_us"], 2),
}
print(json.dumps(rpc, indent=2))
PY
