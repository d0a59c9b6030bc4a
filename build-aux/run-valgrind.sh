#!/bin/bash
# run-valgrind.sh: valgrind memcheck over the core tests and one start-up
# of the app to its first frame. Fails on any memory error, and on any
# definite leak whose stack passes through our code (src/ or tests/).
set -eu
cd "$(dirname "$0")/.."

. build-aux/stack.sh
ofl_stack_enter sanitize "$@"
ofl_setup_build "$build"
ninja -C "$build"

logs=$build/valgrind
rm -rf "$logs"
mkdir -p "$logs"

export G_SLICE=always-malloc G_DEBUG=gc-friendly
export GSETTINGS_BACKEND=memory GSETTINGS_SCHEMA_DIR="$PWD/$build/data"
export GDK_DISABLE=gl NO_AT_BRIDGE=1
suppressions=(--suppressions=/usr/share/glib-2.0/valgrind/glib.supp --suppressions="$PWD/build-aux/valgrind.supp")

memcheck() {
  local name=$1
  shift
  echo "memcheck: $name"
  tests/ofl-test-env "${prefix[@]}" valgrind --tool=memcheck --error-exitcode=99 \
    --leak-check=full --show-leak-kinds=definite --errors-for-leak-kinds=none \
    --num-callers=40 "${suppressions[@]}" --log-file="$PWD/$logs/$name.log" "$@" > "$logs/$name.out" 2>&1 ||
    { echo "  FAILED (exit $?): see $logs/$name.log"; status=1; }
}

status=0
prefix=()
for test in credentials parsers verifier proxy; do
  memcheck "test-$test" "$build/tests/core/test-$test"
done
prefix=(--keyring)
memcheck test-store "$build"/tests/store/test-store --backend=service
# Calls the store gives up on while libsecret still holds them.
prefix=(--no-secret-service)
memcheck test-store-stuck-prompt "$build"/tests/store/test-store --backend=prompt
prefix=(--display --keyring)
# The app to its first frame: its own code with the benchmark's probe.
memcheck app-start-up "$build"/tests/bench/bench-app welcome

# Definite leaks count only when our code made them (see the script).
build-aux/valgrind-leaks.py "$logs"/*.log || status=1
exit $status
