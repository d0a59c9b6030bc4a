#!/bin/bash
# run-benchmark.sh: builds an optimised tree and runs the benchmark
# (start-up against a libadwaita baseline; verification against the round
# trips the API needs; callgrind instruction counts) in a private display,
# D-Bus session and keyring.
set -eu
cd "$(dirname "$0")/.."

build-aux/debian-packages.sh sanitize
[ -f _build-bench/build.ninja ] || meson setup _build-bench --buildtype=release
ninja -C _build-bench
exec tests/ofl-test-env --display --keyring /usr/bin/python3 tests/bench/run-benchmark.py _build-bench "$@"
