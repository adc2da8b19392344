# SPDX-License-Identifier: GPL-3.0-or-later
# shellcheck shell=bash disable=SC2034
#
# lib.sh: helpers for Hail's end-to-end tests in bash. Source it, then:
#
#   source "$(dirname "$0")/lib.sh"
#   e2e_init                              # work dir $E2E_TMP, cleanup trap
#   e2e_kam_start                         # Kamailio on free ports: $KAM, $KAM_*
#   e2e_sipp register.xml "$KAM" -s bob -au bob -ap bob-secret \
#     -key cport 9 -key ctransport udp -key expires 60 || e2e_fail "no 200"
#   port=$(e2e_free_port); e2e_sipp_bg message-uas.xml "$port"
#   e2e_pass
#
# Every wait is bounded; every process started here (e2e_spawn, e2e_sipp_bg,
# e2e_kam_start) is stopped on exit, by its own PID, newest first, also when
# the test fails or meson's timeout sends SIGTERM. Exit codes: 0 pass,
# 77 skip, 1 fail. The work dir is kept (and its path printed) on failure.

E2E_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
E2E_SIPP_DIR=$E2E_DIR/sipp
E2E_PY=/usr/bin/python3
E2E_PIDS=()
E2E_KAM_DIRS=()
E2E_CLEANUPS=()
E2E_N=0

e2e_note() { echo "# $*"; }
e2e_ms() { date +%s%3N; }

e2e_fail() {
  echo "FAIL: $*" >&2
  exit 1
}

e2e_skip() {
  echo "SKIP: $*"
  exit 77
}

e2e_pass() { exit 0; }

