#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
#
# test-cli-loss.sh: hail-cli registers (challenge, 200) and unregisters
# through 30 % packet loss each way over UDP, in private network namespaces
# (netns.sh): Kamailio in one, hail-cli in the other. Retransmissions with
# the default T1 = 500 ms complete every transaction within timer F, so
# the whole run stays within a few timer F periods; one run of five may end
# in a clean timer F report (408), which 30 % loss makes happen for about
# 0.2 % of runs. Skips (77) without root
# or without a way to drop packets (no sch_netem, no iptables statistic).
source "$(dirname "$0")/lib.sh"
e2e_init
e2e_require kamailio ip
[ "$(id -u)" = 0 ] || e2e_skip "needs root for network namespaces"
[ -x "${HAIL_CLI:-}" ] || e2e_skip "hail-cli not found (set HAIL_CLI)"

name=cliloss-p$$
e2e_netns_up "$name" 30
e2e_note "namespaces $NS_A ($IP_A) and $NS_B ($IP_B), $LOSS % loss each way by $LOSS_METHOD"

E2E_KAM_NETNS=$NS_A
e2e_kam_start -i "$IP_A"

runs=5
for i in $(seq $runs); do
  e2e_subdir "hail-cli-$i"
  d=$E2E_SUBDIR
  t0=$(e2e_ms)
  # Timer F is 32 s; three transactions (401, 200, un-REGISTER) fit in 100 s.
  echo alice-secret | timeout -k 5 100 ip netns exec "$NS_B" "$HAIL_CLI" --json --trace \
    --account sip:alice@example.test --proxy "sip:$IP_A:$KAM_PORT;transport=udp" \
    --listen "$IP_B:0" --password-stdin register >"$d/stdout" 2>"$d/stderr"
  rc=$?
  sent=$(grep -c '^--> UDP' "$d/stderr")
  total=$((${total:-0} + sent))
  if [ $rc != 0 ]; then
    # Each transaction sends 11 copies before timer F; at 30 % loss each
    # way all 11 round trips fail with probability 0.51^11 (6e-4): a run
    # may end in a clean timeout, once. Anything else is a failure.
    grep -q '"event":"registration-failed","status":408' "$d/stdout" && [ "${timeouts:-0}" = 0 ]       || { cat "$d/stdout" >&2; e2e_fail "run $i through loss: exit $rc"; }
    timeouts=1
    e2e_note "run $i: timer F after $sent datagrams (allowed once): $(cat "$d/stdout")"
    continue
  fi
  grep -q '"event":"registered"' "$d/stdout" || e2e_fail "run $i: no registered event"
  grep -q '"event":"unregistered"' "$d/stdout" || e2e_fail "run $i: no unregistered event"
  e2e_note "run $i: registered and unregistered through $LOSS % loss in" \
    "$(($(e2e_ms) - t0)) ms, $sent datagrams sent for 3 transactions"
done
# Loss is applied: 15 transactions without one retransmission would be a
# chance of 0.49^15 (2e-5).
[ "$total" -gt $((runs * 3)) ] || e2e_fail "no retransmission at $LOSS % loss: is loss applied?"
e2e_pass
