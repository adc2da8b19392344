#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""hail-cli register, options and listen against the harness Kamailio and
sipp peers on 127.0.0.1 (issue #4's acceptance list).

usage: test-cli.py CASE   (CASE: one of CASES below)
"""

import glob
import os
import random
import socket
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import hailtest as ht  # noqa: E402

ACCOUNT = "sip:alice@example.test"


def cli(t, *args, password="alice-secret", env=None, name=None):
    argv = [ht.hail_cli(), "--json", "--account", ACCOUNT] + list(args)
    p = t.spawn(argv, name=name or "hail-cli", env=env or t.isolated_env())
    if password is not None:
        p.send_line(password)
    return p


def register(t, proxy, *extra, password="alice-secret"):
    return cli(t, "--proxy", proxy, "--password-stdin", *extra, "register", password=password)


def assert_registered_and_unregistered(p):
    ev = p.expect_event("registered", timeout=15)
    assert ev["expires"] == 3600, ev
    assert '+sip.instance="<urn:uuid:' in ev["contact"], ev
    p.expect_event("unregistered", timeout=15)
    p.expect_exit(0, timeout=10)
    return ev


# ---------------------------------------------------------------- Kamailio


def case_udp(t):
    ht.require("kamailio")
    kam = t.kamailio()
    p = register(t, "sip:%s;transport=udp" % kam.address, "--trace")
    assert_registered_and_unregistered(p)
    # --trace shows every message, never the password or a digest response.
    with open(p.stderr_path, errors="replace") as f:
        trace = f.read()
    assert trace.count("REGISTER sip:example.test SIP/2.0") >= 3, trace[-2000:]
    assert "Authorization: Digest" in trace, trace[-2000:]
    assert "alice-secret" not in trace and "response=" not in trace, trace[-2000:]


def case_tcp(t):
    ht.require("kamailio")
    kam = t.kamailio()
    ev = assert_registered_and_unregistered(register(t, "sip:%s;transport=tcp" % kam.address))
    assert "transport=tcp" in ev["contact"], ev


def case_tls(t):
    ht.require("kamailio")
    kam = t.kamailio()
    p = register(t, "sip:%s:%d;transport=tls" % (kam.ip, kam.tls_port), "--ca-file", kam.ca)
    ev = assert_registered_and_unregistered(p)
    assert ev["contact"].startswith("<sips:"), ev


def case_tls_untrusted(t):
    ht.require("kamailio", "openssl")
    kam = t.kamailio()
    other = t.subdir("other-ca")
    subprocess.run([os.path.join(ht.KAM_DIR, "gen-certs.sh"), other], check=True,
                   capture_output=True, timeout=60)
    p = register(t, "sip:%s:%d;transport=tls" % (kam.ip, kam.tls_port),
                 "--ca-file", os.path.join(other, "ca.crt"))
    ev = p.expect_event("registration-failed", timeout=15)
    assert "TLS certificate not trusted" in ev["reason"], ev
    assert ev["status"] == 503, ev
    p.expect_exit(1, timeout=10)


def case_wrong_password(t):
    ht.require("kamailio")
    kam = t.kamailio()
    for transport in ("tcp", "udp"):
        p = register(t, "sip:%s;transport=%s" % (kam.address, transport), password="wrong")
        ev = p.expect_event("registration-failed", timeout=15)
        assert ev["status"] == 401, ev
        assert "wrong password" in ev["reason"], ev
        p.expect_exit(1, timeout=10)


def case_refused(t):
    # Nothing listens on this TCP port: "at once", not after timer F.
    port = ht.free_port("tcp")
    t0 = ht.now_ms()
    p = register(t, "sip:127.0.0.1:%d;transport=tcp" % port)
    ev = p.expect_event("registration-failed", timeout=10)
    assert "unreachable" in ev["reason"], ev
    p.expect_exit(1, timeout=10)
    assert ht.now_ms() - t0 < 5000, "refusal took %d ms" % (ht.now_ms() - t0)


def case_stay_sigterm(t):
    ht.require("kamailio")
    kam = t.kamailio()
    p = cli(t, "--proxy", "sip:%s;transport=tcp" % kam.address, "--password-stdin",
            "register", "--stay")
    p.expect_event("registered", timeout=15)
    time.sleep(0.2)  # still registered: nothing else is printed
    assert p.proc.poll() is None, p.output()
    p.proc.terminate()
    p.expect_event("unregistered", timeout=10)
    p.expect_exit(0, timeout=10)


def case_options(t):
    ht.require("kamailio")
    kam = t.kamailio()
    p = cli(t, "--proxy", "sip:%s" % kam.address, "--password-stdin",
            "options", "sip:%s" % kam.address)
    p.expect_event("registered", timeout=15)
    ev = p.expect_event("options-answer", timeout=15)
    assert ev["status"] == 200, ev
    p.expect_event("unregistered", timeout=15)
    p.expect_exit(0, timeout=10)
    # A user who is not registered: Kamailio says 480 (or 404): exit 1.
    p = cli(t, "--proxy", "sip:%s" % kam.address, "--no-register", "options",
            "sip:carol@example.test", password=None)
    ev = p.expect_event("options-answer", timeout=15)
    assert ev["status"] >= 300, ev
    p.expect_exit(1, timeout=10)


def case_bad_input(t):
    p = cli(t, "--proxy", "sip:127.0.0.1:9", "--password-stdin", "options", "not a uri")
    p.expect_event("error", timeout=10)
    p.expect_exit(2, timeout=10)
    p = cli(t, "--proxy", "sip:127.0.0.1:9", "register", password=None, name="no-password")
    ev = p.expect_event("error", timeout=10)
    assert "password" in ev["message"], ev
    p.expect_exit(1, timeout=10)


# ---------------------------------------------------------------- sipp UASes


def sipp_register(t, scenario, *keys, t1_ms=None, nr=False):
    port = ht.free_port("both")
    extra = list(keys) + (["-nr"] if nr else [])
    sipp = t.sipp_bg(scenario, port, timeout=40, extra=extra)
    env = t.isolated_env(**({"HAIL_SIP_T1_MS": t1_ms} if t1_ms else {}))
    p = cli(t, "--proxy", "sip:127.0.0.1:%d" % port, "--password-stdin", "register", "--stay",
            env=env)
    return sipp, p


def finish_sipp(t, sipp, p):
    rc = sipp.wait(30)
    assert rc == 0, "sipp failed (rc %d):\n%s" % (rc, sipp.output())
    # The scenario is over: nobody answers the un-REGISTER, which hail-cli
    # bounds (5 s) and reports as an error.
    p.proc.terminate()
    p.wait(15)


def case_sha256(t):
    ht.require("sipp")
    sipp, p = sipp_register(t, "uas-register-sha256.xml", t1_ms=50)
    p.expect_event("registered", timeout=15, expires=3600)
    finish_sipp(t, sipp, p)


def case_auth_int(t):
    ht.require("sipp")
    sipp, p = sipp_register(t, "uas-register-auth-int.xml", "-key", "user", "alice",
                            "-key", "password", "alice-secret", t1_ms=50)
    p.expect_event("registered", timeout=15)
    finish_sipp(t, sipp, p)


def case_stale(t):
    ht.require("sipp")
    sipp, p = sipp_register(t, "uas-register-stale.xml", "-key", "user", "alice",
                            "-key", "password", "alice-secret", t1_ms=50)
    p.expect_event("registered", timeout=15)
    finish_sipp(t, sipp, p)


def case_423(t):
    ht.require("sipp")
    sipp, p = sipp_register(t, "uas-register-423.xml", t1_ms=50)
    p.expect_event("registered", timeout=15, expires=1800)
    finish_sipp(t, sipp, p)


def case_third_retrans(t):
    ht.require("sipp")
    t0 = ht.now_ms()
    sipp, p = sipp_register(t, "uas-register-third-retrans.xml", nr=True)
    p.expect_event("registered", timeout=20)
    # T1 = 500 ms: copies at 0, 0.5, 1.5 and 3.5 s; the 200 answers the last.
    elapsed = ht.now_ms() - t0
    assert elapsed >= 3400, "registered after %d ms, before the third retransmission" % elapsed
    finish_sipp(t, sipp, p)


def case_silent(t):
    ht.require("sipp")
    port = ht.free_port("both")
    sipp = t.sipp_bg("uas-silent.xml", port, timeout=60, extra=["-nr"])
    env = t.isolated_env(HAIL_SIP_T1_MS=50)
    t0 = ht.now_ms()
    p = cli(t, "--proxy", "sip:127.0.0.1:%d" % port, "--password-stdin", "register", env=env)
    ev = p.expect_event("registration-failed", timeout=20)
    elapsed = ht.now_ms() - t0
    assert ev["status"] == 408 and "timeout" in ev["reason"], ev
    p.expect_exit(1, timeout=10)
    # Timer F = 64*T1 = 3.2 s; copies at 0, 50, 150, 350, 750, 1550, 3150 ms.
    assert 3100 <= elapsed < 15000, "timer F after %d ms" % elapsed
    sipp.stop()
    copies = 0
    for f in glob.glob(os.path.join(os.path.dirname(sipp.stderr_path), "*_messages.log")):
        with open(f, errors="replace") as fh:
            copies += fh.read().count("REGISTER sip:example.test SIP/2.0")
    assert 4 <= copies <= 8, "%d copies of the REGISTER" % copies
    ht.log("timer F after %d ms, %d copies" % (elapsed, copies))


# ---------------------------------------------------------------- listen


def listen(t, *extra, env=None):
    p = cli(t, "--listen", "127.0.0.1:0", "--no-register", "listen", *extra, password=None,
            env=env)
    addresses = {}
    for _ in range(2):
        ev = p.expect_event("listening", timeout=10)
        addresses[ev["transport"]] = ev["address"]
    assert set(addresses) == {"udp", "tcp"}, addresses
    return p, addresses


def rss_kb(pid):
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def options_answered(port, transport="udp"):
    c = ht.SipClient(port, transport=transport)
    try:
        status, h = c.transact("OPTIONS", to="hail@127.0.0.1:%d" % port)
    finally:
        c.close()
    assert status == 200, status
    assert "MESSAGE" in h.get("allow", ""), h
    assert "application/sdp" in h.get("accept", ""), h


def case_listen(t):
    p, addresses = listen(t, "--for", "30")
    udp_port = int(addresses["udp"].rsplit(":", 1)[1])
    tcp_port = int(addresses["tcp"].rsplit(":", 1)[1])
    options_answered(udp_port)
    options_answered(tcp_port, "tcp")
    p.proc.send_signal(2)   # SIGINT
    p.expect_exit(0, timeout=10)


def case_listen_registered(t):
    # alice listens, registered through Kamailio over UDP, then TCP (where
    # Kamailio reaches her over the connection she opened); bob's OPTIONS,
    # challenged by Kamailio (407), reaches her and she answers it.
    ht.require("kamailio")
    kam = t.kamailio()
    for transport in ("udp", "tcp"):
        alice = cli(t, "--proxy", "sip:%s;transport=%s" % (kam.address, transport),
                    "--password-stdin", "listen", "--for", "60", name="alice-" + transport)
        alice.expect_event("registered", timeout=15)
        bob = t.spawn([ht.hail_cli(), "--json", "--account", "sip:bob@example.test",
                       "--proxy", "sip:%s" % kam.address, "--no-register", "--password-stdin",
                       "options", "sip:alice@example.test"], name="bob-" + transport,
                      env=t.isolated_env())
        bob.send_line("bob-secret")
        ev = bob.expect_event("options-answer", timeout=15)
        assert ev["status"] == 200, ev
        assert "MESSAGE" in ev["allow"] and "application/sdp" in ev["accept"], ev
        bob.expect_exit(0, timeout=10)
        alice.proc.terminate()
        alice.expect_event("unregistered", timeout=10)
        alice.expect_exit(0, timeout=10)


def case_listen_for(t):
    t0 = ht.now_ms()
    p, _ = listen(t, "--for", "1")
    p.expect_exit(0, timeout=10)
    assert ht.now_ms() - t0 >= 1000, "stopped after %d ms" % (ht.now_ms() - t0)


def case_garbage(t):
    env = t.isolated_env()
    if "ASAN_OPTIONS" in env:
        # ASan keeps freed blocks in quarantine (256 MB): RSS would measure it.
        env["ASAN_OPTIONS"] += ":quarantine_size_mb=0"
    p, addresses = listen(t, env=env)
    port = int(addresses["udp"].rsplit(":", 1)[1])
    options_answered(port)
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    corpus = sorted(f for f in glob.glob(os.path.join(root, "fuzz", "corpus", "*", "*"))
                    + glob.glob(os.path.join(root, "data", "sip", "*", "*")) if os.path.isfile(f))
    rng = random.Random(4)
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sent = 0
    for rounds in range(5):
        for path in corpus:
            with open(path, "rb") as f:
                data = f.read()[:65000]
            if data:
                sock.sendto(data, ("127.0.0.1", port))
                sent += 1
        for _ in range(2000):
            n = rng.randrange(1, 1500)
            data = bytes(rng.randrange(256) for _ in range(n))
            if rng.random() < 0.5:
                data = b"OPTIONS sip:x SIP/2.0\r\nVia: SIP/2.0/UDP 1.2.3.4;branch=z9hG4bK" + data
            sock.sendto(data, ("127.0.0.1", port))
            sent += 1
        # Let it drain before the next round, so memory is measured, not queues.
        options_answered(port)
        if rounds == 0:
            # After one round caches and tables are warm: from here on,
            # memory must stay flat, however much garbage follows.
            before = rss_kb(p.pid)
    sock.close()
    after = rss_kb(p.pid)
    ht.log("%d datagrams; RSS after round 1 %d kB, after round 5 %d kB" % (sent, before, after))
    assert p.proc.poll() is None, p.output()
    assert after - before < 4 * 1024, "RSS grew from %d to %d kB" % (before, after)
    options_answered(port)
    p.proc.terminate()
    p.expect_exit(0, timeout=10)


CASES = {name[5:].replace("_", "-"): fn for name, fn in globals().items()
         if name.startswith("case_")}

if __name__ == "__main__":
    if len(sys.argv) != 2 or sys.argv[1] not in CASES:
        sys.exit("usage: test-cli.py %s" % "|".join(sorted(CASES)))
    ht.run(CASES[sys.argv[1]], name="cli-" + sys.argv[1])
