#!/bin/bash
# run-benchmark.sh: builds an optimised tree and runs the benchmark
# (start-up against a libadwaita baseline; verification against the round
# trips the API needs; callgrind instruction counts) in a private display,
# D-Bus session and keyring.
set -eu
cd "$(dirname "$0")/.."

. build-aux/stack.sh
ofl_stack_enter sanitize "$@"
build=$build-bench
ofl_setup_build "$build" --buildtype=release
ninja -C "$build"
exec tests/ofl-test-env --display --keyring /usr/bin/python3 tests/bench/run-benchmark.py "$build" "$@"
