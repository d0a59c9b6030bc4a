#!/bin/bash
# run-fuzzers.sh: builds the libFuzzer targets with clang, AddressSanitizer
# and UBSan, and runs each for SECONDS (default 60) from the seed corpus.
#
#   build-aux/run-fuzzers.sh [SECONDS] [TARGET...]     targets: parsers credentials retry-after details
#
# A crash, leak or time-out fails the run and leaves the input in
# $fuzz/artifacts/; copy it into tests/fuzz/regressions/TARGET/ once
# fixed, so every test run replays it.
set -eu
cd "$(dirname "$0")/.."

seconds=${1:-60}
shift || true
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(parsers credentials retry-after details)

. build-aux/stack.sh
ofl_stack_enter sanitize "$seconds" "${targets[@]}"
fuzz=$build-fuzz
[ -f "$fuzz/build.ninja" ] ||
  CC=clang meson setup "$fuzz" -Dfuzzing=true -Db_sanitize=address,undefined -Db_lundef=false
ninja -C $fuzz $(printf 'tests/fuzz/fuzz-%s ' "${targets[@]}")

mkdir -p $fuzz/artifacts
status=0
passed=0
failed=0
for target in "${targets[@]}"; do
  # Work on a copy: libFuzzer adds what it finds to the first folder.
  work=$fuzz/corpus/$target
  mkdir -p "$work"
  cp tests/fuzz/corpus/"$target"/* "$work"/
  echo "Fuzzing $target for $seconds s"
  if ASAN_OPTIONS=halt_on_error=1:detect_leaks=1 UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
     $fuzz/tests/fuzz/fuzz-"$target" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
       -artifact_prefix=$fuzz/artifacts/"$target"- -print_final_stats=1 "$work" \
       > $fuzz/fuzz-"$target".log 2>&1; then
    echo "  $target: $(grep -o 'Done [0-9]* runs in [0-9]* second(s)' $fuzz/fuzz-"$target".log)"
    passed=$((passed + 1))
  else
    failed=$((failed + 1))
    echo "  $target: FAILED; see $fuzz/fuzz-$target.log"
    tail -n 30 $fuzz/fuzz-"$target".log
    status=1
  fi
done
ofl_stack_versions
echo "Fuzzers: $passed passed, $failed failed"
exit $status
