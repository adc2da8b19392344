#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Kamailio's digest challenges, checked with hailtest.SipClient (which,
unlike sipp, computes SHA-256): by default the challenge carries no
algorithm= (MD5) and an MD5 answer registers; with HAIL_KAM_SHA256=1 it
says algorithm=SHA-256, a SHA-256 answer registers and an MD5 one is
challenged again. A user registering another user's address gets 403."""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import hailtest as ht  # noqa: E402


def challenge(kam, user="alice"):
    c = ht.SipClient(kam.port, kam.ip, user=user)
    status, h = c.transact("REGISTER", ["Expires: 60"])
    assert status == 401, status
    return c, h["www-authenticate"]


def register(c, chal, password, alg):
    t0 = ht.now_ms()
    status, h = c.transact("REGISTER", ["Expires: 60",
                                        c.authorization(chal, password, alg=alg, qop="auth")])
    return status, ht.now_ms() - t0


def main(t):
    ht.require("kamailio")
    kam = t.kamailio()
    c, chal = challenge(kam)
    t.own(c, c.close)
    assert "algorithm" not in chal, chal
    status, ms = register(c, chal, "alice-secret", "MD5")
    assert status == 200, status
    ht.log("MD5 REGISTER answered 200 in %.1f ms" % ms)
    c, chal = challenge(kam)
    t.own(c, c.close)
    status, _ = register(c, chal, "wrong", "MD5")
    assert status == 401, status
    kam.stop()

    kam = t.kamailio(sha256=True)
    c, chal = challenge(kam)
    t.own(c, c.close)
    assert "algorithm=SHA-256" in chal, chal
    status, ms = register(c, chal, "alice-secret", "SHA-256")
    assert status == 200, status
    ht.log("SHA-256 REGISTER answered 200 in %.1f ms" % ms)
    c, chal = challenge(kam)
    t.own(c, c.close)
    status, _ = register(c, chal, "alice-secret", "MD5")
    assert status == 401, "MD5 answer to a SHA-256 challenge: %d" % status

    # bob's credentials for alice's address: refused.
    c, chal = challenge(kam)
    t.own(c, c.close)
    c.user = "bob"
    c.request("REGISTER", ["Expires: 60"])
    c.user = "bob"
    auth = c.authorization(chal, "bob-secret", alg="SHA-256", qop="auth")
    c.cseq -= 1
    c.user = "alice"
    status, h = c.transact("REGISTER", ["Expires: 60", auth])
    assert status == 403, status


if __name__ == "__main__":
    ht.run(main)
