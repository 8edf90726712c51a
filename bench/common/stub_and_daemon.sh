# Sourced by the benchmark scripts: a stub AWS endpoint that answers at once
# (awsd-invoke-stub) and an awsd pointed at it, on a scratch socket, both
# stopped and the scratch folder removed when the script exits.
#   start_stub BIN_DIR            sets $work, $stub_pid, $endpoint
#   export_stub_environment       example keys, no IMDS, no files, the stub as endpoint
#   start_daemon BIN_DIR [ARGS]   sets $daemon_pid, $socket (AWS_* from the caller)
work="$(mktemp -d)"
daemon_pid=""
stub_pid=""
stop_stub_and_daemon() {
  if [ -n "$daemon_pid" ]; then kill -TERM "$daemon_pid" 2>/dev/null || true; wait "$daemon_pid" 2>/dev/null || true; fi
  if [ -n "$stub_pid" ]; then kill -TERM "$stub_pid" 2>/dev/null || true; wait "$stub_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap stop_stub_and_daemon EXIT

start_stub() {
  mkfifo "$work/stub.in"
  "$1/awsd-invoke-stub" < "$work/stub.in" > "$work/stub.port" &
  stub_pid=$!
  exec 3> "$work/stub.in"
  for _ in $(seq 1 50); do [ -s "$work/stub.port" ] && break; sleep 0.1; done
  endpoint="http://127.0.0.1:$(head -1 "$work/stub.port")"
}

export_stub_environment() {
  export AWS_ACCESS_KEY_ID=AKIDEXAMPLE AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY
  export AWS_DEFAULT_REGION=us-east-1 AWS_REGION=us-east-1 AWS_EC2_METADATA_DISABLED=true
  export AWS_CONFIG_FILE="$work/none" AWS_SHARED_CREDENTIALS_FILE="$work/none" AWS_ENDPOINT_URL="$endpoint"
}

start_daemon() {
  local bin="$1"
  shift
  socket="$work/awsd.sock"
  "$bin/awsd" --socket "$socket" --log-level warn "$@" &
  daemon_pid=$!
  for _ in $(seq 1 100); do "$bin/awsctl" --socket "$socket" health > /dev/null 2>&1 && break; sleep 0.1; done
}
