#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
#
# TLS to Kamailio through a socat bridge (sipp 3.6 has no TLS): sipp
# speaks TCP to socat, which opens TLS to Kamailio and verifies the
# server certificate. With the test CA the REGISTER gets 401 then 200;
# with a CA that did not sign the certificate the handshake fails, socat
# says why, and no SIP message gets through.
source "$(dirname "$0")/lib.sh"
e2e_init
e2e_require kamailio sipp socat

e2e_kam_start

# bridge CAFILE: start socat on a free port; sets BRIDGE_PORT, BRIDGE_LOG.
bridge() {
  BRIDGE_PORT=$(e2e_free_port --tcp)
  e2e_spawn socat socat -d -d \
    "TCP-LISTEN:$BRIDGE_PORT,bind=127.0.0.1,reuseaddr,fork" \
    "OPENSSL:$KAM_IP:$KAM_TLS_PORT,cafile=$1,verify=1,commonname=localhost"
  BRIDGE_LOG=$E2E_LOG
  e2e_wait_for 5 "socat on TCP $BRIDGE_PORT" e2e_tcp_bound "$BRIDGE_PORT"
}

bridge "$KAM_CA"
e2e_sipp register.xml "127.0.0.1:$BRIDGE_PORT" -t t1 -s alice -au alice -ap alice-secret \
  -key cport 9 -key ctransport tls -key expires 60 \
  || { cat "$BRIDGE_LOG"; e2e_fail "REGISTER over TLS: sipp $?"; }
got=$(e2e_sipp_status "$E2E_SIPP_DIR_LAST")
[ "$got" = "401 200" ] || e2e_fail "REGISTER over TLS: got '$got', want '401 200'"
e2e_note "REGISTER over TLS (socat bridge) with challenge: $E2E_SIPP_MS ms for the sipp run"
# Kamailio saw TLS: the binding is reached back over the TLS connection.
e2e_kam_rpc ul.dump >"$E2E_TMP/ul.dump" || e2e_fail "kamcmd ul.dump failed"
grep -qi "Received: sip:127.0.0.1:[0-9]*;transport=tls" "$E2E_TMP/ul.dump" \
  || { cat "$E2E_TMP/ul.dump"; e2e_fail "the binding was not received over TLS"; }

other=$E2E_TMP/other-ca
"$E2E_DIR/kamailio/gen-certs.sh" "$other" "Other CA"
bridge "$other/ca.crt"
E2E_SIPP_TIMEOUT=5
if e2e_sipp register.xml "127.0.0.1:$BRIDGE_PORT" -t t1 -s alice -au alice -ap alice-secret \
    -key cport 9 -key ctransport tls -key expires 60; then
  e2e_fail "REGISTER over TLS passed with an untrusted CA"
fi
got=$(e2e_sipp_status "$E2E_SIPP_DIR_LAST")
[ -z "$got" ] || e2e_fail "a response came through an unverified TLS link: '$got'"
e2e_wait_for 5 "socat to report the failed verification" \
  grep -q "certificate verify failed" "$BRIDGE_LOG"
e2e_pass
