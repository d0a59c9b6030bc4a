#!/bin/bash
# run-dist.sh: makes the release tarball with `meson dist` (from what git
# has committed) and runs the tarball's own test suite on a fresh build of
# it, as a packager would. The tarball lands in _build*/meson-dist/.
set -eu
cd "$(dirname "$0")/.."

. build-aux/stack.sh
ofl_stack_enter test "$@"
[ -f "$build/build.ninja" ] || meson setup "$build"
# --allow-dirty: the tarball is made from HEAD either way; work in
# progress in the tree is left out, not an error.
meson dist -C "$build" --formats xztar --allow-dirty
