#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
#
# A call through Kamailio: bob's UAS registers over UDP; alice's INVITE gets
# 407, is resent with credentials and answered 200; the 200 carries the
# proxy's Record-Route, and the ACK and BYE follow that route set and the
# BYE is answered 200 by bob. Then, bob unregistered, a MESSAGE to him
# gets 480.
source "$(dirname "$0")/lib.sh"
e2e_init
e2e_require kamailio sipp

e2e_kam_start
bob_port=$(e2e_free_port --both)
e2e_sipp_bg invite-uas.xml "$bob_port"
bob=$E2E_PID
e2e_sipp register.xml "$KAM" -s bob -au bob -ap bob-secret -key cport "$bob_port" \
  -key ctransport udp -key expires 60 || e2e_fail "bob's REGISTER: sipp $?"

e2e_sipp invite-uac.xml "$KAM" -s bob -key caller alice -au alice -ap alice-secret -d 200 \
  || e2e_fail "alice's call: sipp $?"
alice_dir=$E2E_SIPP_DIR_LAST
got=$(e2e_sipp_status "$alice_dir")
case $got in
  "407 "*"200 200") ;;
  *) e2e_fail "alice's call: got '$got', want 407, 1xx, 200, then 200 for the BYE" ;;
esac
e2e_note "call with proxy auth, 200 ms long, INVITE to BYE's 200: $E2E_SIPP_MS ms for the sipp run"
grep -q "^Record-Route: <sip:$KAM_IP:$KAM_PORT;lr" "$alice_dir"/*_messages.log \
  || e2e_fail "the 200 carries no Record-Route of the proxy"
# The BYE goes to bob's Contact with the proxy as its Route.
grep -A3 "^BYE sip:bob@127.0.0.1:$bob_port" "$alice_dir"/*_messages.log \
  | grep -q "^Route: <sip:$KAM_IP:$KAM_PORT;lr" || e2e_fail "the BYE does not follow the route set"
e2e_wait_pid "$bob" 10 || e2e_fail "bob's UAS did not end the call cleanly (status $?)"

e2e_sipp unregister.xml "$KAM" -s bob -au bob -ap bob-secret || e2e_fail "unregister: sipp $?"
e2e_sipp message-uac-reject.xml "$KAM" -s bob -key caller alice -key domain example.test \
  -au alice -ap alice-secret || e2e_fail "MESSAGE to unregistered bob: sipp $?"
[ "$(e2e_sipp_status "$E2E_SIPP_DIR_LAST")" = "407 480" ] || e2e_fail "unregistered bob: not 480"
e2e_pass
