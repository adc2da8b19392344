#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
#
# netns.sh without loss: two namespaces reach each other over the veth pair
# (a UDP echo from b to a), have no route anywhere else, and "down" and "gc"
# remove them. Needs root; skips (77) where namespaces cannot be made.
source "$(dirname "$0")/lib.sh"
e2e_init
e2e_require ip
[ "$(id -u)" = 0 ] || e2e_skip "needs root for network namespaces"
ns=$E2E_DIR/netns.sh

name=plain-p$$
t0=$(e2e_ms)
out=$("$ns" up "$name" 0) || {
  [ $? = 77 ] && e2e_skip "no network namespaces here"
  e2e_fail "netns.sh up failed"
}
e2e_on_exit "'$ns' down '$name'"
eval "$out"
e2e_note "namespaces up in $(($(e2e_ms) - t0)) ms: $NS_A $IP_A, $NS_B $IP_B, loss $LOSS_METHOD"
[ "$LOSS_METHOD" = none ] || e2e_fail "loss 0 applied '$LOSS_METHOD'"

# A UDP echo server in a (it adds the sender's address), a client in b.
port=$(e2e_free_port --udp)
e2e_spawn echo "$ns" exec "$name" a "$E2E_PY" -c "
import socket
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(('$IP_A', $port))
while True:
    data, peer = s.recvfrom(2048)
    s.sendto(data + b' ' + peer[0].encode(), peer)"
e2e_wait_for 5 "the echo server in $NS_A" \
  eval "ip netns exec '$NS_A' ss -Hlnu 'sport = :$port' | grep -q ."
reply=$("$ns" exec "$name" b "$E2E_PY" -c "
import socket
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.settimeout(5)
s.sendto(b'hail', ('$IP_A', $port))
print(s.recvfrom(2048)[0].decode())") || e2e_fail "no echo from $IP_A"
[ "$reply" = "hail $IP_B" ] || e2e_fail "echo: got '$reply', want 'hail $IP_B'"

# Nothing leaves: no route out of either namespace, and the root namespace
# has no route into them.
for side in a b; do
  if "$ns" exec "$name" $side ip route get 192.0.2.1 >/dev/null 2>&1; then
    e2e_fail "namespace $side has a route out"
  fi
done
if ip route get "$IP_A" 2>/dev/null | grep -q "dev veth-"; then
  e2e_fail "the root namespace reaches $IP_A over the veth pair"
fi
ip link show veth-a >/dev/null 2>&1 && e2e_fail "veth-a appeared in the root namespace"

# gc removes the namespaces of a run that is gone, and only those.
dead=gone-p999999999
ip netns add "hail-$dead-a" || e2e_fail "ip netns add"
"$ns" gc
[ -e "/run/netns/hail-$dead-a" ] && e2e_fail "gc left a dead run's namespace"
[ -e "/run/netns/$NS_A" ] || e2e_fail "gc removed a live run's namespace"

# down removes both (the echo server must go first: stop it now).
kill "$E2E_PID" && e2e_wait_pid "$E2E_PID" 5
"$ns" down "$name" || e2e_fail "down"
[ -e "/run/netns/$NS_A" ] || [ -e "/run/netns/$NS_B" ] && e2e_fail "down left a namespace"
e2e_pass
