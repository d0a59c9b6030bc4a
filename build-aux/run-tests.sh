#!/bin/bash
# run-tests.sh: installs what the tests need, builds, and runs every test.
#
# Each test runs in its own world (tests/ofl-test-env): a private Xvfb,
# D-Bus session and unlocked gnome-keyring, so nothing touches your
# desktop's keyring. Extra arguments go to `meson test` (e.g. --suite core).
set -eu
cd "$(dirname "$0")/.."

build-aux/debian-packages.sh test
[ -f _build/build.ninja ] || meson setup _build
ninja -C _build

set +e
meson test -C _build --print-errorlogs "$@"
status=$?
set -e

build-aux/test-summary.py _build/meson-logs/testlog.json
exit $status
