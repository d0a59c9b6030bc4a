#!/bin/bash
# run-app.sh: installs what is missing, builds, and starts Oneflow Link.
#
#   build-aux/run-app.sh            against the real API (https://api.oneflow.com/v1)
#   build-aux/run-app.sh --fake     against the bundled fake Oneflow server, offline
#
# Other arguments are passed to oneflow-link (e.g. --list). On a machine
# older than the floor (Debian 12) it runs in a Debian 13 root, on this
# machine's display and session bus (build-aux/stack.sh).
# With --fake, try token acme5b1c2d3e4f5061728394a5b6c7d8e9f0a1b2 and
# email anna@example.com.
set -eu
cd "$(dirname "$0")/.."

fake=0
args=()
for arg in "$@"; do
  if [ "$arg" = --fake ]; then fake=1; else args+=("$arg"); fi
done

. build-aux/stack.sh
ofl_stack_enter run "$@"
ofl_setup_build "$build"
ninja -C "$build"

export GSETTINGS_SCHEMA_DIR="$PWD/$build/data"

if [ "$fake" = 1 ]; then
  coproc FAKE { exec "$build"/tests/fake/oneflow-fake-server; }
  trap 'kill "$FAKE_PID" 2>/dev/null' EXIT
  read -r url <&"${FAKE[0]}"
  export ONEFLOW_LINK_API_URL="$url"
  echo "Using the fake Oneflow server at $url"
  echo "  token: acme5b1c2d3e4f5061728394a5b6c7d8e9f0a1b2   email: anna@example.com"
fi

"$build"/src/oneflow-link "${args[@]}"
