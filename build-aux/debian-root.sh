#!/bin/bash
# debian-root.sh: runs a command inside a Debian root that has this
# project's minimum stack (or the newest one), made once with debootstrap
# and kept for later runs.
#
#   build-aux/debian-root.sh SUITE PROFILE [--] COMMAND [ARG...]
#
# SUITE is a Debian suite: "trixie" (Debian 13, the floor) or "sid" (the
# same GTK, libadwaita, libsoup and GLib as the GNOME 51 runtime).
# PROFILE is what build-aux/debian-packages.sh installs in it: build, run,
# test or sanitize.
#
# The roots live in $OFL_ROOTS_DIR (default /var/cache/oneflow-link/roots),
# one folder a suite. The command runs under bwrap, as root, with the
# source tree, /tmp (X11 sockets, the tests' own folders), the host's
# display and its session bus bound in; bwrap leaves no mounts behind if
# the run dies. Set OFL_DEBIAN_MIRROR to use another Debian mirror.
set -eu

[ $# -ge 3 ] || { echo "usage: $0 SUITE PROFILE [--] COMMAND [ARG...]" >&2; exit 1; }
suite=$1
profile=$2
shift 2
[ "${1:-}" = -- ] && shift

src=$(cd "$(dirname "$0")/.." && pwd)
roots=${OFL_ROOTS_DIR:-/var/cache/oneflow-link/roots}
root="$roots/$suite"
mirror=${OFL_DEBIAN_MIRROR:-http://deb.debian.org/debian}

if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null || { echo "Making and entering a Debian root needs root or sudo." >&2; exit 1; }
  exec sudo --preserve-env=DISPLAY,XAUTHORITY,WAYLAND_DISPLAY,XDG_RUNTIME_DIR,DBUS_SESSION_BUS_ADDRESS,LANGUAGE,LANG,LC_ALL,OFL_STACK,OFL_ROOTS_DIR,OFL_DEBIAN_MIRROR,CI \
    "$0" "$suite" "$profile" -- "$@"
fi

host_tools=()
command -v debootstrap >/dev/null || host_tools+=(debootstrap)
command -v bwrap >/dev/null || host_tools+=(bubblewrap)
if [ ${#host_tools[@]} -gt 0 ]; then
  echo "Installing on the host: ${host_tools[*]}"
  DEBIAN_FRONTEND=noninteractive apt-get update -q
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${host_tools[@]}" debian-archive-keyring
fi

mkdir -p "$roots"
# One run at a time makes or changes a root; others wait for it.
exec 9>"$roots/.$suite.lock"

# Runs a command in the root as a plain system: its own /tmp (apt's
# sandbox user must write there) and the host's name servers.
in_root_for_apt() {
  bwrap --bind "$root" / --dev-bind /dev /dev --proc /proc \
    --perms 1777 --tmpfs /tmp --ro-bind /etc/resolv.conf /etc/resolv.conf \
    --bind "$src/build-aux" /ofl-build-aux --die-with-parent \
    --setenv DEBIAN_FRONTEND noninteractive --setenv PATH /usr/sbin:/usr/bin:/sbin:/bin \
    --unsetenv TMPDIR -- "$@"
}

flock 9
if [ ! -f "$root/.ofl-root" ]; then
  echo "Making a Debian $suite root in $root (once; about 3 minutes)"
  rm -rf "$root.new"
  debootstrap --variant=minbase --include=ca-certificates,locales \
    "$suite" "$root.new" "$mirror"
  if [ "$suite" = sid ]; then
    # The archive's sid Release file can be past its Valid-Until date.
    echo 'Acquire::Check-Valid-Until "false";' > "$root.new/etc/apt/apt.conf.d/10ofl-valid-until"
  fi
  echo 'APT::Install-Recommends "false";' > "$root.new/etc/apt/apt.conf.d/10ofl-no-recommends"
  # gtk_test_init () sets en_US.UTF-8, and the Swedish tests need a real
  # Swedish locale: C.UTF-8 makes gettext ignore LANGUAGE.
  printf 'en_US.UTF-8 UTF-8\nsv_SE.UTF-8 UTF-8\n' > "$root.new/etc/locale.gen"
  root="$root.new" in_root_for_apt locale-gen
  mv "$root.new" "$root"
  touch "$root/.ofl-root"
fi
# Install what the profile needs, once a profile (the script skips what
# is there already).
in_root_for_apt /ofl-build-aux/debian-packages.sh "$profile"
flock -u 9
exec 9>&-

binds=(--bind "$src" "$src" --bind /tmp /tmp)
# The host's display and session bus, for the app (the tests make their own).
if [ -n "${XAUTHORITY:-}" ] && [ -e "$XAUTHORITY" ]; then
  binds+=(--ro-bind "$XAUTHORITY" "$XAUTHORITY")
fi
if [ -n "${XDG_RUNTIME_DIR:-}" ] && [ -d "$XDG_RUNTIME_DIR" ]; then
  binds+=(--bind "$XDG_RUNTIME_DIR" "$XDG_RUNTIME_DIR")
fi
# A work tree whose .git is elsewhere (git worktree) needs that too, for meson dist.
git_common=$(git -C "$src" rev-parse --path-format=absolute --git-common-dir 2>/dev/null || true)
case "$git_common" in
  ""|"$src"/*) ;;
  *) binds+=(--bind "$git_common" "$git_common") ;;
esac

exec bwrap --bind "$root" / --dev-bind /dev /dev --proc /proc --ro-bind /sys /sys \
  --ro-bind /etc/resolv.conf /etc/resolv.conf "${binds[@]}" \
  --chdir "$PWD" --die-with-parent \
  --setenv PATH /usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
  --setenv OFL_DEBIAN_ROOT "$suite" \
  -- "$@"
