#!/bin/bash
# run-tests.sh: installs what the tests need, builds, and runs every test.
#
# On a machine older than the floor (Debian 12), this runs in a Debian 13
# root made once and kept (build-aux/stack.sh); OFL_STACK=sid runs it on
# the GNOME 51 versions instead. Each test runs in its own world
# (tests/ofl-test-env): a private Xvfb, D-Bus session and unlocked
# gnome-keyring, so nothing touches your desktop's keyring. Extra
# arguments go to `meson test` (e.g. --suite core).
set -eu
cd "$(dirname "$0")/.."
. build-aux/stack.sh
ofl_stack_enter test "$@"

[ -f "$build/build.ninja" ] || meson setup "$build"
ninja -C "$build"

# A run that meson refuses (a test name that does not exist) leaves no
# log: the summary must not count the previous run's.
rm -f "$build/meson-logs/testlog.json"
set +e
meson test -C "$build" --print-errorlogs "$@"
status=$?
set -e

ofl_stack_versions
if [ -f "$build/meson-logs/testlog.json" ]; then
  build-aux/test-summary.py "$build/meson-logs/testlog.json"
else
  echo "Tests: none ran (meson test exited $status)"
fi
exit $status
