#!/bin/bash
# run-dist.sh: makes the release tarball with `meson dist` (from what git
# has committed) and runs the tarball's own test suite on a fresh build of
# it, as a packager would. The tarball lands in _build/meson-dist/.
set -eu
cd "$(dirname "$0")/.."

build-aux/debian-packages.sh test
[ -f _build/build.ninja ] || meson setup _build
meson dist -C _build --formats xztar
