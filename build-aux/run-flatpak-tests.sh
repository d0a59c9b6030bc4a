#!/bin/bash
# run-flatpak-tests.sh: builds the Flatpak from the manifest (its tests
# on) on the stand-in runtime, installs it, and runs the "flatpak" suite
# (tests/flatpak/) against the installed app in the real sandbox.
#
#   build-aux/run-flatpak-tests.sh [MESON TEST ARGS]
#
# Runs on this machine, with its own flatpak, bwrap, Xvfb, gnome-keyring
# and xdg-desktop-portal (installed from Debian when missing), never in a
# Debian root: the sandbox is the point. build-aux/run-tests.sh calls it.
# The runtime is made once and cached (build-aux/flatpak-runtime.sh); the
# app is built every time. Ends with a "Stack:" and a "Tests:" line, as
# run-tests.sh does.
set -eu
cd "$(dirname "$0")/.."

if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null || { echo "The Flatpak suite needs root or sudo." >&2; exit 1; }
  exec sudo --preserve-env=OFL_FLATPAK_CACHE,OFL_DEBIAN_MIRROR,CI "$0" "$@"
fi

# What the suite needs on this machine, as Debian packages.
host=(
  flatpak flatpak-builder elfutils bubblewrap debootstrap debian-archive-keyring
  xdg-desktop-portal xdg-desktop-portal-gtk gnome-keyring libsecret-tools dbus
  xvfb xauth x11-utils weston imagemagick python3 python3-gi python3-pyatspi
  gir1.2-atspi-2.0 at-spi2-core libglib2.0-bin meson ninja-build
)
missing=()
for package in "${host[@]}"; do
  status=$(dpkg-query -W -f='${db:Status-Status}' "$package" 2>/dev/null || true)
  [ "$status" = installed ] || missing+=("$package")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "Installing missing Debian packages: ${missing[*]}"
  DEBIAN_FRONTEND=noninteractive apt-get update -q
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}"
fi

started=$SECONDS
set +e
outputs=$(build-aux/flatpak-build.sh)
status=$?
set -e
echo "==> The Flatpak built and installed in $((SECONDS - started)) s"
build=_build-flatpak
if [ $status -ne 0 ]; then
  echo "Stack: Flatpak (the build failed)"
  echo "Tests: 0 passed, 1 failed, 0 skipped"
  exit 1
fi
while IFS='=' read -r key value; do
  export "$key=$value"
done <<<"$outputs"

[ -f "$build/build.ninja" ] || meson setup "$build" tests/flatpak
rm -f "$build/meson-logs/testlog.json"
set +e
meson test -C "$build" --print-errorlogs "$@"
status=$?
set -e

runtime=$(flatpak --user info org.example.DebianPlatform//51 2>/dev/null | sed -n 's/^ *Subject: //p')
echo "Stack: Flatpak on org.example.DebianPlatform//51 ($runtime; flatpak $(flatpak --version | cut -d' ' -f2))"
if [ -f "$build/meson-logs/testlog.json" ]; then
  build-aux/test-summary.py "$build/meson-logs/testlog.json"
else
  echo "Tests: none ran (meson test exited $status)"
fi
exit $status
