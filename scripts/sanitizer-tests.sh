#!/usr/bin/env bash
# One sanitizer build and the tests it is for, within CI's time budget:
#   address: clang, ASan+UBSan, every library also instrumented for libFuzzer;
#            the whole suite (but the load runs, see below), then every
#            fuzzer over its seeds and for a few seconds more (label fuzz).
#   thread:  gcc, TSan; only the concurrency tests (label concurrency): the
#            caches, single-flight refreshes, quotas, pools and the HTTP
#            client's threads. Not the gRPC paths: Debian's gRPC, abseil and
#            protobuf are not built for TSan, so it cannot see their locks
#            and reports hundreds of races inside them on every call.
# Lower optimisation and line tables only keep the build short; the reports
# still name file and line.
#   scripts/sanitizer-tests.sh address|thread
set -euo pipefail
cd "$(dirname "$0")/.."
kind="${1:?address or thread}"
dir="build-${kind}"
common=(-DCMAKE_BUILD_TYPE=RelWithDebInfo "-DCMAKE_CXX_FLAGS_RELWITHDEBINFO=-O1 -g1" "-DCMAKE_C_FLAGS_RELWITHDEBINFO=-O1 -g1"
        -DAWSD_BUILD_BENCH=OFF -DCMAKE_EXE_LINKER_FLAGS=-fuse-ld=lld "-DAWSD_SANITIZE=${kind}")
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
case "$kind" in
  address)
    CC=clang CXX=clang++ cmake -S . -B "$dir" "${common[@]}" -DAWSD_FUZZ=ON
    cmake --build "$dir" -j2
    # The load runs measure RSS and rates, which ASan's shadow memory and
    # slower calls distort; the plain build runs them.
    export ASAN_OPTIONS=detect_leaks=1:abort_on_error=0:detect_stack_use_after_return=0
    ctest --test-dir "$dir" --output-on-failure -j2 --timeout 900 -LE load
    ;;
  thread)
    cmake -S . -B "$dir" "${common[@]}"
    # shellcheck disable=SC2046
    cmake --build "$dir" -j2 --target $(cat "$dir/concurrency_targets.txt")
    export TSAN_OPTIONS="halt_on_error=1 second_deadlock_stack=1 suppressions=$PWD/tests/tsan.supp"
    ctest --test-dir "$dir" --output-on-failure -j2 --timeout 900 -L concurrency
    ;;
  *)
    echo "scripts/sanitizer-tests.sh: '$kind' is not address or thread" >&2
    exit 2
    ;;
esac
