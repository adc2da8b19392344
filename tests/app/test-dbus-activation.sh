#!/bin/bash
# tests/app/test-dbus-activation.sh HAIL: a sip: link reaches a Hail that
# is not running, the way the desktop delivers it: D-Bus activation from
# the installed .service file, then org.freedesktop.Application.Open. Uses
# its own bus (a private dbus-daemon with only Hail's service), so it needs
# DISPLAY but not the session's. Exit 0 ok, 1 failed, 77 skipped.
set -euo pipefail
hail=$1
[ -n "${DISPLAY:-}" ] || { echo "SKIP: needs DISPLAY (run under xvfb-run)"; exit 77; }
for tool in dbus-daemon gdbus xdotool; do
  command -v $tool >/dev/null || { echo "SKIP: $tool is not installed"; exit 77; }
done

T=$(mktemp -d -t hail-dbus-XXXXXX)
BUS=
cleanup() {
  local rc=$?
  [ -z "$BUS" ] || kill "$BUS" 2>/dev/null || true
  [ -z "$BUS" ] || wait "$BUS" 2>/dev/null || true
  rm -rf "$T"
  exit $rc
}
trap cleanup EXIT
wait_for() {  # bounded: 200 x 0.05 s
  local n=0
  until eval "$1"; do
    sleep 0.05; n=$((n + 1))
    [ $n -lt 200 ] || { echo "FAIL: timed out waiting for: $2"; return 1; }
  done
}

mkdir -p "$T/services" "$T/config" "$T/data" "$T/cache"
sed -e "s|^Exec=.*|Exec=$hail --gapplication-service|" \
  "${HAIL_BUILD_ROOT:?}/data/io.github.hailphone.Hail.service" > "$T/services/io.github.hailphone.Hail.service"
cat > "$T/bus.conf" <<CONF
<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <listen>unix:dir=$T</listen>
  <servicedir>$T/services</servicedir>
  <policy context="default">
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
  </policy>
</busconfig>
CONF

# The activated app inherits the daemon's environment: a fresh XDG tree,
# no accessibility bus (there is none on this bus), and the test's schema.
XDG_CONFIG_HOME=$T/config XDG_DATA_HOME=$T/data XDG_CACHE_HOME=$T/cache GTK_A11Y=none \
  dbus-daemon --config-file="$T/bus.conf" --nofork --nopidfile --print-address=3 \
  3>"$T/address" 2>"$T/bus.log" &
BUS=$!
wait_for '[ -s "$T/address" ]' "the private bus"
export DBUS_SESSION_BUS_ADDRESS=$(head -n1 "$T/address")

has_owner() {
  gdbus call --session --dest org.freedesktop.DBus --object-path /org/freedesktop/DBus \
    --method org.freedesktop.DBus.NameHasOwner io.github.hailphone.Hail 2>/dev/null | grep -q true
}
if has_owner; then echo "FAIL: Hail runs before activation"; exit 1; fi

# The desktop's click on sip:bob@127.0.0.1: this call starts Hail.
gdbus call --session --timeout 30 --dest io.github.hailphone.Hail \
  --object-path /io/github/hailphone/Hail --method org.freedesktop.Application.Open \
  '["sip:bob@127.0.0.1"]' '{}' >/dev/null
has_owner || { echo "FAIL: Open did not activate Hail"; exit 1; }
# A link opens the main window with the dial pad, even on a first run.
wait_for 'xdotool search --onlyvisible --name "^Hail\$" >/dev/null 2>&1' "the main window"

gdbus call --session --dest io.github.hailphone.Hail --object-path /io/github/hailphone/Hail \
  --method org.gtk.Actions.Activate quit '[]' '{}' >/dev/null
wait_for '! has_owner' "Hail to quit after app.quit"
echo "ok: D-Bus activation by Open, main window shown, app.quit ended it"
