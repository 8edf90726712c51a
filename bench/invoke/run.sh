#!/usr/bin/env bash
# The call path side by side with the reference, in one run, against one
# local stub that answers at once:
#   - Invoke through awsd (one client: per call; 32 clients: calls/s) and
#     boto3 calling the same stub in-process;
#   - `awsctl sts get-caller-identity` and `aws sts get-caller-identity` as
#     whole processes.
#   bench/invoke/run.sh [BIN_DIR] [SECONDS] [PROCESS_RUNS]   (default: build/bin, 3, 20)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
bin="${1:-${here}/../../build/bin}"
seconds="${2:-3}"
runs="${3:-20}"
source "$here/../common/stub_and_daemon.sh"
start_stub "$bin"

export_stub_environment
start_daemon "$bin"

"$bin/awsd-invoke-load" --socket "$socket" --seconds "$seconds" --clients 32 > "$work/load.json"
rss_kib="$(awk '/VmHWM/ {print $2}' "/proc/$daemon_pid/status")"

python3 - "$work/load.json" "$bin" "$socket" "$endpoint" "$runs" "$rss_kib" <<'PY'
import json, subprocess, sys, time, timeit
import boto3

load_file, bin_dir, sock, endpoint, runs, rss_kib = sys.argv[1:]
runs = int(runs)
load = json.load(open(load_file))

client = boto3.client("dynamodb", endpoint_url=endpoint, region_name="us-east-1")
for _ in range(200):
    client.list_tables()
calls = 2000
boto3_us = min(timeit.repeat(client.list_tables, number=calls, repeat=3)) / calls * 1e6

def best_process(argv):
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        done = subprocess.run(argv, capture_output=True, timeout=60)
        times.append(time.perf_counter() - start)
        if done.returncode != 0:
            raise SystemExit(f"{argv[0]} failed: {done.stderr.decode()}")
    times.sort()
    return times[len(times) // 2]

awsctl_s = best_process([f"{bin_dir}/awsctl", "--socket", sock, "sts", "get-caller-identity"])
aws_s = best_process(["aws", "--endpoint-url", endpoint, "sts", "get-caller-identity"])

awsd_us = load["one_client"]["mean_us"]
print(json.dumps({
    "invoke_through_awsd": load,
    "boto3_in_process_us_per_call": round(boto3_us, 1),
    "awsd_daemon_peak_rss_mib": round(int(rss_kib) / 1024, 1),
    "process_median_seconds": {"awsctl sts get-caller-identity": round(awsctl_s, 4),
                               "aws sts get-caller-identity": round(aws_s, 4)},
    "ratios": {
        "boto3_per_call_over_awsd_per_call": round(boto3_us / awsd_us, 2),
        "awsd_calls_per_second_32_clients": round(load["many_clients"]["calls_per_second"]),
        "aws_process_over_awsctl_process": round(aws_s / awsctl_s, 1),
    },
}, indent=2))
PY
