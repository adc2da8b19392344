#!/bin/bash
# tests/run-app.sh: install what is missing, build Hail with meson and start it.
set -euo pipefail
cd "$(dirname "$0")/.."
bash tests/deps.sh build
[ -f build/build.ninja ] || meson setup build
meson compile -C build
if [ -x build/src/app/hail ]; then
  exec meson devenv -C build ./src/app/hail "$@"
fi
exec build/src/cli/hail-cli --help
