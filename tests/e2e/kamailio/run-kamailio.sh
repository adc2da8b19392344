#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
#
# run-kamailio.sh [-i IP] [-p PORT] [-t TLS_PORT] [RUNDIR]
# Start the end-to-end Kamailio (registrar and proxy, realm example.test) in
# the background and return once it serves.
#   -i IP        address to listen on (default 127.0.0.1)
#   -p PORT      UDP and TCP port (default 5060, for a person running it by
#                hand; tests pass free ports, see hailtest.py free-port)
#   -t TLS_PORT  TLS port (default 5061)
#   RUNDIR       pid, log, RPC sockets, tls.cfg, certificates (default: a new
#                mktemp dir). Certificates are made once per RUNDIR.
# Environment:
#   HAIL_KAM_SHA256=1   challenge with algorithm=SHA-256 instead of MD5
#   HAIL_KAM_DEBUG=1    verbose log (RUNDIR/kamailio.log)
#   HAIL_KAM_MSRP=1     also an MSRP relay on TLS_PORT (RFC 4976)
#   HAIL_KAM_CERTS=DIR  use DIR's ca.crt, server.crt, server.key
#   HAIL_KAM_WAIT=S     readiness deadline in seconds (default 10)
# Refuses ports that are in use and says by what. Ready means: an OPTIONS
# over UDP gets a 200, the TCP port accepts, and a TLS handshake verifies
# against the test CA. Then prints eval-able lines (also saved in
# RUNDIR/kamailio.env): HAIL_KAM_PID, HAIL_KAM_IP, HAIL_KAM_PORT,
# HAIL_KAM_TLS_PORT, HAIL_KAM_RUNDIR, HAIL_KAM_RPC (kamcmd's -s), HAIL_KAM_CA, HAIL_KAM_LOG,
# HAIL_KAM_STARTUP_MS. Stop it with stop-kamailio.sh RUNDIR.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
ip=127.0.0.1 port=5060 tls_port=5061
while getopts i:p:t: opt; do
  case $opt in
    i) ip=$OPTARG ;;
    p) port=$OPTARG ;;
    t) tls_port=$OPTARG ;;
    *) echo "usage: run-kamailio.sh [-i IP] [-p PORT] [-t TLS_PORT] [RUNDIR]" >&2; exit 2 ;;
  esac
done
shift $((OPTIND - 1))
for p in "$port" "$tls_port"; do
  [[ $p =~ ^[0-9]+$ ]] && [ "$p" -gt 0 ] && [ "$p" -lt 65536 ] \
    || { echo "run-kamailio: bad port '$p'" >&2; exit 2; }
done
[ "$port" != "$tls_port" ] || { echo "run-kamailio: SIP and TLS ports must differ" >&2; exit 2; }

rundir=${1:-$(mktemp -d -t hail-kam.XXXXXX)}
mkdir -p "$rundir"
rundir=$(cd "$rundir" && pwd)

busy=0
for spec in "u $port" "t $port" "t $tls_port"; do
  set -- $spec
  if ss -Hln"$1" "sport = :$2" | grep -q .; then
    echo "run-kamailio: port $2 ($([ "$1" = u ] && echo UDP || echo TCP)) is in use by:" >&2
    ss -Hln"$1"p "sport = :$2" >&2
    busy=1
  fi
done
[ $busy = 0 ] || exit 1

certs=${HAIL_KAM_CERTS:-$rundir/certs}
if [ "$ip" != 127.0.0.1 ]; then
  HAIL_CERT_SANS="IP:$ip" "$here/gen-certs.sh" "$certs"
else
  "$here/gen-certs.sh" "$certs"
fi

cat > "$rundir/tls.cfg" <<TLS
[server:default]
method = TLSv1.2+
verify_certificate = no
require_certificate = no
certificate = $certs/server.crt
private_key = $certs/server.key

[client:default]
method = TLSv1.2+
verify_certificate = no
require_certificate = no
TLS

defs=(-A "SIP_IP=$ip" -A "SIP_PORT=$port" -A "TLS_PORT=$tls_port"
      -A "TLSCFG=\"$rundir/tls.cfg\"")
[ "${HAIL_KAM_SHA256:-0}" = 1 ] && defs+=(-A WITH_SHA256)
[ "${HAIL_KAM_DEBUG:-0}" = 1 ] && defs+=(-A WITH_DEBUG)
[ "${HAIL_KAM_MSRP:-0}" = 1 ] && defs+=(-A WITH_MSRP)

