#!/usr/bin/env bash
# Installs every Debian 12 package awsd needs to build, test and benchmark.
# Idempotent: safe to run again on a machine that already has them.
set -euo pipefail

packages=(
  build-essential cmake pkg-config git
  libgrpc++-dev libgrpc-dev protobuf-compiler-grpc libprotobuf-dev protobuf-compiler
  libssl-dev libcurl4-openssl-dev zlib1g-dev libpugixml-dev
  libspdlog-dev libfmt-dev nlohmann-json3-dev libsimdjson-dev libcli11-dev libsystemd-dev libtomlplusplus-dev
  libgtest-dev libgmock-dev libbenchmark-dev
  clang lld libclang-rt-14-dev
  systemd python3-grpcio python3-protobuf python3-pip python3-setuptools python3-wheel
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if ((${#missing[@]})); then
  sudo=""
  [ "$(id -u)" = 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
