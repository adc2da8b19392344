#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""MSRP relays (RFC 4976) for session-mode chat: hail-cli peers that AUTH
to the harness Kamailio's msrp module on its TLS port (digest against the
same users as REGISTER) and send long texts and files through it; a peer
with a relay and one without; a wrong password; a relay whose certificate
is not trusted.

usage: test-msrp-relay.py CASE   (CASE: one of CASES below)
"""

import hashlib
import importlib.util
import os
import signal
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import hailtest as ht  # noqa: E402

# The direct-session cases' helpers: addresses and the UTF-8 test text.
_spec = importlib.util.spec_from_file_location("test_msrp", os.path.join(HERE, "test-msrp.py"))
msrp = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(msrp)
aor, utf8_text = msrp.aor, msrp.utf8_text


def relay_kamailio(t):
    """The harness Kamailio with its MSRP relay (WITH_MSRP) loaded."""
    ht.require("kamailio")
    kam = ht.Kamailio(t.subdir("kamailio"))
    kam.env["HAIL_KAM_MSRP"] = "1"
    t.own(kam, kam.stop)
    kam.start()
    return kam


def relay_uri(kam):
    return "msrps://%s:%d;tcp" % (kam.ip, kam.tls_port)


class Peers:
    """bob listening, alice's commands, over a TCP account (so that a
    refused session may fall back to MESSAGE), each with or without the
    relay."""

    def __init__(self, t, alice_relay=True, bob_relay=True, bob_extra=(), tls=False):
        self.t = t
        self.kam = relay_kamailio(t)
        if tls:
            self.proxy = "sip:%s:%d;transport=tls" % (self.kam.ip, self.kam.tls_port)
        else:
            self.proxy = "sip:%s:%d;transport=tcp" % (self.kam.ip, self.kam.port)
        self.env = t.isolated_env()
        self.alice_relay = alice_relay
        self.bob = self.cli("bob", ["listen"] + list(bob_extra), relay=bob_relay)
        self.bob.expect_event("registered", timeout=15)

    def cli(self, user, args, relay=True, password=None, ca=True, extra=(), name=None):
        argv = [ht.hail_cli(), "--json", "--account", aor(user), "--proxy", self.proxy,
                "--password-stdin", "--db", self.t.path("%s.db" % user)] + list(extra)
        if ca:
            argv += ["--ca-file", self.kam.ca]
        if relay:
            argv += ["--msrp-relay", relay_uri(self.kam)]
        p = self.t.spawn(argv + list(args), name=name or "%s-%s" % (user, args[0]),
                         env=self.env)
        p.send_line(password or "%s-secret" % user)
        return p

    def stop_bob(self):
        self.bob.proc.send_signal(signal.SIGTERM)
        self.bob.expect_exit(0, timeout=15)


def send_text(peers, size=3000, extra=()):
    """alice sends a size-byte text to bob over a session; returns her
    hail-cli (its stderr holds the --trace)."""
    text = utf8_text(size)
    m = peers.cli("alice", ["message", aor("bob"), "-"], relay=peers.alice_relay, extra=extra)
    m.proc.stdin.write(text.encode())
    m.close_stdin()
    ev = m.expect_event("message-sent", timeout=30)
    assert ev["status"] == 200 and ev["mode"] == "session", ev
    m.expect_exit(0, timeout=15)
    got = peers.bob.expect_event("message-received", timeout=15)
    assert got["mode"] == "session", {k: v for k, v in got.items() if k != "body"}
    assert got["body"].encode() == text.encode(), "the text changed on the way"
    return m


def case_text_3000(t):
    """Both peers on the relay: a 3,000-byte UTF-8 text arrives byte-exact
    over a session, and bob's relay connection is the one it came by."""
    peers = Peers(t)
    send_text(peers)
    peers.stop_bob()


def case_tls_text_3000(t):
    """TLS accounts (msrps sessions) both on the relay: the text arrives,
    and with a relay in the path no a=fingerprint is offered (nobody
    reaches our own certificate)."""
    peers = Peers(t, tls=True)
    m = send_text(peers, extra=["--trace"])
    with open(m.stderr_path, errors="replace") as f:
        trace = f.read()
    assert "TCP/TLS/MSRP" in trace and "a=path:msrps://" in trace, "no msrps offer"
    assert "a=fingerprint" not in trace, "a fingerprint offered through a relay"
    peers.stop_bob()


