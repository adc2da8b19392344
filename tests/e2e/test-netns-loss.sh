#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Loss test in private network namespaces (netns.sh): Kamailio in one, sipp
# in the other, 30 % of packets dropped each way. OPTIONS pings
# still complete thanks to UDP retransmissions,
# and the retransmissions are counted. Skips (77) where the kernel can
# simulate no loss (no sch_netem and no iptables statistic match).
source "$(dirname "$0")/lib.sh"
e2e_init
e2e_require kamailio sipp ip
[ "$(id -u)" = 0 ] || e2e_skip "needs root for network namespaces"

# -pPID: "netns.sh gc" can tell when this run is gone.
name=loss-p$$
e2e_netns_up "$name" 30
e2e_note "namespaces $NS_A ($IP_A) and $NS_B ($IP_B), $LOSS % loss each way by $LOSS_METHOD"

E2E_KAM_NETNS=$NS_A
e2e_kam_start -i "$IP_A"
E2E_SIPP_NETNS=$NS_B E2E_SIPP_IP=$IP_B E2E_SIPP_TIMEOUT=90

# sent SCENARIO-DIR METHOD: how many times sipp sent METHOD requests.
sent() { grep -A2 "message sent" "$1"/*_messages.log | grep -c "^$2 "; }

pings=10
t0=$(e2e_ms)
# 30 % each way loses a transaction's round trip half the time: allow 15
# retransmissions (0.51^16, about 2e-5 per transaction) instead of 5.
e2e_sipp options.xml "$IP_A:$KAM_PORT" -m $pings -max_non_invite_retrans 15 \
  || e2e_fail "OPTIONS through loss: sipp $?"
n=$(sent "$E2E_SIPP_DIR_LAST" OPTIONS)
e2e_note "$pings OPTIONS through $LOSS % loss: $n sent ($((n - pings)) retransmissions)," \
  "$(($(e2e_ms) - t0)) ms"
[ "$(e2e_sipp_status "$E2E_SIPP_DIR_LAST" | wc -w)" -ge $pings ] \
  || e2e_fail "fewer than $pings replies"
[ "$n" -gt $pings ] || e2e_fail "no retransmission at $LOSS % loss: is loss applied?"

# Registration through loss is the job of hail-cli's own loss test
# (test-cli-loss.sh): sipp's REGISTER scenario cannot take a second 401 to a
# retransmission, which made this check fail about once in a few runs.
e2e_pass
