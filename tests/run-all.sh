#!/bin/bash
# tests/run-all.sh: install what is missing, build, and run every test:
#   1. the whole suite (werror build),
#   2. the whole suite again under ASan+UBSan,
#   3. each libFuzzer target for HAIL_FUZZ_SECONDS (default 45) under ASan+UBSan.
# Services the tests share (Xvfb, a session bus, gnome-keyring, PulseAudio
# with a null sink) are started here in a throw-away HOME and stopped on exit;
# the SIP peers (Kamailio, sipp) are started by the tests that use them.
# The last line printed is "N passed, N failed, N skipped".
set -euo pipefail
cd "$(dirname "$0")/.."
src=$(pwd)
export LC_ALL=C.UTF-8
bash tests/deps.sh test

T=$(mktemp -d -t hail-tests.XXXXXX)
export HOME=$T/home XDG_RUNTIME_DIR=$T/run TMPDIR=$T/tmp
export XDG_CACHE_HOME=$HOME/.cache XDG_CONFIG_HOME=$HOME/.config XDG_DATA_HOME=$HOME/.local/share
mkdir -p "$HOME" "$TMPDIR" "$XDG_RUNTIME_DIR"
chmod 700 "$XDG_RUNTIME_DIR"
unset DISPLAY WAYLAND_DISPLAY DBUS_SESSION_BUS_ADDRESS

PIDS=()
cleanup() {
  local rc=$?
  for ((i = ${#PIDS[@]} - 1; i >= 0; i--)); do kill "${PIDS[i]}" 2>/dev/null || true; done
  wait "${PIDS[@]}" 2>/dev/null || true
  rm -rf "$T"
  exit $rc
}
trap cleanup EXIT
wait_for() {
  local n=0
  until eval "$1"; do
    sleep 0.05; n=$((n + 1))
    [ $n -lt 400 ] || { echo "run-all: timed out waiting for: $1" >&2; return 1; }
  done
}

Xvfb -displayfd 3 -screen 0 1280x800x24 -nolisten tcp -noreset 3>"$T/display" 2>"$T/xvfb.log" &
PIDS+=($!)
wait_for '[ -s "$T/display" ]'
export DISPLAY=:$(cat "$T/display")
dbus-daemon --session --nofork --nopidfile --print-address=3 3>"$T/bus" 2>"$T/bus.log" &
PIDS+=($!)
wait_for '[ -s "$T/bus" ]'
export DBUS_SESSION_BUS_ADDRESS=$(head -n1 "$T/bus")
gnome-keyring-daemon --foreground --unlock --components=secrets < <(printf %s hail-test-keyring) \
  >"$T/gkd.log" 2>&1 &
PIDS+=($!)
pulseaudio -n --daemonize=no --exit-idle-time=-1 --use-pid-file=no --log-target=file:"$T/pa.log" \
  -L "module-native-protocol-unix auth-anonymous=1" -L "module-null-sink sink_name=nullsink" &
PIDS+=($!)
wait_for 'gdbus call --session --dest org.freedesktop.DBus --object-path /org/freedesktop/DBus \
  --method org.freedesktop.DBus.NameHasOwner org.freedesktop.secrets 2>/dev/null | grep -q true'
wait_for 'pactl info >/dev/null 2>&1'
pactl set-default-sink nullsink
pactl set-default-source nullsink.monitor

logs=()
run_suite() {  # run_suite BUILDDIR LOGNAME [meson test args...]
  local dir=$1 log=$2; shift 2
  timeout -k 30 1500 meson test -C "$dir" --print-errorlogs --num-processes 2 "$@" \
    >"$T/$log.out" 2>&1 || true
  tail -n 40 "$T/$log.out" >&2
  [ -f "$dir/meson-logs/$log.json" ] || { echo "run-all: no $dir/meson-logs/$log.json" >&2; exit 1; }
  logs+=("$dir/meson-logs/$log.json")
}

# 1. The suite, warnings as errors.
rm -rf build-ci
meson setup build-ci --werror >"$T/setup.log" 2>&1 || { cat "$T/setup.log"; exit 1; }
meson compile -C build-ci >"$T/compile.log" 2>&1 || { tail -n 60 "$T/compile.log"; exit 1; }
run_suite build-ci testlog --no-suite fuzz

# 2. The suite under ASan+UBSan.
rm -rf build-asan
meson setup build-asan -Db_sanitize=address,undefined -Db_lundef=false >"$T/setup-asan.log" 2>&1 \
  || { cat "$T/setup-asan.log"; exit 1; }
meson compile -C build-asan >"$T/compile-asan.log" 2>&1 || { tail -n 60 "$T/compile-asan.log"; exit 1; }
run_suite build-asan testlog-asan --setup=asan --no-suite fuzz --no-suite slow

# 3. The fuzz targets (clang, libFuzzer, ASan+UBSan).
rm -rf build-fuzz
CC=clang meson setup build-fuzz -Dfuzzing=true -Dapp=false -Db_sanitize=address,undefined \
  -Db_lundef=false >"$T/setup-fuzz.log" 2>&1 || { cat "$T/setup-fuzz.log"; exit 1; }
# Build only the fuzz targets: the rest of this build is never run.
fuzzers=$(ninja -C build-fuzz -t targets all | sed -n 's|^\(tests/fuzz/fuzz-[A-Za-z0-9_-]*\): .*|\1|p' | sort -u)
[ -n "$fuzzers" ] || { echo "run-all: no fuzz targets found" >&2; exit 1; }
ninja -C build-fuzz $fuzzers >"$T/compile-fuzz.log" 2>&1 || { tail -n 60 "$T/compile-fuzz.log"; exit 1; }
HAIL_FUZZ_SECONDS=${HAIL_FUZZ_SECONDS:-45} run_suite build-fuzz testlog --no-rebuild --suite fuzz

/usr/bin/python3 "$src/tests/count.py" "${logs[@]}"
