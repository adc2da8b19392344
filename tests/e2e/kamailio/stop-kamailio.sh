#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
#
# stop-kamailio.sh [RUNDIR]   (default: $HAIL_KAM_RUNDIR)
# Stop the Kamailio that run-kamailio.sh started in RUNDIR: SIGTERM to
# exactly its main PID (which takes its children down), then wait until the
# process is gone and its ports are free. After HAIL_KAM_STOP_WAIT seconds
# (default 5) it sends SIGKILL and waits as long again; exit 1 if the ports
# are still held then. A process whose parent has gone stays a zombie until
# init reaps it, which may take a while here: a zombie counts as stopped.
set -u
rundir=${1:-${HAIL_KAM_RUNDIR:-}}
[ -n "$rundir" ] || { echo "usage: stop-kamailio.sh RUNDIR" >&2; exit 2; }
[ -s "$rundir/main.pid" ] || { echo "stop-kamailio: no main.pid in $rundir" >&2; exit 1; }
pid=$(cat "$rundir/main.pid")
ip="" port="" tls_port=""
if [ -s "$rundir/kamailio.env" ]; then
  ip=$(sed -n 's/^HAIL_KAM_IP=//p' "$rundir/kamailio.env")
  port=$(sed -n 's/^HAIL_KAM_PORT=//p' "$rundir/kamailio.env")
  tls_port=$(sed -n 's/^HAIL_KAM_TLS_PORT=//p' "$rundir/kamailio.env")
fi

alive() {
  local st
  st=$(awk '{ print $3 }' "/proc/$1/stat" 2>/dev/null) || return 1
  [ -n "$st" ] && [ "$st" != Z ]
}
ports_busy() {
  [ -n "$port" ] || return 1
  ss -Hlnut "( sport = :$port or sport = :$tls_port )" | grep -qF "$ip:"
}
# Only a kamailio may be signalled: the PID could have been reused.
is_kamailio() { [ "$(cat "/proc/$1/comm" 2>/dev/null)" = kamailio ]; }

wait_gone() { # wait_gone SECONDS
  local end=$(($(date +%s%3N) + $1 * 1000))
  while alive "$pid" || ports_busy; do
    [ "$(date +%s%3N)" -lt $end ] || return 1
    sleep 0.05
  done
}

# The short directory of the RPC sockets (see run-kamailio.sh), if any.
if [ -s "$rundir/rpcdir" ]; then
  rpcdir=$(cat "$rundir/rpcdir")
  case $rpcdir in /tmp/hail-kam-rpc.*) trap 'rm -rf "$rpcdir"' EXIT ;; esac
fi

if alive "$pid" && is_kamailio "$pid"; then
  kill -TERM "$pid" 2>/dev/null
fi
wait_s=${HAIL_KAM_STOP_WAIT:-5}
if wait_gone "$wait_s"; then
  echo "stop-kamailio: $pid stopped"
  exit 0
fi
if alive "$pid" && is_kamailio "$pid"; then
  kill -KILL "$pid" 2>/dev/null
  echo "stop-kamailio: $pid ignored SIGTERM for $wait_s s; sent SIGKILL" >&2
fi
wait_gone "$wait_s" && exit 0
echo "stop-kamailio: ports $port/$tls_port still in use:" >&2
ss -Hlnutp "( sport = :$port or sport = :$tls_port )" >&2
exit 1
