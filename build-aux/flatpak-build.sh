#!/bin/bash
# flatpak-build.sh: builds the Flatpak from org.example.OneflowLink.json,
# with the manifest's own tests on, on the stand-in runtime
# (build-aux/flatpak-runtime.sh), into a local repo; installs it from
# there into the stand-in's private installation, and makes a bundle.
#
#   build-aux/flatpak-build.sh
#
# The manifest is built from a temporary copy in which only "runtime" and
# "sdk" name the stand-in (org.example.DebianPlatform / DebianSdk, on the
# manifest's own runtime-version); everything else is the manifest's.
# flatpak-builder runs with --disable-rofiles-fuse (no FUSE needed); it
# strips with the host's eu-strip (elfutils).
#
# Output, in $OFL_FLATPAK_CACHE (default /var/cache/oneflow-link/flatpak):
#   app-repo/                the app's repo (branch "stable", as the README builds it)
#   oneflow-link.flatpak     flatpak build-bundle of it
#   fake-server/             the fake Oneflow server the build made (for the tests)
# and org.example.OneflowLink//stable installed in FLATPAK_USER_DIR.
# Prints, last, the lines to source: FLATPAK_USER_DIR=…, OFL_FLATPAK_REPO=…,
# OFL_FLATPAK_APP_REPO=…, OFL_FLATPAK_BUNDLE=… and OFL_FLATPAK_FAKE_SERVER=….
set -eu

src=$(cd "$(dirname "$0")/.." && pwd)
cache=${OFL_FLATPAK_CACHE:-/var/cache/oneflow-link/flatpak}
app_id=org.example.OneflowLink

if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null || { echo "The Flatpak build needs root or sudo (the runtime cache)." >&2; exit 1; }
  exec sudo --preserve-env=OFL_FLATPAK_CACHE,OFL_DEBIAN_MIRROR "$0" "$@"
fi

missing=()
command -v flatpak-builder >/dev/null || missing+=(flatpak-builder)
command -v eu-strip >/dev/null || missing+=(elfutils)
command -v python3 >/dev/null || missing+=(python3)
if [ ${#missing[@]} -gt 0 ]; then
  echo "Installing on the host: ${missing[*]}" >&2
  DEBIAN_FRONTEND=noninteractive apt-get update -q >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}" >&2
fi

# The runtime (made once and cached), and where it is installed.
eval "$("$src/build-aux/flatpak-runtime.sh")"
export FLATPAK_USER_DIR

exec 9>"$cache/.app.lock"
flock 9

began=$SECONDS
step() {
  echo "==> $* ($((SECONDS - began)) s)" >&2
}

# The manifest as it is, but for the runtime and the SDK. The copy sits
# next to the original, so that its "path": "." is the source tree (one
# name, git-ignored; the lock above keeps it to one build at a time).
copy=$src/.ofl-flatpak-stand-in.json
trap 'rm -f "$copy"' EXIT
trap 'exit 1' INT TERM
python3 - "$src/$app_id.json" "$copy" <<'PY'
import json, sys
manifest = json.load(open(sys.argv[1]))
assert manifest["runtime"] == "org.gnome.Platform" and manifest["sdk"] == "org.gnome.Sdk", \
    "the manifest names another runtime: update build-aux/flatpak-runtime.sh"
manifest["runtime"] = "org.example.DebianPlatform"
manifest["sdk"] = "org.example.DebianSdk"
json.dump(manifest, open(sys.argv[2], "w"), indent=2)
PY

step "flatpak-builder (with the manifest's tests)"
rm -rf "$cache/app-build"
# --keep-build-dirs: the fake Oneflow server built there is the tests'.
flatpak-builder --user --disable-rofiles-fuse --force-clean --keep-build-dirs \
  --default-branch=stable --state-dir="$cache/builder-state" --repo="$cache/app-repo" \
  "$cache/app-build" "$copy" >&2
# (Were it a cache hit, nothing is built: the fake server kept from the last build.)

step "flatpak install from the repo"
flatpak --user remote-add --if-not-exists --no-gpg-verify ofl-app "file://$cache/app-repo" >&2
flatpak --user install -y --noninteractive --reinstall ofl-app "$app_id//stable" >&2

step "flatpak build-bundle"
flatpak build-bundle "$cache/app-repo" "$cache/oneflow-link.flatpak" "$app_id" stable >&2

# The fake server from the build's own tree: it runs on the SDK.
if [ -e "$cache/builder-state/build/oneflow-link" ]; then
  build_dir=$(readlink -f "$cache/builder-state/build/oneflow-link")
  rm -rf "$cache/fake-server"
  mkdir -p "$cache/fake-server"
  cp "$build_dir/_flatpak_build/tests/fake/oneflow-fake-server" "$cache/fake-server/"
  rm -rf "$cache/builder-state/build"
fi
[ -x "$cache/fake-server/oneflow-fake-server" ] || { echo "No fake server from the build" >&2; exit 1; }

step "done"
echo "FLATPAK_USER_DIR=$FLATPAK_USER_DIR"
echo "OFL_FLATPAK_REPO=$OFL_FLATPAK_REPO"
echo "OFL_FLATPAK_APP_REPO=$cache/app-repo"
echo "OFL_FLATPAK_BUNDLE=$cache/oneflow-link.flatpak"
echo "OFL_FLATPAK_FAKE_SERVER=$cache/fake-server/oneflow-fake-server"