# Run on exit: stop what we started, newest first.
e2e_cleanup() {
  local rc=$? i pid
  trap - EXIT INT TERM HUP
  for ((i = ${#E2E_PIDS[@]} - 1; i >= 0; i--)); do
    pid=${E2E_PIDS[i]}
    kill -TERM "$pid" 2>/dev/null || continue
    if ! e2e_wait_pid "$pid" 3 >/dev/null 2>&1; then
      kill -KILL "$pid" 2>/dev/null
      wait "$pid" 2>/dev/null
    fi
  done
  for ((i = ${#E2E_KAM_DIRS[@]} - 1; i >= 0; i--)); do
    e2e_kam_ns "$E2E_DIR/kamailio/stop-kamailio.sh" "${E2E_KAM_DIRS[i]}" >/dev/null || rc=1
  done
  for ((i = ${#E2E_CLEANUPS[@]} - 1; i >= 0; i--)); do
    eval "${E2E_CLEANUPS[i]}" || rc=1
  done
  if [ "$rc" = 0 ] || [ "$rc" = 77 ]; then
    rm -rf "$E2E_TMP"
  else
    echo "# work directory kept: $E2E_TMP" >&2
  fi
  exit "$rc"
}

# e2e_init: make $E2E_TMP (under $HAIL_E2E_TMPDIR or $TMPDIR) and set the trap.
e2e_init() {
  set -uo pipefail
  E2E_TMP=$(mktemp -d "${HAIL_E2E_TMPDIR:-${TMPDIR:-/tmp}}/hail-e2e-$(basename "$0" .sh).XXXXXX")
  trap e2e_cleanup EXIT
  trap 'exit 143' TERM
  trap 'exit 130' INT
  trap 'exit 129' HUP
}

# e2e_on_exit CMD: run CMD (a string for eval) at cleanup, after every
# process is stopped (e.g. deleting a network namespace), newest first.
e2e_on_exit() { E2E_CLEANUPS+=("$1"); }

# e2e_require CMD...: skip the test if a tool is missing.
e2e_require() {
  local c
  for c in "$@"; do
    command -v "$c" >/dev/null 2>&1 || e2e_skip "$c is not installed"
  done
}

# e2e_free_port [--udp|--tcp|--both] [--span N] [--host IP]: a free port.
e2e_free_port() { "$E2E_PY" "$E2E_DIR/hailtest.py" free-port "$@"; }

# e2e_subdir NAME: make a new numbered directory in $E2E_TMP and set
# E2E_SUBDIR to it (not printed: a $(...) subshell would lose the count).
e2e_subdir() {
  E2E_N=$((E2E_N + 1))
  E2E_SUBDIR=$E2E_TMP/$(printf '%02d' "$E2E_N")-$1
  mkdir -p "$E2E_SUBDIR"
}

# e2e_wait_pid PID SECONDS: wait for PID (a child of this shell) to exit;
# its status, or 124 if it is still running after SECONDS.
e2e_wait_pid() {
  local end=$(($(e2e_ms) + $2 * 1000))
  while kill -0 "$1" 2>/dev/null; do
    [ -z "$(awk '$3 == "Z"' "/proc/$1/stat" 2>/dev/null)" ] || break
    [ "$(e2e_ms)" -lt $end ] || return 124
    sleep 0.02
  done
  wait "$1" 2>/dev/null
}

# e2e_wait_for SECONDS WHAT CMD...: poll CMD until it succeeds, or fail.
e2e_wait_for() {
  local secs=$1 what=$2 end
  shift 2
  end=$(($(e2e_ms) + secs * 1000))
  until "$@"; do
    [ "$(e2e_ms)" -lt $end ] || e2e_fail "timed out after ${secs} s waiting for $what"
    sleep 0.02
  done
}

e2e_udp_bound() { ss -Hlnu "sport = :$1" | grep -q .; }
e2e_tcp_bound() { ss -Hlnt "sport = :$1" | grep -q .; }

# e2e_spawn NAME CMD...: start CMD in the background, output to
# $E2E_TMP/NN-NAME/out.log; sets E2E_PID and E2E_LOG. Stopped at exit.
e2e_spawn() {
  local name=$1 d
  shift
  e2e_subdir "$name"
  d=$E2E_SUBDIR
  "$@" </dev/null >"$d/out.log" 2>&1 &
  E2E_PID=$!
  E2E_LOG=$d/out.log
  E2E_PIDS+=("$E2E_PID")
}

# e2e_netns_up NAME LOSS: two network namespaces joined by a veth pair that
# loses LOSS % each way (netns.sh), taken down on exit; sets NS_A, IP_A,
# NS_B, IP_B, LOSS and LOSS_METHOD. Skips (77) where packets cannot be
# dropped. NAME ends in -pPID so that "netns.sh gc" can tell when its run
# is gone.
e2e_netns_up() {
  local out rc
  "$E2E_DIR/netns.sh" gc
  out=$("$E2E_DIR/netns.sh" up "$1" "$2") || {
    rc=$?
    [ $rc = 77 ] && e2e_skip "no packet loss here"
    e2e_fail "netns.sh up: $rc"
  }
  e2e_on_exit "'$E2E_DIR/netns.sh' down '$1'"
  eval "$out"
}

# Where Kamailio and sipp run: E2E_KAM_NETNS / E2E_SIPP_NETNS name a
# network namespace (see netns.sh) to run them in, E2E_SIPP_IP is sipp's
# address (default 127.0.0.1). Set them before starting anything.
# e2e_sipp_ns replaces the calling (sub)shell, so a background sipp's $!
# is sipp itself.
e2e_kam_ns() {
  if [ -n "${E2E_KAM_NETNS:-}" ]; then ip netns exec "$E2E_KAM_NETNS" "$@"; else "$@"; fi
}
e2e_sipp_ns() {
  if [ -n "${E2E_SIPP_NETNS:-}" ]; then
    exec ip netns exec "$E2E_SIPP_NETNS" "$@"
  fi
  exec "$@"
}

# e2e_kam_start [run-kamailio.sh options]: start Kamailio on free ports
# (HAIL_KAM_SHA256=1 / HAIL_KAM_DEBUG=1 pass through). Sets KAM=ip:port and
# KAM_PID, KAM_IP, KAM_PORT, KAM_TLS_PORT, KAM_RUNDIR, KAM_RPC, KAM_CA, KAM_LOG,
# KAM_STARTUP_MS. A port taken between the pick and the bind is retried.
e2e_kam_start() {
  local d out try port tls
  e2e_subdir kamailio
  d=$E2E_SUBDIR
  for try in 1 2 3; do
    port=$(e2e_free_port --both) tls=$(e2e_free_port --tcp)
    if out=$(e2e_kam_ns "$E2E_DIR/kamailio/run-kamailio.sh" -p "$port" -t "$tls" "$@" "$d" \
        2>"$d/run.err"); then
      break
    fi
    grep -q "in use" "$d/run.err" && [ $try -lt 3 ] && continue
    cat "$d/run.err" >&2
    e2e_fail "run-kamailio.sh failed"
  done
  E2E_KAM_DIRS+=("$d")
  eval "$(echo "$out" | sed -n 's/^HAIL_KAM_\([A-Z_]*=[^ ]*\)$/KAM_\1/p')"
  KAM=$KAM_IP:$KAM_PORT
  e2e_note "kamailio $KAM_PID on $KAM (TLS $KAM_TLS_PORT) ready in $KAM_STARTUP_MS ms"
}

# e2e_kam_rpc CMD [ARGS]: a Kamailio RPC (kamcmd) on the started instance,
# e.g. "e2e_kam_rpc ul.dump" lists the bindings with their Received URI.
e2e_kam_rpc() { e2e_kam_ns timeout 10 kamcmd -s "$KAM_RPC" "$@"; }

# e2e_sipp_args SCENARIO: the bounded sipp options every run needs; sets
# the array E2E_SIPP_ARGS. Media and local ports are free ports (sipp
# would otherwise take 5060 and 6000).
e2e_sipp_args() {
  local sf=$1
  case $sf in /*) ;; *) sf=$E2E_SIPP_DIR/$sf ;; esac
  E2E_SIPP_ARGS=(-sf "$sf" -i "${E2E_SIPP_IP:-127.0.0.1}" -m 1
    -timeout "${E2E_SIPP_TIMEOUT:-20}s" -timeout_error -nostdin
    -mp "$(e2e_free_port --udp --span 4)" -trace_err -trace_msg -trace_screen)
}

# e2e_sipp SCENARIO [REMOTE] [sipp options...]: run sipp to the end in
# $E2E_TMP/NN-sipp-NAME, bounded by -timeout (E2E_SIPP_TIMEOUT, 20 s) and
# timeout(1); later options override (-m N, -p PORT, -t t1). Returns sipp's
# status (0: every call passed); E2E_SIPP_DIR_LAST is its directory.
e2e_sipp() {
  local sf=$1 d rc t0
  shift
  e2e_sipp_args "$sf"
  e2e_subdir "sipp-$(basename "$sf" .xml)"
  d=$E2E_SUBDIR
  E2E_SIPP_DIR_LAST=$d
  t0=$(e2e_ms)
  (cd "$d" && e2e_sipp_ns timeout -k 3 $((${E2E_SIPP_TIMEOUT:-20} + 5)) sipp \
    "${E2E_SIPP_ARGS[@]}" -p "$(e2e_free_port --both)" "$@" </dev/null >"$d/stdout.log" 2>&1)
  rc=$?
  E2E_SIPP_MS=$(($(e2e_ms) - t0))
  return $rc
}

# e2e_sipp_bg SCENARIO PORT [sipp options...]: start a sipp UAS on UDP
# PORT in the background and wait (5 s) until it listens. Sets E2E_PID.
e2e_sipp_bg() {
  local sf=$1 port=$2 d
  shift 2
  e2e_sipp_args "$sf"
  e2e_subdir "sipp-$(basename "$sf" .xml)"
  d=$E2E_SUBDIR
  (cd "$d" && e2e_sipp_ns sipp "${E2E_SIPP_ARGS[@]}" -p "$port" "$@" \
    </dev/null >"$d/stdout.log" 2>&1) &
  E2E_PID=$!
  E2E_PIDS+=("$E2E_PID")
  e2e_wait_for 5 "sipp $(basename "$sf") on UDP $port" \
    eval "e2e_udp_bound $port || ! kill -0 $E2E_PID 2>/dev/null"
  if ! kill -0 "$E2E_PID" 2>/dev/null; then
    cat "$d/stdout.log" >&2
    e2e_fail "sipp $sf exited at start"
  fi
}

# e2e_sipp_status DIR: the status codes of the responses sipp received, in
# order, from its -trace_msg log (e.g. "407 404").
e2e_sipp_status() {
  awk '/message received/ { want = 1; next }
       want && NF { if ($1 == "SIP/2.0") { printf "%s%s", sep, $2; sep = " " } want = 0 }' \
    "$1"/*_messages.log 2>/dev/null
}
