#!/bin/bash
# flatpak-runtime.sh: makes a stand-in for the GNOME runtime the manifest
# names, from Debian packages, and installs it for the Flatpak build and
# tests (build-aux/flatpak-build.sh, tests/flatpak/).
#
#   build-aux/flatpak-runtime.sh
#
# No GNOME runtime can be downloaded on our build machines. The manifest's
# org.gnome.Platform//51 has GTK 4.24, libadwaita 1.10, libsoup 3.8 and
# GLib 2.90; so does Debian sid today. This makes, from sid:
#
#   org.example.DebianPlatform//51   what the app needs at run time
#   org.example.DebianSdk//51        that, plus the compiler, meson and the -dev packages
#
# the way flatdeb lays a Debian tree out as a runtime: /usr is the
# runtime's files, /etc moves to files/etc, ldconfig is in /usr/bin (where
# flatpak runs it) and ld.so.conf covers /app/lib. They are exported into
# a local OSTree repo served with --no-gpg-verify, and installed into a
# private Flatpak installation (FLATPAK_USER_DIR) that touches nothing of
# the machine's own Flatpaks.
#
# All of it is kept in $OFL_FLATPAK_CACHE (default
# /var/cache/oneflow-link/flatpak): the Debian trees, made again when the
# package lists change (about 9 minutes and 4 GB from nothing on 2 cores),
# and the runtimes made of them, again when this script changes (about 2
# minutes); a second when both are cached. Prints, last, the lines to
# source: FLATPAK_USER_DIR=… and OFL_FLATPAK_REPO=….
#
# Needs root (debootstrap, apt in the tree) and, on the host, debootstrap,
# bubblewrap and flatpak (installed from Debian if missing).
set -eu