def case_file_1mb(t):
    """Both peers on the relay: a 1 MB file arrives with the same SHA-256
    (in chunks the relay takes)."""
    dl = t.path("downloads")
    os.makedirs(dl)
    peers = Peers(t, bob_extra=["--download-dir", dl])
    src = t.path("one.bin")
    with open(src, "wb") as f:
        f.write(os.urandom(1000 * 1000))
    with open(src, "rb") as f:
        digest = hashlib.sha256(f.read()).hexdigest()
    s = peers.cli("alice", ["send-file", aor("bob"), src])
    ev = s.expect_event("file-sent", timeout=60)
    assert ev["sha256"] == digest and ev["mode"] == "session", ev
    s.expect_exit(0, timeout=15)
    got = peers.bob.expect_event("file-received", timeout=30)
    assert got["sha256"] == digest, got
    with open(got["path"], "rb") as f:
        assert hashlib.sha256(f.read()).hexdigest() == digest
    peers.stop_bob()


def case_one_side(t):
    """alice behind the relay, bob direct: bob answers passive so that the
    relay reaches him at his path, and the text arrives; then bob, direct,
    sends to alice on the relay, and that arrives too."""
    peers = Peers(t, alice_relay=True, bob_relay=False)
    send_text(peers)
    peers.stop_bob()
    # The other way: alice on the relay listens, bob direct sends.
    alice = peers.cli("alice", ["listen"], relay=True, name="alice-listen")
    alice.expect_event("registered", timeout=15)
    text = utf8_text(3000)
    m = peers.cli("bob", ["message", aor("alice"), text], relay=False, name="bob-message")
    ev = m.expect_event("message-sent", timeout=30)
    assert ev["status"] == 200 and ev["mode"] == "session", ev
    m.expect_exit(0, timeout=15)
    got = alice.expect_event("message-received", timeout=15)
    assert got["mode"] == "session" and got["body"] == text, "the text changed on the way"
    alice.proc.send_signal(signal.SIGTERM)
    alice.expect_exit(0, timeout=15)


def case_wrong_password(t):
    """A wrong password: the relay refuses AUTH, and the failure names the
    relay; the text then tries MESSAGE over TCP (refused too: the password
    is the account's)."""
    peers = Peers(t, bob_relay=False)
    m = peers.cli("alice", ["message", aor("bob"), utf8_text(3000)], password="wrong",
                  extra=["--no-register"])
    ev = m.expect_event("message-failed", timeout=30)
    ht.log("wrong password: " + ev["reason"])
    assert "MSRP relay %s" % relay_uri(peers.kam) in ev["reason"], ev
    assert "password was refused" in ev["reason"], ev
    assert "as a MESSAGE" in ev["reason"], ev
    m.expect_exit(1, timeout=15)
    peers.stop_bob()


def case_untrusted(t):
    """A relay whose certificate alice does not trust: the text fails with
    the certificate's subject and issuer, and nothing reaches bob."""
    peers = Peers(t, bob_relay=False)
    m = peers.cli("alice", ["message", aor("bob"), utf8_text(3000)], ca=False)
    ev = m.expect_event("message-failed", timeout=30)
    ht.log("untrusted relay: " + ev["reason"])
    assert "MSRP relay %s" % relay_uri(peers.kam) in ev["reason"], ev
    assert "certificate subject: " in ev["reason"] and "issuer: " in ev["reason"], ev
    assert "Hail tests" in ev["reason"], ev
    m.expect_exit(1, timeout=15)
    peers.stop_bob()
    assert not any('"message-received"' in e for e in peers.bob.seen), peers.bob.seen


CASES = {name[5:].replace("_", "-"): fn for name, fn in globals().items()
         if name.startswith("case_")}

if __name__ == "__main__":
    if len(sys.argv) != 2 or sys.argv[1] not in CASES:
        sys.exit("usage: test-msrp-relay.py {%s}" % ",".join(sorted(CASES)))
    ht.run(CASES[sys.argv[1]], name="msrp-relay-" + sys.argv[1])
