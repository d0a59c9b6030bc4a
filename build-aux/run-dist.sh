#!/bin/bash
# run-dist.sh: makes the release tarball with `meson dist` (from what git
# has committed), then builds what is in it alone, runs its whole test
# suite and installs it into a scratch folder, as a packager would. The
# tarball lands in _build*/meson-dist/, its check in _build*/dist-check/.
set -eu
cd "$(dirname "$0")/.."

. build-aux/stack.sh
ofl_stack_enter test "$@"
ofl_setup_build "$build"
# --allow-dirty: the tarball is made from HEAD either way; work in
# progress in the tree is left out, not an error. Its check is done
# below rather than by `meson dist`, whose check build would take this
# build's options, and so read this build's translations, not its own.
meson dist -C "$build" --formats xztar --allow-dirty --no-tests

tarball=$(ls -t "$build"/meson-dist/*.tar.xz | head -n 1)
check=$build/dist-check
rm -rf "$check"
mkdir -p "$check"
# Python's own unpacker: a build root has no xz.
python3 -c 'import shutil, sys; shutil.unpack_archive(sys.argv[1], sys.argv[2])' "$tarball" "$check"
sources=$(find "$check" -mindepth 1 -maxdepth 1 -type d)
echo "==> Checking $tarball"
ofl_setup_build "$check/build" "$sources"
ninja -C "$check/build"

set +e
meson test -C "$check/build" --print-errorlogs
status=$?
set -e
meson install -C "$check/build" --destdir "$PWD/$check/install" >"$check/install.log" ||
  { echo "meson install of the tarball's build failed: $check/install.log"; status=1; }

echo "Stack: the release tarball, $(ofl_stack_versions | sed 's/^Stack: //')"
build-aux/test-summary.py "$check/build/meson-logs/testlog.json"
exit $status
