#!/usr/bin/env bash
# Long fuzzing runs of the targets already built in a -DAWSD_FUZZ=ON build.
#
#   fuzz/run_long.sh BUILD_DIR [SECONDS_PER_TARGET] [TARGET...]
#
# Builds nothing. Each target runs alone (one process, so runs on a shared
# machine stay predictable) on a scratch copy of its seed corpus, for
# SECONDS_PER_TARGET (default 600). Crash, leak and timeout artifacts and the
# logs go to a scratch folder, named at the start and the end; the table at
# the end gives each target's executions, speed, coverage and findings.
set -euo pipefail

if [[ $# -lt 1 ]]; then
  echo "usage: $0 BUILD_DIR [SECONDS_PER_TARGET] [TARGET...]" >&2
  exit 2
fi
build=$(cd "$1" && pwd)
seconds=${2:-600}
shift $(($# >= 2 ? 2 : 1))
here=$(cd "$(dirname "$0")" && pwd)

if [[ $# -gt 0 ]]; then
  targets=("$@")
else
  targets=()
  for dir in "$here"/corpus/*/; do targets+=("$(basename "$dir")"); done
fi

scratch=$(mktemp -d "${TMPDIR:-/tmp}/awsd-fuzz.XXXXXX")
echo "scratch folder (corpora, logs, crash artifacts): $scratch"

declare -A dict_of=(
  [aws_config_file_fuzzer]=aws_config.dict [daemon_config_fuzzer]=toml.dict [response_xml_fuzzer]=xml.dict
  [response_json_fuzzer]=json.dict [credentials_json_fuzzer]=json.dict [jmespath_fuzzer]=jmespath.dict
  [grpc_handlers_fuzzer]=json.dict)

rows=()
status=0
for target in "${targets[@]}"; do
  binary="$build/bin/$target"
  if [[ ! -x "$binary" ]]; then
    echo "$target: not built ($binary)" >&2
    rows+=("$target|-|-|-|-|not built")
    status=1
    continue
  fi
  work="$scratch/$target"
  mkdir -p "$work/corpus" "$work/artifacts"
  cp "$here/corpus/$target"/* "$work/corpus/"
  options=(-max_total_time="$seconds" -print_final_stats=1 -timeout=25 -rss_limit_mb=2560
           -artifact_prefix="$work/artifacts/")
  if [[ -n "${dict_of[$target]:-}" ]]; then options+=(-dict="$here/dict/${dict_of[$target]}"); fi
  echo "== $target for ${seconds}s"
  # libFuzzer stops at the first finding; a finding is reported in the table,
  # not by stopping the other targets.
  "$binary" "${options[@]}" "$work/corpus" >"$work/log" 2>&1 || true

  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$work/log" | tail -1)
  speed=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$work/log" | tail -1)
  last=$(grep -E '^#[0-9]+.*cov: [0-9]+ ft: [0-9]+' "$work/log" | tail -1 || true)
  cov=$(sed -n 's/.* cov: \([0-9]*\).*/\1/p' <<<"$last")
  ft=$(sed -n 's/.* ft: \([0-9]*\).*/\1/p' <<<"$last")
  # crash-, leak-, timeout- and oom- files; slow-unit- ones are not findings.
  crashes=$(find "$work/artifacts" -type f \( -name 'crash-*' -o -name 'leak-*' -o -name 'timeout-*' -o -name 'oom-*' \) |
            wc -l)
  [[ "$crashes" -gt 0 ]] && status=1
  rows+=("$target|${execs:-?}|${speed:-?}|${cov:-?}|${ft:-?}|$crashes")
done

printf '\n%-26s %12s %9s %7s %8s %s\n' target execs exec/s cov ft crashes
for row in "${rows[@]}"; do
  IFS='|' read -r t e s c f k <<<"$row"
  printf '%-26s %12s %9s %7s %8s %s\n' "$t" "$e" "$s" "$c" "$f" "$k"
done
echo "artifacts and logs: $scratch"
exit $status
