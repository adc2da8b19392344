#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Kamailio starts on free ports, prints its variables, answers OPTIONS over
# UDP and TCP, serves TLS with the test CA (and not with another CA),
# refuses busy ports naming their owner, and stops freeing its ports.
source "$(dirname "$0")/lib.sh"
e2e_init
e2e_require kamailio sipp openssl ss

e2e_kam_start
for v in KAM_PID KAM_PORT KAM_TLS_PORT KAM_RUNDIR KAM_CA KAM_LOG KAM_STARTUP_MS; do
  [ -n "${!v:-}" ] || e2e_fail "run-kamailio.sh printed no $v"
done
[ "$(cat /proc/"$KAM_PID"/comm)" = kamailio ] || e2e_fail "HAIL_KAM_PID $KAM_PID is not kamailio"
e2e_udp_bound "$KAM_PORT" && e2e_tcp_bound "$KAM_PORT" && e2e_tcp_bound "$KAM_TLS_PORT" \
  || e2e_fail "kamailio does not listen on $KAM_PORT/$KAM_TLS_PORT"

e2e_sipp options.xml "$KAM" -m 3 || e2e_fail "OPTIONS over UDP: sipp $?"
[ "$(e2e_sipp_status "$E2E_SIPP_DIR_LAST")" = "200 200 200" ] \
  || e2e_fail "OPTIONS over UDP: not 3 x 200"
e2e_note "3 OPTIONS over UDP: sipp run $E2E_SIPP_MS ms"
e2e_sipp options.xml "$KAM" -t t1 || e2e_fail "OPTIONS over TCP: sipp $?"
[ "$(e2e_sipp_status "$E2E_SIPP_DIR_LAST")" = 200 ] || e2e_fail "OPTIONS over TCP: no 200"

# TLS: the server certificate verifies with the test CA, for the IP.
tls_log=$E2E_TMP/tls-ok.log
if ! timeout 10 openssl s_client -connect "$KAM_IP:$KAM_TLS_PORT" -CAfile "$KAM_CA" \
    -verify_return_error -verify_ip "$KAM_IP" -brief </dev/null >"$tls_log" 2>&1; then
  cat "$tls_log"
  e2e_fail "TLS with the test CA"
fi
grep -q "Verification: OK" "$tls_log" || e2e_fail "TLS: no 'Verification: OK'"
other=$E2E_TMP/other-ca
"$E2E_DIR/kamailio/gen-certs.sh" "$other" "Other CA"
if timeout 10 openssl s_client -connect "$KAM_IP:$KAM_TLS_PORT" -CAfile "$other/ca.crt" \
    -verify_return_error -brief </dev/null >"$E2E_TMP/tls-bad.log" 2>&1; then
  e2e_fail "TLS verified with a CA that did not sign the server certificate"
fi
grep -q "verify error" "$E2E_TMP/tls-bad.log" || e2e_fail "TLS with another CA: no verify error"

# A second instance on the same ports is refused, and the message names
# the process holding them.
busy=$E2E_TMP/busy
if "$E2E_DIR/kamailio/run-kamailio.sh" -p "$KAM_PORT" -t "$KAM_TLS_PORT" "$busy" \
    >/dev/null 2>"$busy.err"; then
  e2e_fail "run-kamailio.sh started on busy ports"
fi
grep -q "port $KAM_PORT (UDP) is in use" "$busy.err" && grep -q '"kamailio",pid=' "$busy.err" \
  || { cat "$busy.err"; e2e_fail "busy ports: no clear message"; }

# Stop: the PID goes away and the ports are free again.
t0=$(e2e_ms)
"$E2E_DIR/kamailio/stop-kamailio.sh" "$KAM_RUNDIR" >/dev/null || e2e_fail "stop-kamailio.sh failed"
e2e_note "stop took $(($(e2e_ms) - t0)) ms"
st=$(awk '{ print $3 }' /proc/"$KAM_PID"/stat 2>/dev/null || true)
[ -z "$st" ] || [ "$st" = Z ] || e2e_fail "kamailio $KAM_PID still running (state $st)"
! e2e_udp_bound "$KAM_PORT" && ! e2e_tcp_bound "$KAM_PORT" && ! e2e_tcp_bound "$KAM_TLS_PORT" \
  || e2e_fail "ports still bound after stop"
e2e_pass
