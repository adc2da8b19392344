#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Self-test of the UAS scenarios in sipp/: each one is driven by
hailtest.SipClient, a raw SIP client that behaves once as a correct client
must and once as a wrong one, and the scenario must tell them apart.

usage: test-sipp-uas.py CASE   (CASE: one of CASES below)
"""

import os
import sys
import uuid

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import hailtest as ht  # noqa: E402


def start(t, scenario, *extra, nr=False, calls=1):
    port = ht.free_port("both")
    args = list(extra) + (["-nr"] if nr else [])
    sipp = t.sipp_bg(scenario, port, timeout=30, calls=calls, extra=args)
    client = ht.SipClient(port)
    t.own(client, client.close)
    return sipp, client


def sipp_result(sipp, want_ok):
    rc = sipp.wait(15)
    if want_ok:
        assert rc == 0, "sipp failed (rc %d) on a correct client:\n%s" % (rc, sipp.output())
    else:
        assert rc != 0, "sipp passed a wrong client"
    return rc


def registered_with_challenge(t, scenario, alg, qop, password, keys=()):
    sipp, c = start(t, scenario, *keys)
    status, h = c.transact("REGISTER", ["Expires: 3600"])
    assert status == 401, status
    t0 = ht.now_ms()
    status, h2 = c.transact("REGISTER", ["Expires: 3600",
                                         c.authorization(h["www-authenticate"], password,
                                                         alg=alg, qop=qop)])
    ht.log("%s: %s -> %d in %.1f ms" % (scenario, alg, status, ht.now_ms() - t0))
    return sipp, c, status


# ---------------------------------------------------------------- cases


def case_sha256(t):
    sipp, c, status = registered_with_challenge(t, "uas-register-sha256.xml", "SHA-256", "auth",
                                                "alice-secret")
    assert status == 200, status
    sipp_result(sipp, True)
    # An MD5 answer to a SHA-256 challenge must not register.
    sipp, c = start(t, "uas-register-sha256.xml")
    status, h = c.transact("REGISTER", ["Expires: 3600"])
    md5 = c.authorization(h["www-authenticate"], "alice-secret", alg="MD5", qop="auth")
    status, h = c.transact("REGISTER", ["Expires: 3600", md5])
    sipp_result(sipp, False)
    # No Authorization at all in the second REGISTER.
    sipp, c = start(t, "uas-register-sha256.xml")
    status, h = c.transact("REGISTER", ["Expires: 3600"])
    assert status == 401, status
    c.transact("REGISTER", ["Expires: 3600"])
    sipp_result(sipp, False)


def case_auth_int(t):
    keys = ["-key", "user", "alice", "-key", "password", "alice-secret"]
    sipp, c, status = registered_with_challenge(t, "uas-register-auth-int.xml", "MD5", "auth-int",
                                                "alice-secret", keys)
    assert status == 200, status
    sipp_result(sipp, True)
    sipp, c, status = registered_with_challenge(t, "uas-register-auth-int.xml", "MD5", "auth-int",
                                                "wrong", keys)
    assert status == 403, status
    sipp_result(sipp, False)


def case_stale(t):
    keys = ["-key", "user", "alice", "-key", "password", "alice-secret"]
    for good in (True, False):
        sipp, c = start(t, "uas-register-stale.xml", *keys)
        status, h = c.transact("REGISTER")
        assert status == 401 and "stale=" not in h["www-authenticate"], (status, h)
        first = h["www-authenticate"]
        status, h = c.transact("REGISTER", [c.authorization(first, "alice-secret", qop="auth")])
        assert status == 401 and "stale=true" in h["www-authenticate"], (status, h)
        # A correct client answers the new nonce; a wrong one repeats the old.
        challenge = h["www-authenticate"] if good else first
        status, h = c.transact("REGISTER", [c.authorization(challenge, "alice-secret", qop="auth")])
        assert status == 200 if good else status in (200, 403), status
        sipp_result(sipp, good)


def case_423(t):
    for good in (True, False):
        sipp, c = start(t, "uas-register-423.xml")
        status, h = c.transact("REGISTER", ["Expires: 60"])
        assert status == 423 and h.get("min-expires") == "1800", (status, h)
        status, h = c.transact("REGISTER", ["Expires: %s" % ("1800" if good else "600")])
        assert status == 200 and h.get("expires") == "1800", (status, h)
        sipp_result(sipp, good)


def case_third_retrans(t):
    for good in (True, False):
        sipp, c = start(t, "uas-register-third-retrans.xml", nr=True)
        c.request("REGISTER")
        got = []
        for copy in range(4):
            if not good and copy == 2:
                c.cseq -= 1
                c.request("REGISTER")   # same CSeq, new branch: a new transaction
            c.send()
            # Silence is expected for 0.3 s; the answer may take longer on
            # a loaded machine.
            got.append(c.recv(5.0 if good and copy == 3 else 0.3))
        if good:
            assert got[:3] == [None] * 3, got
            assert got[3] and got[3][0] == 200, got
        else:
            assert got == [None] * 4, got
        sipp_result(sipp, good)


def case_silent(t):
    sipp, c = start(t, "uas-silent.xml", nr=True)
    c.request("OPTIONS")
    for _ in range(3):
        c.send()
        assert c.recv(0.3) is None, "the silent peer answered"
    # Every copy reached the scenario: the message log lists three.
    log = os.path.join(os.path.dirname(sipp.stderr_path))
    ht.wait_until(lambda: count_received(log) == 3, "3 requests in the sipp log", timeout=5)
    assert sipp.proc.poll() is None, "the silent peer exited early"


def count_received(d):
    n = 0
    for f in os.listdir(d):
        if f.endswith("_messages.log"):
            with open(os.path.join(d, f), errors="replace") as fh:
                n += fh.read().count("message received")
    return n


def case_message(t):
    sipp, c = start(t, "message-uas.xml")
    status, h = c.transact("MESSAGE", ["Content-Type: text/plain"], body="hello")
    assert status == 200, status
    sipp_result(sipp, True)
    sipp, c = start(t, "message-uas.xml")
    c.transact("MESSAGE", [], body="no type")
    sipp_result(sipp, False)
    sipp, c = start(t, "uas-message-415.xml")
    status, h = c.transact("MESSAGE", ["Content-Type: application/x-unknown"], body="x")
    assert status == 415 and h.get("accept") == "text/plain", (status, h)
    sipp_result(sipp, True)
    for code, reason in ((480, "Temporarily Unavailable"), (408, "Request Timeout")):
        sipp, c = start(t, "uas-message-%d.xml" % code)
        status, h = c.transact("MESSAGE", ["Content-Type: text/plain"], body="hi")
        assert status == code, (status, code)
        sipp_result(sipp, True)


def case_options(t):
    sipp, c = start(t, "uas-options.xml", calls=3)
    for _ in range(3):
        c.call_id = uuid.uuid4().hex
        status, h = c.transact("OPTIONS")
        assert status == 200 and "MESSAGE" in h.get("allow", ""), (status, h)
    sipp_result(sipp, True)


CASES = {
    "sha256": case_sha256,
    "auth-int": case_auth_int,
    "stale": case_stale,
    "423": case_423,
    "third-retrans": case_third_retrans,
    "silent": case_silent,
    "message": case_message,
    "options": case_options,
}

if __name__ == "__main__":
    if len(sys.argv) != 2 or sys.argv[1] not in CASES:
        sys.exit("usage: test-sipp-uas.py " + "|".join(CASES))
    case = CASES[sys.argv[1]]

    def main(t):
        ht.require("sipp")
        case(t)

    ht.run(main, name="uas-" + sys.argv[1])