suite=${OFL_FLATPAK_SUITE:-sid}
branch=51
platform_id=org.example.DebianPlatform
sdk_id=org.example.DebianSdk
cache=${OFL_FLATPAK_CACHE:-/var/cache/oneflow-link/flatpak}
mirror=${OFL_DEBIAN_MIRROR:-http://deb.debian.org/debian}
here=$(cd "$(dirname "$0")" && pwd)

# What org.gnome.Platform gives this app: GTK, libadwaita, libsoup, json-glib,
# libsecret, TLS (glib-networking), the Adwaita icons, fonts, MIME data,
# the desktop's schemas, and locales. No Mesa (so GSK_RENDERER=cairo).
platform_packages=(
  libgtk-4-1 libadwaita-1-0 libsoup-3.0-0 libjson-glib-1.0-0 libsecret-1-0
  glib-networking ca-certificates adwaita-icon-theme hicolor-icon-theme
  librsvg2-common fonts-cantarell fonts-dejavu-core shared-mime-info
  gsettings-desktop-schemas libglib2.0-bin locales
)
# …and org.gnome.Sdk's tools for this build: the compiler, meson, gettext,
# the validators, the -dev packages, Python and D-Bus (the tests' bus).
sdk_packages=(
  gcc libc6-dev pkg-config meson ninja-build gettext libglib2.0-dev libglib2.0-dev-bin
  libgtk-4-dev libadwaita-1-dev libsoup-3.0-dev libjson-glib-dev libsecret-1-dev
  desktop-file-utils appstream appstream-compose python3 dbus-daemon dbus-bin
)

if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null || { echo "Making the stand-in runtime needs root or sudo." >&2; exit 1; }
  exec sudo --preserve-env=OFL_FLATPAK_CACHE,OFL_FLATPAK_SUITE,OFL_DEBIAN_MIRROR "$0" "$@"
fi

missing=()
command -v debootstrap >/dev/null || missing+=(debootstrap)
command -v bwrap >/dev/null || missing+=(bubblewrap)
command -v flatpak >/dev/null || missing+=(flatpak)
if [ ${#missing[@]} -gt 0 ]; then
  echo "Installing on the host: ${missing[*]}" >&2
  DEBIAN_FRONTEND=noninteractive apt-get update -q >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
    "${missing[@]}" debian-archive-keyring >&2
fi

mkdir -p "$cache"
exec 9>"$cache/.runtime.lock"
flock 9

repo=$cache/repo
installation=$cache/installation
trees=$cache/trees
export FLATPAK_USER_DIR=$installation
# Two stages, each made again only when what it is made from changes: the
# Debian trees (the suite and the package lists), and the runtimes made
# of them (this whole script: the layout, the exports).
packages=$(printf '%s\n' "$suite" "${platform_packages[*]}" "${sdk_packages[*]}" | sha256sum | cut -c1-16)
recipe=$(sha256sum "$0" | cut -c1-16)
stamp=$cache/.runtime-$recipe

done_lines() {
  echo "FLATPAK_USER_DIR=$installation"
  echo "OFL_FLATPAK_REPO=$repo"
}

if [ -f "$stamp" ] && flatpak --user info "$platform_id//$branch" >/dev/null 2>&1 &&
   flatpak --user info "$sdk_id//$branch" >/dev/null 2>&1; then
  echo "The stand-in runtime is cached in $cache (recipe $recipe)." >&2
  done_lines
  exit 0
fi

began=$SECONDS
step() {
  echo "==> $* ($((SECONDS - began)) s)" >&2
}

# apt in a tree, as in debian-root.sh: its own /tmp, the host's name
# servers, and the downloaded packages kept for the next tree.
in_tree() {
  local tree=$1
  shift
  bwrap --bind "$tree" / --dev-bind /dev /dev --proc /proc \
    --perms 1777 --tmpfs /tmp --ro-bind /etc/resolv.conf /etc/resolv.conf \
    --bind "$cache/apt-archives" /var/cache/apt/archives --die-with-parent \
    --setenv DEBIAN_FRONTEND noninteractive --setenv PATH /usr/sbin:/usr/bin:/sbin:/bin \
    --unsetenv TMPDIR -- "$@"
}

# A Debian tree as a runtime's files (as flatdeb does it): only usr/ is
# kept, with the tree's /etc as usr/etc (flatpak mounts files/etc on /etc).
to_files() {
  local tree=$1
  rm -rf "$tree/usr/etc"
  mv "$tree/etc" "$tree/usr/etc"
  # Nothing of the host's or the machine's identity.
  rm -f "$tree/usr/etc/resolv.conf" "$tree/usr/etc/hostname" "$tree/usr/etc/machine-id"
  find "$tree" -mindepth 1 -maxdepth 1 ! -name usr -exec rm -rf {} +
}

if [ ! -f "$trees/.packages-$packages" ]; then
  echo "Making the stand-in runtime from Debian $suite in $cache (once; about 9 minutes)" >&2
  rm -rf "$trees" "$cache/tree"
  mkdir -p "$trees" "$cache/apt-archives/partial"

  step "debootstrap --variant=minbase $suite"
  debootstrap --variant=minbase "$suite" "$cache/tree" "$mirror" >&2
  # The archive's sid Release file can be past its Valid-Until date.
  echo 'Acquire::Check-Valid-Until "false";' > "$cache/tree/etc/apt/apt.conf.d/10ofl-valid-until"
  echo 'APT::Install-Recommends "false";' > "$cache/tree/etc/apt/apt.conf.d/10ofl-no-recommends"
  printf 'en_US.UTF-8 UTF-8\nsv_SE.UTF-8 UTF-8\n' > "$cache/tree/etc/locale.gen"

  step "the Platform's packages"
  in_tree "$cache/tree" apt-get update -q >&2
  in_tree "$cache/tree" apt-get install -y -q "${platform_packages[@]}" >&2
  in_tree "$cache/tree" locale-gen >&2
  mv "$cache/tree" "$trees/platform"

  step "the Sdk's packages"
  cp -a "$trees/platform" "$trees/sdk"
  in_tree "$trees/sdk" apt-get install -y -q "${sdk_packages[@]}" >&2

  to_files "$trees/platform"
  to_files "$trees/sdk"
  touch "$trees/.packages-$packages"
else
  echo "Making the stand-in runtime from the Debian trees cached in $trees" >&2
fi

# What makes the trees a runtime; done again on the kept trees whenever
# this script changes.
finish_runtime() {
  local tree=$1 id=$2
  local usr=$tree/usr
  # flatpak regenerates ld.so.cache with "ldconfig" from /usr/bin.
  ln -sfn ../sbin/ldconfig "$usr/bin/ldconfig"
  # The app's libraries, and those of extensions.
  cat > "$usr/etc/ld.so.conf" <<'CONF'
/app/lib
/app/lib64
include /run/flatpak/ld.so.conf.d/app-*.conf
include /etc/ld.so.conf.d/*.conf
CONF
  cat > "$tree/metadata" <<META
[Runtime]
name=$id
runtime=$platform_id/x86_64/$branch
sdk=$sdk_id/x86_64/$branch
META
}

step "laying the trees out as runtimes"
finish_runtime "$trees/platform" "$platform_id"
finish_runtime "$trees/sdk" "$sdk_id"
# flatpak-builder 1.2 (Debian 12's) runs appstream-glib's appstream-compose
# in the SDK, which sid no longer has; AppStream's compose does the same
# job (flatpak-builder 1.4 calls it so). The stand-in's SDK answers to the
# old name with the new tool.
cat > "$trees/sdk/usr/bin/appstream-compose" <<'SH'
#!/bin/sh
# appstream-compose --prefix=/app --origin=flatpak --basename=ID ID
set -e
prefix=/app
id=
for arg; do
  case $arg in
    --prefix=*) prefix=${arg#--prefix=} ;;
    --basename=*) id=${arg#--basename=} ;;
    --*) ;;
    *) [ -n "$id" ] || id=$arg ;;
  esac
done
exec appstreamcli compose --prefix=/ --origin="$id" \
  --result-root="$prefix" --data-dir="$prefix/share/app-info/xmls" \
  --icons-dir="$prefix/share/app-info/icons/flatpak" "$prefix"
SH
chmod 755 "$trees/sdk/usr/bin/appstream-compose"

step "flatpak build-export"
flatpak build-export --runtime --files=usr --subject="Debian $suite as $platform_id" \
  "$repo" "$trees/platform" "$branch" >&2
flatpak build-export --runtime --files=usr --subject="Debian $suite as $sdk_id" \
  "$repo" "$trees/sdk" "$branch" >&2
flatpak build-update-repo "$repo" >&2

step "flatpak install into $installation"
flatpak --user remote-add --if-not-exists --no-gpg-verify ofl-local "file://$repo" >&2
flatpak --user install -y --noninteractive --or-update ofl-local "$platform_id//$branch" "$sdk_id//$branch" >&2
rm -f "$cache"/.runtime-*
touch "$stamp"
step "done"
done_lines
