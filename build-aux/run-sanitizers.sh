#!/bin/bash
# run-sanitizers.sh: builds with clang, AddressSanitizer and UBSan, and runs
# the whole `meson test` suite (GUI tests included) with halt_on_error=1.
# Extra arguments go to `meson test`.
set -eu
cd "$(dirname "$0")/.."

. build-aux/stack.sh
ofl_stack_enter sanitize "$@"
build=$build-asan
CC=clang ofl_setup_build "$build" -Db_sanitize=address,undefined -Db_lundef=false
ninja -C "$build"

# LeakSanitizer is off here: LLVM 14's leak tracer crashes ("Tracer
# caught signal 11") on the thread-local storage that GnuTLS handshakes
# leave in GLib's worker threads, at random. Leaks are checked by
# build-aux/run-valgrind.sh instead; lsan.supp is kept for clang >= 15.
export ASAN_OPTIONS=halt_on_error=1:detect_leaks=0:abort_on_error=1
# Sanitized code runs several times slower: tests scale their waits.
export OFL_TEST_SLOWDOWN=4
export UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1
export LSAN_OPTIONS="suppressions=$PWD/build-aux/lsan.supp:print_suppressions=0"
# libproxy (GIO's proxy resolver, used by libsoup) is C++ and throws
# internally. ASan intercepts __cxa_throw and needs the real one resolvable
# at start-up, which it is not when libstdc++ is only dlopen()ed later.
export LD_PRELOAD="$(gcc -print-file-name=libstdc++.so.6)${LD_PRELOAD:+:$LD_PRELOAD}"

set +e
meson test -C "$build" --print-errorlogs --timeout-multiplier 3 "$@"
status=$?
set -e
ofl_stack_versions
build-aux/test-summary.py "$build/meson-logs/testlog.json"
exit $status
