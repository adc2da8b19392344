#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
#
# netns.sh: a private two-host network with packet loss, for loss tests.
#
#   netns.sh check [LOSS]       exit 0 if namespaces and a loss method work
#                               here (prints the method), 77 if not (says why)
#   netns.sh up NAME [LOSS]     create namespaces hail-NAME-a and hail-NAME-b
#                               joined by a veth pair, 10.200.0.1/30 in a and
#                               10.200.0.2/30 in b, LOSS percent (default 30)
#                               dropped each way; prints eval-able NS_A,
#                               NS_B, IP_A, IP_B, LOSS, LOSS_METHOD
#   netns.sh exec NAME a|b CMD  run CMD in one of the namespaces
#   netns.sh down NAME          delete both namespaces (and the veth pair);
#                               stop the processes inside them first
#   netns.sh gc                 delete the namespaces of runs that died
#                               without "down" (SIGKILL): NAME ending in
#                               -pPID whose process PID is gone
#
# Both ends live in namespaces made here, and neither has a route or a link
# to the root namespace: traffic cannot reach a real network, and the
# addresses never clash with another run (each pair is its own network).
# Loss comes from netem ("tc qdisc ... netem loss 30%") on each veth end;
# kernels built without sch_netem (like this CI's) fall back to the
# iptables "statistic" match (random DROP on each end's INPUT), run inside
# the namespaces only. With neither, "check" and "up" exit 77 (skip).
# Needs root (CAP_NET_ADMIN). $HAIL_IPTABLES overrides the iptables binary.
set -euo pipefail

die() { echo "netns.sh: $*" >&2; exit 1; }
skip() { echo "netns.sh: SKIP: $*" >&2; exit 77; }
iptables_cmd=${HAIL_IPTABLES:-iptables}

valid_name() { [[ $1 =~ ^[A-Za-z0-9_-]{1,40}$ ]] || die "bad name '$1'"; }
valid_loss() { [[ $1 =~ ^[0-9]{1,2}$ ]] || die "loss must be 0-99 percent, not '$1'"; }

# loss_method NS DEV LOSS: apply LOSS% on DEV inside NS; print the method.
apply_loss() {
  local ns=$1 dev=$2 loss=$3 err
  [ "$loss" -gt 0 ] || { echo none; return 0; }
  if err=$(ip netns exec "$ns" tc qdisc add dev "$dev" root netem loss "$loss%" 2>&1); then
    echo netem
    return 0
  fi
  if command -v "$iptables_cmd" >/dev/null 2>&1 \
      && ip netns exec "$ns" "$iptables_cmd" -w -A INPUT -i "$dev" -m statistic --mode random \
        --probability "0.$(printf '%02d' "$loss")" -j DROP 2>/dev/null; then
    echo iptables-statistic
    return 0
  fi
  echo "no loss method: tc netem failed (${err:-?}); ${iptables_cmd} with the statistic match" \
    "is $(command -v "$iptables_cmd" >/dev/null 2>&1 && echo "refused" || echo "not installed")" >&2
  return 77
}

up() {
  local name=$1 loss=${2:-30} a b m1 m2 rc
  valid_name "$name"
  valid_loss "$loss"
  [ "$(id -u)" = 0 ] || skip "needs root for ip netns"
  a=hail-$name-a b=hail-$name-b
  ip netns add "$a" 2>/dev/null || skip "cannot create a network namespace (ip netns add $a)"
  if ! ip netns add "$b"; then
    ip netns del "$a"
    die "cannot create namespace $b"
  fi
  # Made inside the namespaces directly, so no interface ever appears in
  # the root namespace, even for a moment.
  if ! ip link add veth-a netns "$a" type veth peer name veth-b netns "$b"; then
    down "$name"
    skip "cannot create a veth pair between namespaces"
  fi
  ip -n "$a" link set lo up
  ip -n "$b" link set lo up
  ip -n "$a" addr add 10.200.0.1/30 dev veth-a
  ip -n "$b" addr add 10.200.0.2/30 dev veth-b
  ip -n "$a" link set veth-a up
  ip -n "$b" link set veth-b up
  rc=0
  m1=$(apply_loss "$a" veth-a "$loss") || rc=$?
  [ $rc = 0 ] && { m2=$(apply_loss "$b" veth-b "$loss") || rc=$?; }
  if [ $rc != 0 ]; then
    down "$name"
    [ $rc = 77 ] && skip "packet loss cannot be simulated on this kernel"
    die "could not set up packet loss"
  fi
  [ "$m1" = "$m2" ] || die "loss methods differ: $m1 / $m2"
  echo "NS_A=$a"
  echo "NS_B=$b"
  echo "IP_A=10.200.0.1"
  echo "IP_B=10.200.0.2"
  echo "LOSS=$loss"
  echo "LOSS_METHOD=$m1"
}

down() {
  local name=$1 ns
  valid_name "$name"
  for ns in "hail-$name-a" "hail-$name-b"; do
    if [ -e "/run/netns/$ns" ]; then
      ip netns del "$ns" || echo "netns.sh: could not delete $ns" >&2
    fi
  done
}

gc() {
  local f ns pid
  for f in /run/netns/hail-*-p[0-9]*-a /run/netns/hail-*-p[0-9]*-b; do
    [ -e "$f" ] || continue
    ns=${f##*/}
    pid=${ns%-[ab]}
    pid=${pid##*-p}
    [ -d "/proc/$pid" ] || ip netns del "$ns" || echo "netns.sh: could not delete $ns" >&2
  done
}

check() {
  local name out
  name=check-p$$
  out=$(up "$name" "${1:-30}") || exit $?
  down "$name"
  echo "$out" | sed -n 's/^LOSS_METHOD=/loss method: /p'
}

cmd=${1:-}
shift || true
case $cmd in
  check) check "$@" ;;
  up) [ $# -ge 1 ] || die "usage: netns.sh up NAME [LOSS]"; up "$@" ;;
  down) [ $# -eq 1 ] || die "usage: netns.sh down NAME"; down "$1" ;;
  gc) gc ;;
  exec)
    [ $# -ge 3 ] || die "usage: netns.sh exec NAME a|b CMD..."
    valid_name "$1"
    [[ $2 == a || $2 == b ]] || die "namespace must be a or b"
    ns=hail-$1-$2
    shift 2
    exec ip netns exec "$ns" "$@"
    ;;
  *) die "usage: netns.sh check|up|down|exec|gc ..." ;;
esac
