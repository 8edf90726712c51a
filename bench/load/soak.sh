#!/usr/bin/env bash
# The soak: one awsd under steady load for SECONDS with credentials that live
# LIFETIME seconds (from a local container-credentials endpoint), so it
# refreshes them every LIFETIME/2 seconds the whole time. Runs awsd-load in
# rounds of ROUND seconds and after each prints one line: calls, failures,
# credential fetches so far, and the daemon's RSS, fds and threads once it
# is idle again (its clients gone, so only what it keeps is counted). At the end:
# a verdict on failures and on leaks of memory (RSS growth from the first
# round to the last), descriptors and threads. Exit status 1 on any of them.
# Credentials must have been fetched at least once per LIFETIME (awsd fetches
# about twice as often).
#   bench/load/soak.sh [BIN_DIR] [SECONDS] [LIFETIME] [CLIENTS] [ROUND]
#   (default: build/bin, 14400 (4 hours), 20, 32, 300)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
bin="${1:-${here}/../../build/bin}"
duration="${2:-14400}"
lifetime="${3:-20}"
clients="${4:-32}"
round="${5:-300}"
source "$here/../common/stub_and_daemon.sh"
start_stub "$bin"

creds_pid=""
trap 'if [ -n "$creds_pid" ]; then kill "$creds_pid" 2>/dev/null || true; fi; stop_stub_and_daemon' EXIT
python3 "$here/fake_container_endpoint.py" "$lifetime" "$work/fetches" > "$work/creds.port" &
creds_pid=$!
for _ in $(seq 1 50); do [ -s "$work/creds.port" ] && break; sleep 0.1; done

export_stub_environment
unset AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY AWS_SESSION_TOKEN AWS_PROFILE
export AWS_CONTAINER_CREDENTIALS_FULL_URI="http://127.0.0.1:$(head -1 "$work/creds.port")/creds"
start_daemon "$bin"

rounds=$(( (duration + round - 1) / round ))
echo "soak: $rounds rounds of ${round}s, $clients clients, credentials living ${lifetime}s"
for r in $(seq 1 "$rounds"); do
  # Within a round RSS may move; the leak verdict is across rounds, below.
  "$bin/awsd-load" --socket "$socket" --daemon-pid "$daemon_pid" --clients "$clients" --seconds "$round" \
    --warmup 1 --max-rss-growth-pct 1000000 > "$work/round.json" || true
  sleep 2
  python3 - "$work/round.json" "$work/fetches" "$r" "$daemon_pid" >> "$work/rounds.jsonl" <<'PY'
import json, os, sys
load = json.load(open(sys.argv[1]))
proc = "/proc/%s" % sys.argv[4]
status = dict(line.split(":", 1) for line in open(proc + "/status"))
print(json.dumps({"round": int(sys.argv[3]),
                  "calls": load["sign"]["ok"] + load["sign"]["failed"] + load["invoke"]["ok"] + load["invoke"]["failed"],
                  "failed": load["sign"]["failed"] + load["invoke"]["failed"],
                  "first_error": load["sign"].get("first_error") or load["invoke"].get("first_error"),
                  "fetches": int(open(sys.argv[2]).read() or 0),
                  "rss_kib": int(status["VmRSS"].split()[0]), "fds": len(os.listdir(proc + "/fd")),
                  "threads": int(status["Threads"])}))
PY
  tail -1 "$work/rounds.jsonl"
done

python3 - "$work/rounds.jsonl" "$duration" "$lifetime" <<'PY'
import json, sys
duration, lifetime = int(sys.argv[2]), int(sys.argv[3])
rounds = [json.loads(line) for line in open(sys.argv[1])]
first, last = rounds[0], rounds[-1]
failed = sum(r["failed"] for r in rounds)
growth = 100.0 * (last["rss_kib"] - first["rss_kib"]) / first["rss_kib"]
verdict = {
    "rounds": len(rounds),
    "calls": sum(r["calls"] for r in rounds),
    "failed": failed,
    "credential_fetches": last["fetches"],
    "rss_kib_first_round": first["rss_kib"], "rss_kib_last_round": last["rss_kib"],
    "rss_growth_pct": round(growth, 2),
    "fds_first_round": first["fds"], "fds_last_round": last["fds"],
    "threads_first_round": first["threads"], "threads_last_round": last["threads"],
}
# A leak grows with calls or refreshes (tens of thousands and dozens a
# round); a little slack covers pooled connections and gRPC's thread pool.
verdict["pass"] = (failed == 0 and last["fetches"] >= duration // lifetime and growth < 5
                   and last["fds"] <= first["fds"] + 4 and last["threads"] <= first["threads"] + 2)
print(json.dumps(verdict, indent=2))
sys.exit(0 if verdict["pass"] else 1)
PY
