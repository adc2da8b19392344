#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
#
# test-register.sh udp|tcp: sipp registers through Kamailio over one
# transport. The right password gets 401 then 200; a wrong password is
# challenged again (401) and never gets a 200; an unknown user's
# credentials get 403; unregistering (Contact: *) gets 200.
source "$(dirname "$0")/lib.sh"
e2e_init
e2e_require kamailio sipp
case ${1:-} in
  udp) t=u1 ;;
  tcp) t=t1 ;;
  *) e2e_fail "usage: test-register.sh udp|tcp" ;;
esac

e2e_kam_start
e2e_sipp register.xml "$KAM" -t $t -s bob -au bob -ap bob-secret -key cport 9 -key ctransport "$1" \
  -key expires 60 || e2e_fail "REGISTER with the right password: sipp $?"
got=$(e2e_sipp_status "$E2E_SIPP_DIR_LAST")
[ "$got" = "401 200" ] || e2e_fail "REGISTER with the right password: got '$got', want '401 200'"
e2e_note "REGISTER over $1 with challenge: $E2E_SIPP_MS ms for the sipp run"
grep -q "Expires: 60\|expires=60" "$E2E_SIPP_DIR_LAST"/*_messages.log \
  || e2e_fail "200 without the expiry"

e2e_sipp register-reject.xml "$KAM" -t $t -s bob -au bob -ap wrong-secret \
  || e2e_fail "REGISTER with a wrong password: sipp $?"
got=$(e2e_sipp_status "$E2E_SIPP_DIR_LAST")
[ "$got" = "401 401" ] || e2e_fail "REGISTER with a wrong password: got '$got', want '401 401'"

# The same scenario fails when the password is right: it must not pass
# whatever the registrar does.
if e2e_sipp register-reject.xml "$KAM" -t $t -s bob -au bob -ap bob-secret; then
  e2e_fail "register-reject.xml passed although the registrar accepted"
fi

e2e_sipp register-reject.xml "$KAM" -t $t -s dave -au dave -ap dave-secret \
  || e2e_fail "REGISTER of an unknown user: sipp $?"
got=$(e2e_sipp_status "$E2E_SIPP_DIR_LAST")
[ "$got" = "401 403" ] || e2e_fail "REGISTER of an unknown user: got '$got', want '401 403'"

e2e_sipp unregister.xml "$KAM" -t $t -s bob -au bob -ap bob-secret || e2e_fail "unregister: sipp $?"
e2e_pass
