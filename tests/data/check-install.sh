#!/bin/bash
# check-install.sh SOURCE_ROOT APP_ID DEVEL(true|false) [MESON]
#
# TAP test: configure a fresh build of SOURCE_ROOT with --prefix=/app, as
# flatpak-builder does, install it with --destdir, and check that exactly the
# files a Flatpak export needs are there: the binary, the desktop file, the
# metainfo, both icons under the app id, the schema, the D-Bus service and a
# .mo file for every language in po/LINGUAS. An extra file fails too: it would
# be shipped to every staff machine without review.
set -u

src=$1
app_id=$2
devel=$3
meson=${4:-meson}

tmp=$(mktemp -d "${TMPDIR:-/tmp}/ofl-install.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
build=$tmp/build
dest=$tmp/dest

n=0
failed=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
not_ok() { n=$((n + 1)); failed=1; echo "not ok $n - $1"; shift; for d in "$@"; do echo "# $d"; done; }
bail() { tail -n 40 "$2" >&2; echo "Bail out! $1"; exit 1; }

if ! "$meson" setup --prefix=/app -Ddevel="$devel" "$build" "$src" >"$tmp/setup.log" 2>&1; then
  bail "meson setup --prefix=/app failed" "$tmp/setup.log"
fi
if ! "$meson" install -C "$build" --destdir "$dest" >"$tmp/install.log" 2>&1; then
  bail "meson install --destdir failed" "$tmp/install.log"
fi

expected=(
  "app/bin/oneflow-link"
  "app/share/applications/$app_id.desktop"
  "app/share/metainfo/$app_id.metainfo.xml"
  "app/share/icons/hicolor/scalable/apps/$app_id.svg"
  "app/share/icons/hicolor/symbolic/apps/$app_id-symbolic.svg"
  "app/share/glib-2.0/schemas/org.example.OneflowLink.gschema.xml"
  "app/share/dbus-1/services/$app_id.service"
  "app/share/dbus-1/interfaces/org.example.OneflowLink.Links1.xml"
)
langs=$(sed -e 's/#.*//' "$src/po/LINGUAS" | tr -s ' \t' '\n\n' | sed '/^$/d')
for lang in $langs; do
  expected+=("app/share/locale/$lang/LC_MESSAGES/oneflow-link.mo")
done
# Caches that gnome.post_install may write; flatpak-builder regenerates them.
optional=(
  "app/share/glib-2.0/schemas/gschemas.compiled"
  "app/share/icons/hicolor/icon-theme.cache"
  "app/share/applications/mimeinfo.cache"
)

for f in "${expected[@]}"; do
  if [ -f "$dest/$f" ]; then ok "installs /$f"; else not_ok "installs /$f" "not found in the destdir"; fi
done

if [ -x "$dest/app/bin/oneflow-link" ]; then ok "/app/bin/oneflow-link is executable"
else not_ok "/app/bin/oneflow-link is executable"; fi

service=$dest/app/share/dbus-1/services/$app_id.service
if grep -qx "Name=$app_id" "$service" 2>/dev/null &&
   grep -qx "Exec=/app/bin/oneflow-link --gapplication-service" "$service" 2>/dev/null; then
  ok "the D-Bus service activates /app/bin/oneflow-link as $app_id"
else
  not_ok "the D-Bus service activates /app/bin/oneflow-link as $app_id" "$(cat "$service" 2>/dev/null)"
fi

desktop=$dest/app/share/applications/$app_id.desktop
if grep -qx "DBusActivatable=true" "$desktop" 2>/dev/null && grep -qx "Icon=$app_id" "$desktop" 2>/dev/null; then
  ok "the desktop file is D-Bus activatable with the app id's icon"
else
  not_ok "the desktop file is D-Bus activatable with the app id's icon"
fi

extra=()
while IFS= read -r f; do
  f=${f#./}
  found=0
  for e in "${expected[@]}" "${optional[@]}"; do
    [ "$f" = "$e" ] && { found=1; break; }
  done
  [ $found = 1 ] || extra+=("$f")
done < <(cd "$dest" && find . \( -type f -o -type l \) | sort)
if [ ${#extra[@]} -eq 0 ]; then
  ok "nothing else is installed"
else
  not_ok "nothing else is installed" "${extra[@]/#/unexpected: /}"
fi

echo "1..$n"
exit $failed
