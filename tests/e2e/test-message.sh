#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Two sipp users exchange a MESSAGE through Kamailio: bob's UAS registers
# over UDP, alice's MESSAGE gets 407, is resent with Proxy-Authorization and
# bob's 200 comes back. Then the proxy's refusals after auth: unknown user
# 404, known but unregistered user 480, foreign domain 403.
source "$(dirname "$0")/lib.sh"
e2e_init
e2e_require kamailio sipp

e2e_kam_start

bob_port=$(e2e_free_port --both)
e2e_sipp_bg message-uas.xml "$bob_port"
bob=$E2E_PID
e2e_sipp register.xml "$KAM" -s bob -au bob -ap bob-secret -key cport "$bob_port" \
  -key ctransport udp -key expires 60 || e2e_fail "bob's REGISTER: sipp $?"

e2e_sipp message-uac.xml "$KAM" -s bob -key caller alice -key domain example.test \
  -au alice -ap alice-secret || e2e_fail "alice's MESSAGE: sipp $?"
got=$(e2e_sipp_status "$E2E_SIPP_DIR_LAST")
[ "$got" = "407 200" ] || e2e_fail "alice's MESSAGE: got '$got', want '407 200'"
e2e_note "MESSAGE with proxy auth, alice -> bob: $E2E_SIPP_MS ms for the sipp run"
e2e_wait_pid "$bob" 10 || e2e_fail "bob's UAS did not take the MESSAGE cleanly (status $?)"
grep -q "Hello bob, message 1 from alice" "$E2E_TMP"/*-sipp-message-uas/*_messages.log \
  || e2e_fail "bob did not get alice's text"
grep -q "^Proxy-Authorization: Digest" "$E2E_TMP"/*-sipp-message-uas/*_messages.log \
  && e2e_fail "the proxy relayed alice's credentials to bob"

# reject TARGET DOMAIN WANT
reject() {
  e2e_sipp message-uac-reject.xml "$KAM" -s "$1" -key caller alice -key domain "$2" \
    -au alice -ap alice-secret || e2e_fail "MESSAGE to $1@$2: sipp $?"
  got=$(e2e_sipp_status "$E2E_SIPP_DIR_LAST")
  [ "$got" = "407 $3" ] || e2e_fail "MESSAGE to $1@$2: got '$got', want '407 $3'"
}
reject dave example.test 404
reject carol example.test 480
reject bob elsewhere.test 403
e2e_pass
