#!/bin/bash
# test-secrets-locked.sh TEST-SECRETS: runs the locked-keyring cases of
# test-store-secrets against a private session bus and gnome-keyring (the
# session's shared keyring must stay unlocked for every other test).
# DISPLAY is unset so that the unlock prompt fails instead of waiting on a
# window. Exits 77 (skip) when the daemons are not installed.
# SPDX-License-Identifier: GPL-3.0-or-later
set -euo pipefail

for tool in dbus-daemon gnome-keyring-daemon gdbus; do
  command -v "$tool" >/dev/null || { echo "$tool is not installed" >&2; exit 77; }
done

T=$(mktemp -d -t hail-keyring.XXXXXX)
PIDS=()
cleanup() {
  local rc=$?
  for ((i = ${#PIDS[@]} - 1; i >= 0; i--)); do kill "${PIDS[i]}" 2>/dev/null || true; done
  wait "${PIDS[@]}" 2>/dev/null || true
  rm -rf "$T"
  exit $rc
}
trap cleanup EXIT
wait_for() {   # bounded: 200 polls of 50 ms
  local n=0
  until eval "$1"; do
    sleep 0.05; n=$((n + 1))
    [ $n -lt 200 ] || { echo "timed out waiting for: $1" >&2; return 1; }
  done
}

export HOME=$T/home XDG_RUNTIME_DIR=$T/run
export XDG_DATA_HOME=$HOME/.local/share XDG_CONFIG_HOME=$HOME/.config XDG_CACHE_HOME=$HOME/.cache
mkdir -p "$HOME" "$XDG_RUNTIME_DIR"
chmod 700 "$XDG_RUNTIME_DIR"
unset DISPLAY WAYLAND_DISPLAY DBUS_SESSION_BUS_ADDRESS
# The test's G_DEBUG=fatal-warnings is for Hail, not for the daemons.
daemon_env=(env -u G_DEBUG -u G_MESSAGES_DEBUG -u MALLOC_CHECK_ -u MALLOC_PERTURB_)

"${daemon_env[@]}" dbus-daemon --session --nofork --nopidfile --print-address=3 \
  3>"$T/bus" 2>"$T/bus.log" &
PIDS+=($!)
wait_for '[ -s "$T/bus" ]'
DBUS_SESSION_BUS_ADDRESS=$(head -n1 "$T/bus")
export DBUS_SESSION_BUS_ADDRESS
"${daemon_env[@]}" gnome-keyring-daemon --foreground --unlock --components=secrets \
  < <(printf %s private-keyring) >"$T/gkd.log" 2>&1 &
PIDS+=($!)
wait_for 'gdbus call --session --dest org.freedesktop.DBus --object-path /org/freedesktop/DBus \
  --method org.freedesktop.DBus.NameHasOwner org.freedesktop.secrets 2>/dev/null | grep -q true'

HAIL_TEST_PRIVATE_KEYRING=1 "$1" --tap -p /store/secrets/locked