# A Unix socket's path has at most 107 bytes: under a long RUNDIR (a test's
# work directory) the RPC sockets go in a short directory of their own,
# named in RUNDIR/rpcdir and removed by stop-kamailio.sh.
rpcdir=$rundir
if [ ${#rundir} -gt 64 ]; then
  rpcdir=$(mktemp -d /tmp/hail-kam-rpc.XXXXXX)
  echo "$rpcdir" > "$rundir/rpcdir"
fi

now_ms() { date +%s%3N; }
t0=$(now_ms)
# -DD: no daemon, so $! is the main process; -E: log to stderr (the log
# file); -Y: RPC sockets in RUNDIR, nothing in system dirs. -m 256 (MB of
# shared memory): with the default 64 Kamailio answers 500 to part of a
# burst of 1000 MESSAGE/s, as finished transactions linger in tm.
kamailio -f "$here/kamailio.cfg" "${defs[@]}" -DD -E -m 256 -M 8 \
  -Y "$rpcdir" -P "$rundir/kamailio.pid" \
  </dev/null >"$rundir/kamailio.log" 2>&1 &
pid=$!
echo "$pid" > "$rundir/main.pid"

# One OPTIONS over UDP through bash's /dev/udp. dd writes the request as a
# single datagram and reads the reply as one (bash's read would take one
# byte per recv and lose the rest of the datagram).
options_ok() {
  local status
  exec 3<>"/dev/udp/$ip/$port" || return 1
  printf '%s\r\n' "OPTIONS sip:$ip:$port SIP/2.0" \
    "Via: SIP/2.0/UDP $ip:9;rport;branch=z9hG4bK-ready-$1" "Max-Forwards: 70" \
    "From: <sip:probe@$ip>;tag=p$1" "To: <sip:$ip:$port>" "Call-ID: ready-$$-$1@$ip" \
    "CSeq: 1 OPTIONS" "Content-Length: 0" "" \
    | dd bs=4096 iflag=fullblock status=none >&3 2>/dev/null
  status=$(timeout 0.2 dd bs=65535 count=1 status=none <&3 2>/dev/null | head -n1) || true
  exec 3>&-
  [[ $status == "SIP/2.0 200"* ]]
}

fail() {
  echo "run-kamailio: $1; log follows ($rundir/kamailio.log)" >&2
  tail -n 40 "$rundir/kamailio.log" >&2
  kill -TERM "$pid" 2>/dev/null || true
  exit 1
}

wait_s=${HAIL_KAM_WAIT:-10}
deadline=$(($(now_ms) + wait_s * 1000))
n=0 udp_ok=0
while :; do
  kill -0 "$pid" 2>/dev/null || fail "kamailio exited during start-up"
  n=$((n + 1))
  if [ $udp_ok = 0 ] && options_ok "$n"; then
    udp_ok=1
  fi
  if [ $udp_ok = 1 ] && (exec 4<>"/dev/tcp/$ip/$port") 2>/dev/null \
      && (exec 4<>"/dev/tcp/$ip/$tls_port") 2>/dev/null; then
    break
  fi
  [ "$(now_ms)" -lt $deadline ] || fail "not ready after ${wait_s} s"
  sleep 0.02
done
startup_ms=$(($(now_ms) - t0))
timeout 5 openssl s_client -connect "$ip:$tls_port" -CAfile "$certs/ca.crt" -verify_return_error \
  -verify_ip "$ip" -brief </dev/null >"$rundir/tls-check.log" 2>&1 \
  || fail "TLS handshake on $ip:$tls_port does not verify with $certs/ca.crt"

cat > "$rundir/kamailio.env" <<ENV
HAIL_KAM_PID=$pid
HAIL_KAM_IP=$ip
HAIL_KAM_PORT=$port
HAIL_KAM_TLS_PORT=$tls_port
HAIL_KAM_RUNDIR=$rundir
HAIL_KAM_RPC=unixs:$rpcdir/kamailio_ctl
HAIL_KAM_CA=$certs/ca.crt
HAIL_KAM_LOG=$rundir/kamailio.log
HAIL_KAM_STARTUP_MS=$startup_ms
ENV
cat "$rundir/kamailio.env"
