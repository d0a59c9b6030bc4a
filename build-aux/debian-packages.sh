#!/bin/bash
# debian-packages.sh: installs the Debian packages that are missing.
#
#   build-aux/debian-packages.sh build|run|test|sanitize
#
# "build" is the compiler and libraries; "run" adds what the app needs at
# run time; "test" adds what the test suite needs: Xvfb, a private D-Bus
# session, gnome-keyring, the validators, AT-SPI and a proxy; "sanitize"
# adds clang's runtimes and valgrind. Works as root
# (CI, containers without sudo) and as a normal user through sudo.
set -eu

build=(
  gcc pkg-config meson ninja-build gettext libglib2.0-dev libglib2.0-dev-bin
  libgtk-4-dev libadwaita-1-dev libsoup-3.0-dev libjson-glib-dev libsecret-1-dev
  desktop-file-utils appstream
)
run=(glib-networking gnome-keyring dbus-x11)
test=(
  xvfb xauth dbus dbus-x11 gnome-keyring libsecret-tools glib-networking
  flatpak-builder python3 python3-gi python3-pyatspi at-spi2-core gir1.2-atspi-2.0
  imagemagick tinyproxy openssl x11-utils librsvg2-common libglib2.0-bin git locales
  gir1.2-gtk-4.0 gir1.2-adw-1
)

sanitize=(clang libclang-rt-dev valgrind)

wanted=("${build[@]}")
case "${1:-build}" in
  build) ;;
  run) wanted+=("${run[@]}") ;;
  test) wanted+=("${run[@]}" "${test[@]}") ;;
  sanitize) wanted+=("${run[@]}" "${test[@]}" "${sanitize[@]}") ;;
  *) echo "usage: $0 build|run|test|sanitize" >&2; exit 1 ;;
esac

missing=()
for package in "${wanted[@]}"; do
  status=$(dpkg-query -W -f='${db:Status-Status}' "$package" 2>/dev/null || true)
  [ "$status" = installed ] || missing+=("$package")
done

[ ${#missing[@]} -eq 0 ] && exit 0

echo "Installing missing Debian packages: ${missing[*]}"
if [ "$(id -u)" -eq 0 ]; then
  as_root=()
elif command -v sudo >/dev/null; then
  as_root=(sudo)
else
  echo "These packages are missing and neither root nor sudo is available: ${missing[*]}" >&2
  exit 1
fi

"${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -q
"${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}"
