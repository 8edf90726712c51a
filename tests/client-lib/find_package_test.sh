#!/usr/bin/env bash
# Installs awsd to a temporary prefix, builds the client example as an
# outside project with find_package(awsd-client), and runs it against a real
# daemon. Usage: find_package_test.sh BUILD_DIR SOURCE_DIR
set -euo pipefail
build_dir=$1
source_dir=$2
work=$(mktemp -d)
daemon_pid=""
cleanup() {
  if [ -n "$daemon_pid" ] && kill -0 "$daemon_pid" 2>/dev/null; then
    kill -TERM "$daemon_pid"
    wait "$daemon_pid" || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT

cmake --install "$build_dir" --prefix "$work/prefix" > "$work/install.log"
test -f "$work/prefix/lib/cmake/awsd-client/awsd-clientConfig.cmake"
test -f "$work/prefix/include/awsd/client.h"
test -f "$work/prefix/include/awsd/v1/signing.pb.h"

cmake -S "$source_dir/client-lib/examples" -B "$work/example" -DCMAKE_PREFIX_PATH="$work/prefix" > "$work/configure.log"
cmake --build "$work/example" -j2 > "$work/build.log"

socket="$work/awsd.sock"
env -u AWS_ACCESS_KEY_ID -u AWS_SECRET_ACCESS_KEY AWS_EC2_METADATA_DISABLED=true "$work/prefix/bin/awsd" --socket "$socket" 2> "$work/awsd.log" &
daemon_pid=$!
for _ in $(seq 1 100); do
  "$work/prefix/bin/awsctl" --socket "$socket" health > /dev/null 2>&1 && break
  sleep 0.1
done

output=$("$work/example/awsd_client_example" "$socket")
echo "$output"
grep -qx "health: SERVING" <<< "$output"
grep -q "^Authorization: AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/iam/aws4_request, SignedHeaders=host;x-amz-date, Signature=[0-9a-f]\{64\}$" <<< "$output"
echo "find_package(awsd-client) example: OK"
