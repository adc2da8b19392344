#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""A client that registers over TCP or TLS (verified against the test CA)
and runs no server is still reached: Kamailio sends it alice's MESSAGE
over the connection it opened (nathelper, received), the client answers
200 on it, and alice (sipp, over UDP) gets that 200.

usage: test-connreuse.py tcp|tls"""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import hailtest as ht  # noqa: E402


def main(t):
    ht.require("kamailio", "sipp")
    transport = sys.argv[1]
    kam = t.kamailio()
    port = kam.tls_port if transport == "tls" else kam.port
    bob = ht.SipClient(port, kam.ip, user="bob", transport=transport, cafile=kam.ca)
    t.own(bob, bob.close)
    status, h = bob.transact("REGISTER", ["Expires: 60"])
    assert status == 401, status
    status, h = bob.transact("REGISTER", ["Expires: 60",
                                          bob.authorization(h["www-authenticate"], "bob-secret",
                                                            qop="auth")])
    assert status == 200, status

    # alice's MESSAGE, in the background, while bob waits on his connection.
    alice = t.spawn(ht.sipp_argv("message-uac.xml", kam.address, timeout=20, extra=[
        "-s", "bob", "-key", "caller", "alice", "-key", "domain", "example.test",
        "-au", "alice", "-ap", "alice-secret"]), name="sipp-alice", stdin=False)
    t0 = ht.now_ms()
    m = bob.recv_message(timeout=15)
    assert m is not None, "no MESSAGE reached bob over his %s connection" % transport
    start, hdrs, text = m
    assert start.startswith("MESSAGE sip:bob@"), start
    assert "Hello bob, message 1 from alice" in text, text
    assert "proxy-authorization" not in hdrs, "alice's credentials were relayed"
    bob.reply(text, 200, "OK")
    alice.expect_exit(0, timeout=20)
    ht.log("MESSAGE to bob over his %s connection delivered and answered in %.0f ms"
           % (transport.upper(), ht.now_ms() - t0))


if __name__ == "__main__":
    if len(sys.argv) != 2 or sys.argv[1] not in ("tcp", "tls"):
        sys.exit("usage: test-connreuse.py tcp|tls")
    ht.run(main, name="connreuse-" + sys.argv[1])
