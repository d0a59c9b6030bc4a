#!/bin/bash
# make-screenshots.sh: the AppStream screenshots, made from the real app.
#
# Runs the screenshot test (real windows under Xvfb, against the fake
# Oneflow server and a private keyring), then copies the four pages the
# metainfo shows into data/screenshots/. Commit the result after looking at it.
set -eu
cd "$(dirname "$0")/.."

# On the newest stack (GNOME 51's versions), as the Flatpak shows them.
export OFL_STACK=${OFL_STACK:-sid}
. build-aux/stack.sh
ofl_stack_enter test "$@"
ofl_setup_build "$build"
ninja -C "$build"
meson test -C "$build" --print-errorlogs test-screenshots

shots=$build/tests/ui/screenshots
mkdir -p data/screenshots
cp "$shots/01-welcome-640-light.png"        data/screenshots/welcome.png
cp "$shots/04-token-valid-640-light.png"    data/screenshots/token.png
cp "$shots/08-connect-running-640-light.png" data/screenshots/connect.png
cp "$shots/11-accounts-640-light.png"       data/screenshots/accounts.png
echo "Wrote data/screenshots/{welcome,token,connect,accounts}.png"
