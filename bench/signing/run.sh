#!/usr/bin/env bash
# Runs sign_bench and botocore_sign_bench.py on the same requests and prints
# both, with how many times faster awsd signs (as JSON with BENCH_JSON=1). Usage:
#   bench/signing/run.sh [path/to/sign_bench]   (default: build/bin/sign_bench)
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
bench="${1:-${here}/../../build/bin/sign_bench}"
python="${PYTHON:-python3}"
if [[ ! -x "${bench}" ]]; then
  echo "run.sh: no sign_bench at ${bench}; build it (cmake --build <dir> --target sign_bench) or pass its path" >&2
  exit 2
fi

tmp="$(mktemp -d)"
trap 'rm -rf "${tmp}"' EXIT
"${bench}" --benchmark_format=json --benchmark_repetitions=3 --benchmark_report_aggregates_only=true \
  > "${tmp}/awsd.json"
"${python}" "${here}/botocore_sign_bench.py" > "${tmp}/botocore.json"

"${python}" - "${tmp}/awsd.json" "${tmp}/botocore.json" <<'PY'
import json, os, sys

awsd = json.load(open(sys.argv[1]))
botocore = json.load(open(sys.argv[2]))
to_ns = {"ns": 1, "us": 1e3, "ms": 1e6, "s": 1e9}
medians = {}
for run in awsd["benchmarks"]:
    if run.get("aggregate_name") == "median":
        name = run["run_name"].replace("BM_", "")
        medians[name] = run["real_time"] * to_ns[run["time_unit"]]

if os.environ.get("BENCH_JSON"):  # machine-readable, for bench/report.py
    print(json.dumps({name: {"awsd_ns": round(ns, 1), "botocore_us": botocore.get(
        name.replace("_CachedKey", "").replace("_UncachedKey", ""))} for name, ns in medians.items()}))
    sys.exit(0)
print("%-36s %14s %16s %10s" % ("request", "awsd ns/op", "botocore us/op", "speed-up"))
for name, ns in medians.items():
    # botocore derives the signing key on every call: compare it with both.
    key = name.replace("_CachedKey", "").replace("_UncachedKey", "")
    reference = botocore.get(key)
    if reference is None:
        print("%-36s %14.0f %16s %10s" % (name, ns, "-", "-"))
    else:
        print("%-36s %14.0f %16.1f %9.0fx" % (name, ns, reference, reference * 1e3 / ns))
PY
