#!/usr/bin/env bash
# The credentials figures of issue 4, side by side with the reference:
#  1. a credentials lookup: credentials_lookup_bench against botocore's
#     get_frozen_credentials, ns per lookup and the ratio;
#  2. upstream calls: N processes getting credentials from a fake IMDS on
#     127.0.0.1, N boto3 processes against N awsctl calls through one awsd.
# Usage: bench/credentials/run.sh [build dir] [N]   (default: build, 16)
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
build="${1:-${here}/../../build}"
processes="${2:-16}"
python="${PYTHON:-python3}"
if [[ ! -x "${build}/bin/credentials_lookup_bench" ]]; then
  echo "run.sh: build credentials_lookup_bench, awsd and awsctl in ${build} first" >&2
  exit 2
fi

tmp="$(mktemp -d)"
trap 'rm -rf "${tmp}"' EXIT
"${build}/bin/credentials_lookup_bench" --benchmark_format=json --benchmark_repetitions=3 \
  --benchmark_report_aggregates_only=true --benchmark_filter='threads:1$' > "${tmp}/awsd.json"
"${python}" "${here}/botocore_lookup_bench.py" > "${tmp}/botocore.json"
"${python}" - "${tmp}/awsd.json" "${tmp}/botocore.json" <<'PY'
import json, sys
awsd = json.load(open(sys.argv[1]))
botocore = json.load(open(sys.argv[2]))
to_ns = {"ns": 1, "us": 1e3, "ms": 1e6, "s": 1e9}
print("%-28s %12s %14s %8s" % ("lookup", "awsd ns", "botocore ns", "ratio"))
for run in awsd["benchmarks"]:
    if run.get("aggregate_name") != "median":
        continue
    name = run["run_name"].replace("BM_", "").replace("/threads:1", "")
    ns = run["real_time"] * to_ns[run["time_unit"]]
    reference = botocore[name]
    print("%-28s %12.1f %14.1f %7.1fx" % (name, ns, reference, reference / ns))
PY
"${python}" "${here}/upstream_calls.py" --bin-dir "${build}/bin" --processes "${processes}"
