#!/usr/bin/env bash
# The model and protocol figures of issue 5, side by side with botocore in
# one run:
#  1. loading s3, ec2, dynamodb, sts and sqs: ms each, and the resident
#     memory the five parsed models hold (model_load_bench vs
#     botocore_model_load.py);
#  2. serialise + parse of a DynamoDB Query with a 1 MB response
#     (query_bench vs botocore_query_bench.py).
# Usage: bench/model/run.sh [build dir]
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
build="${1:-${here}/../../build}"
python="${PYTHON:-python3}"
for tool in model_load_bench query_bench; do
  if [[ ! -x "${build}/bin/${tool}" ]]; then
    echo "run.sh: build ${tool} in ${build} first" >&2
    exit 2
  fi
done

tmp="$(mktemp -d)"
trap 'rm -rf "${tmp}"' EXIT
"${build}/bin/model_load_bench" > "${tmp}/awsd_load.json"
"${python}" "${here}/botocore_model_load.py" > "${tmp}/botocore_load.json"
"${python}" "${here}/make_query_response.py" "${tmp}/query.json"
AWSD_QUERY_RESPONSE="${tmp}/query.json" "${build}/bin/query_bench" --benchmark_format=json \
  --benchmark_repetitions=5 --benchmark_report_aggregates_only=true > "${tmp}/awsd_query.json"
"${python}" "${here}/botocore_query_bench.py" "${tmp}/query.json" 10 > "${tmp}/botocore_query.json"

"${python}" - "${tmp}" <<'PY'
import json, os, sys
tmp = sys.argv[1]
load = {k: json.load(open(os.path.join(tmp, f"{k}_load.json"))) for k in ("awsd", "botocore")}
print("%-10s %12s %14s %8s" % ("model", "awsd ms", "botocore ms", "ratio"))
for name, ms in load["awsd"]["load_ms"].items():
    ref = load["botocore"]["load_ms"][name]
    print("%-10s %12.2f %14.2f %7.1fx" % (name, ms, ref, ref / ms))
a, b = load["awsd"]["rss_kib_models"] / 1024, load["botocore"]["rss_kib_models"] / 1024
print("resident memory for the five models: awsd %.1f MiB, botocore %.1f MiB (%.1fx less)" % (a, b, b / a))
print("process RSS with the five loaded: awsd %.1f MiB, botocore %.1f MiB"
      % (load["awsd"]["rss_kib_after"] / 1024, load["botocore"]["rss_kib_after"] / 1024))
query = json.load(open(os.path.join(tmp, "awsd_query.json")))
to_ms = {"ns": 1e-6, "us": 1e-3, "ms": 1, "s": 1e3}
ours = {}
for run in query["benchmarks"]:
    if run.get("aggregate_name") == "median":
        ours[run["run_name"]] = run["real_time"] * to_ms[run["time_unit"]]
ref = json.load(open(os.path.join(tmp, "botocore_query.json")))
total = ours["BM_SerializeQuery"] + ours["BM_ParseQuery1MB"]
print("DynamoDB Query, 1 MB response: serialise %.1f us vs %.1f us; parse %.2f ms vs %.2f ms; "
      "together %.2f ms vs %.2f ms (%.1fx)" % (ours["BM_SerializeQuery"] * 1e3, ref["serialize_us"],
      ours["BM_ParseQuery1MB"], ref["parse_ms"], total, ref["total_ms"], ref["total_ms"] / total))
tree = ours["BM_SerializeQuery"] + ours["BM_ParseQuery1MBToValue"]
print("  (to a result tree instead of the client's JSON: %.2f ms, %.1fx)" % (tree, ref["total_ms"] / tree))
PY
