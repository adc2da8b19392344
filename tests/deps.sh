#!/bin/bash
# tests/deps.sh [build|test]: install the Debian 12 packages Hail needs that
# are missing (idempotent; apt only). "build" is what building and running
# Hail takes; "test" adds every tool the test suite uses.
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive

BUILD=(meson ninja-build pkg-config gcc libglib2.0-dev libgtk-4-dev libadwaita-1-dev
  libgstreamer1.0-dev libgstreamer-plugins-base1.0-dev libgstreamer-plugins-bad1.0-dev
  gstreamer1.0-plugins-base gstreamer1.0-plugins-good gstreamer1.0-plugins-bad
  gstreamer1.0-libav libsecret-1-dev libssl-dev libsqlite3-dev gettext
  desktop-file-utils appstream-util gnome-keyring)
TEST=(xvfb xauth imagemagick xdotool x11-utils libgtk-4-bin dbus dbus-bin at-spi2-core
  gstreamer1.0-tools sox python3 python3-numpy python3-pyatspi python3-gi libsecret-tools
  pulseaudio pulseaudio-utils valgrind clang libclang-rt-14-dev jq sqlite3 iproute2 procps
  kamailio kamailio-tls-modules sip-tester socat openssl iptables appstream flatpak-builder
  baresip-core python3-pyflakes orca)

want=("${BUILD[@]}")
[ "${1:-build}" = test ] && want+=("${TEST[@]}")

missing=()
for p in "${want[@]}"; do
  dpkg-query -W -f='${db:Status-Abbrev}' "$p" 2>/dev/null | grep -q '^ii' || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

SUDO=
[ "$(id -u)" -eq 0 ] || SUDO=sudo
echo "deps: installing ${missing[*]}" >&2
$SUDO apt-get update -q >&2
$SUDO apt-get install -y -q --no-install-recommends "${missing[@]}" >&2
