#!/bin/bash
# run-tests.sh: installs what the tests need, builds, and runs every test.
#
# On a machine older than the floor (Debian 12), this runs in a Debian 13
# root made once and kept (build-aux/stack.sh); OFL_STACK=sid runs it on
# the GNOME 51 versions instead. Each test runs in its own world
# (tests/ofl-test-env): a private Xvfb, D-Bus session and unlocked
# gnome-keyring, so nothing touches your desktop's keyring. Extra
# arguments go to `meson test` (e.g. --suite core).
#
# The "flatpak" suite (the installed Flatpak in the real sandbox) runs on
# this machine, not in a root: build-aux/run-flatpak-tests.sh, after the
# rest. With no arguments both run; "--suite flatpak" runs only it, and
# any other arguments only the rest ("--no-suite flatpak" too).
set -eu
cd "$(dirname "$0")/.."

if [ -z "${OFL_DEBIAN_ROOT:-}" ] && [ -z "${OFL_TESTS_NO_FLATPAK:-}" ]; then
  if [ $# -eq 0 ]; then
    status=0
    OFL_TESTS_NO_FLATPAK=1 "$0" || status=$?
    build-aux/run-flatpak-tests.sh || status=$?
    exit $status
  elif [ "$*" = "--suite flatpak" ] || [ "$*" = "flatpak" ]; then
    exec build-aux/run-flatpak-tests.sh
  fi
fi

. build-aux/stack.sh
ofl_stack_enter test "$@"

ofl_setup_build "$build"
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
