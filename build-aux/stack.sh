# stack.sh: sourced by the build-aux scripts. Chooses where a script
# builds and runs: natively when this machine has the minimum stack
# (Debian 13's GTK 4.18, libadwaita 1.7, libsoup 3.6 and GLib 2.84, or
# newer), otherwise in a Debian 13 root (build-aux/debian-root.sh).
#
#   OFL_STACK=native|trixie|sid   forces one (sid: the GNOME 51 versions)
#
# After `ofl_stack_enter PROFILE "$@"`, $build names the script's build
# folder for this stack: _build natively, _build-trixie or _build-sid in
# a root, so switching stacks never mixes two builds.

# Whether Debian's packages on this machine, installed or to install,
# reach the floor: the -dev packages' installed or candidate versions.
ofl_host_has_floor() {
  local package floor version
  for package in libgtk-4-dev:4.18 libadwaita-1-dev:1.7 libsoup-3.0-dev:3.6 libglib2.0-dev:2.84; do
    floor=${package#*:}
    package=${package%%:*}
    version=$(dpkg-query -W -f='${Version}' "$package" 2>/dev/null || true)
    if [ -z "$version" ] && command -v apt-cache >/dev/null; then
      version=$(apt-cache policy "$package" 2>/dev/null | sed -n 's/^ *Candidate: //p')
      [ "$version" = "(none)" ] && version=
    fi
    [ -n "$version" ] && dpkg --compare-versions "$version" ge "$floor" || return 1
  done
}

# Runs the calling script again inside the chosen root, unless it already
# is there or the host has the floor. PROFILE is what debian-packages.sh
# installs: build, run, test or sanitize.
ofl_stack_enter() {
  local profile=$1 stack
  shift
  stack=${OFL_STACK:-}
  if [ -n "${OFL_DEBIAN_ROOT:-}" ]; then
    stack=native
  elif [ -z "$stack" ]; then
    if command -v dpkg-query >/dev/null && ! ofl_host_has_floor; then
      stack=trixie
    else
      stack=native
    fi
  fi

  if [ "$stack" != native ]; then
    echo "==> In a Debian $stack root (this machine's libraries are older than the floor, or OFL_STACK=$stack)"
    exec build-aux/debian-root.sh "$stack" "$profile" -- "$0" "$@"
  fi

  build=_build${OFL_DEBIAN_ROOT:+-$OFL_DEBIAN_ROOT}
  # In a root, debian-root.sh has installed the profile already.
  if [ -z "${OFL_DEBIAN_ROOT:-}" ] && command -v dpkg-query >/dev/null; then
    build-aux/debian-packages.sh "$profile"
  fi
}

# Configures build folder DIR (once) with meson ARGS. A development build
# reads its translations where it makes them, DIR/po, so the app run from
# the tree and its tests are translated with nothing installed. A packaged
# build (the Flatpak, a distribution's) keeps the prefix's locale folder.
# An older folder, set up before this, is moved over.
ofl_setup_build() {
  local dir=$1 locales
  shift
  locales="$PWD/$dir/po"
  if [ ! -f "$dir/build.ninja" ]; then
    meson setup "$dir" "$@" -Dlocaledir="$locales"
  elif ! grep -qF "\"value\": \"$locales\"" "$dir/meson-info/intro-buildoptions.json"; then
    meson configure "$dir" -Dlocaledir="$locales"
  fi
}

# One line that says which stack this is, for logs and the CI summary.
ofl_stack_versions() {
  local where=${OFL_DEBIAN_ROOT:-native}
  [ "$where" = native ] && where=$(. /etc/os-release 2>/dev/null && echo "$ID $VERSION_ID")
  printf 'Stack: %s: GTK %s, libadwaita %s, libsoup %s, GLib %s\n' "$where" \
    "$(pkg-config --modversion gtk4)" "$(pkg-config --modversion libadwaita-1)" \
    "$(pkg-config --modversion libsoup-3.0)" "$(pkg-config --modversion glib-2.0)"
}
