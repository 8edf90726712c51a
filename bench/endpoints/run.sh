#!/usr/bin/env bash
# Runs endpoint_resolve_bench and botocore_endpoint_bench.py on the same
# parameter sets (endpoint_cases.json) in one go and prints both, with how
# many times faster awsd resolves. Usage:
#   bench/endpoints/run.sh [build dir]   (default: build)
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
build="${1:-${here}/../../build}"
bench="${build}/bin/endpoint_resolve_bench"
python="${PYTHON:-python3}"
if [[ ! -x "${bench}" ]]; then
  echo "run.sh: build endpoint_resolve_bench in ${build} first" >&2
  exit 2
fi

tmp="$(mktemp -d)"
trap 'rm -rf "${tmp}"' EXIT
"${bench}" --benchmark_format=json --benchmark_repetitions=3 --benchmark_report_aggregates_only=true \
  > "${tmp}/awsd.json"
"${python}" "${here}/botocore_endpoint_bench.py" > "${tmp}/botocore.json"

"${python}" - "${tmp}/awsd.json" "${tmp}/botocore.json" <<'PY'
import json, sys

awsd = json.load(open(sys.argv[1]))
botocore = json.load(open(sys.argv[2]))
to_ns = {"ns": 1, "us": 1e3, "ms": 1e6, "s": 1e9}
medians = {}
for run in awsd["benchmarks"]:
    if run.get("aggregate_name") == "median":
        # CPU time on both sides: the machine may be shared.
        medians[run["run_name"]] = run["cpu_time"] * to_ns[run["time_unit"]]

print("%-40s %12s %16s %10s" % ("case", "awsd ns/op", "botocore us/op", "speed-up"))
for name, ns in medians.items():
    reference = botocore.get(name)
    if reference is None:
        print("%-40s %12.0f %16s %10s" % (name, ns, "-", "-"))
    else:
        print("%-40s %12.0f %16.2f %9.0fx" % (name, ns, reference, reference * 1e3 / ns))
PY
