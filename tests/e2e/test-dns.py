#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""RFC 3263 server location against a real DNS server (issue #4): hail-cli
registers sip:alice@example.test, sends a MESSAGE and calls, in a private
network namespace whose resolver asks dns.py's server, with Kamailio in the
same namespace.

usage: test-dns.py CASE   (CASE: one of CASES below)
"""

import os
import socket
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import dns  # noqa: E402
import hailtest as ht  # noqa: E402

ACCOUNT = "sip:alice@example.test"
# Kamailio's ports in the namespace; nothing listens on DEAD_PORT.
KAM_PORT, KAM_TLS_PORT, DEAD_PORT = 5070, 5071, 5099
LOCAL = [["A", "127.0.0.1"]]


def setup(t, zone, **kam):
    ht.require("kamailio")
    ns = dns.Namespace(t)
    server = ns.dns_server(zone)
    return ns, server, ns.kamailio(**kam)


def register(t, ns, *args, password="alice-secret"):
    argv = [ht.hail_cli(), "--json", "--account", ACCOUNT, "--password-stdin"] + list(args)
    p = ns.spawn(argv + ["register"], name="hail-cli", env=t.isolated_env())
    p.send_line(password)
    return p


def expect_registered(p, timeout=20):
    ev = p.expect_event("registered", timeout=timeout)
    p.expect_event("unregistered", timeout=15)
    p.expect_exit(0, timeout=10)
    return ev


def expect_failed(p, within_ms, *words):
    t0 = ht.now_ms()
    ev = p.expect_event("registration-failed", timeout=within_ms / 1000)
    for w in words:
        assert w in ev["reason"], ev
    p.expect_exit(1, timeout=10)
    elapsed = ht.now_ms() - t0
    assert elapsed < within_ms, "failure took %d ms" % elapsed
    ht.log("failed in %d ms: %s" % (elapsed, ev["reason"]))
    return ev


def kam_saw(kam, text):
    with open(kam.log, errors="replace") as f:
        return text in f.read()


# ---------------------------------------------------------------- cases


def case_srv_udp(t):
    # (a) _sip._udp SRV -> sip1:KAM_PORT -> A.
    ns, server, kam = setup(t, {
        "example.test": [["NAPTR", 10, 50, "s", "SIP+D2U", "", "_sip._udp.pool.example.test"]],
        "_sip._udp.example.test": [["SRV", 10, 0, KAM_PORT, "sip1.example.test"]],
        "sip1.example.test": LOCAL,
    }, port=KAM_PORT, tls_port=KAM_TLS_PORT)
    expect_registered(register(t, ns))
    asked = [(q[0], q[1]) for q in server.queries()]
    # §4.1 order without NAPTR: secure first, then TCP, then UDP.
    srv = [q for q in asked if q[1] == "SRV"]
    assert srv[:3] == [("_sips._tcp.example.test", "SRV"), ("_sip._tcp.example.test", "SRV"),
                       ("_sip._udp.example.test", "SRV")], asked
    assert ("sip1.example.test", "A") in asked, asked
    # No NAPTR lookup (see hail-sip-resolver.h for why).
    assert not [q for q in asked if q[1] == "NAPTR"], asked


def case_srv_failover_no_address(t):
    # (b) The preferred SRV target has no address: the next priority serves.
    ns, server, kam = setup(t, {
        "_sip._udp.example.test": [["SRV", 20, 0, KAM_PORT, "sip2.example.test"],
                                   ["SRV", 10, 0, KAM_PORT, "sip1.example.test"]],
        "sip2.example.test": LOCAL,
    }, port=KAM_PORT, tls_port=KAM_TLS_PORT)
    expect_registered(register(t, ns))
    asked = [(q[0], q[1]) for q in server.queries()]
    first = asked.index(("sip1.example.test", "A"))
    assert first < asked.index(("sip2.example.test", "A")), asked


def dead_then_kamailio(t, transport):
    # Priority 10 at DEAD_PORT, priority 20 at Kamailio's port.
    return setup(t, {
        "_sip._%s.example.test" % transport: [["SRV", 10, 0, DEAD_PORT, "sip1.example.test"],
                                              ["SRV", 20, 0, KAM_PORT, "sip1.example.test"]],
        "sip1.example.test": LOCAL,
    }, port=KAM_PORT, tls_port=KAM_TLS_PORT)


def case_srv_failover_down(t):
    # (b) The preferred SRV target resolves but nothing listens there (TCP:
    # refused at once): the client moves on to the next priority.
    ns, server, kam = dead_then_kamailio(t, "tcp")
    ev = expect_registered(register(t, ns))
    assert "transport=tcp" in ev["contact"], ev


def case_srv_failover_timeout(t):
    # (b) Over UDP a dead target only shows by silence: after timer F
    # (64*T1, 32 s) the client moves on to the next priority.
    ns, server, kam = dead_then_kamailio(t, "udp")
    t0 = ht.now_ms()
    expect_registered(register(t, ns), timeout=60)
    ht.log("registered after %d ms" % (ht.now_ms() - t0))


def case_srv_failover_503(t):
    # (b) RFC 3263 §4.3: a 503 from the preferred server moves on to the
    # next one.
    ns, server, kam = dead_then_kamailio(t, "udp")
    busy = start_busy(ns, DEAD_PORT)
    expect_registered(register(t, ns))
    assert "REGISTER" in busy_requests(busy, 1), busy.text


def case_refresh_resolves_again(t):
    # The registrar that served moves (its SRV now names another server)
    # and then answers the refresh with 503: the refresh looks the domain
    # up again and registers with the new server, which the first lookup
    # did not know.
    ns, server, kam = setup(t, {
        "_sip._udp.example.test": [["SRV", 10, 0, DEAD_PORT, "sip1.example.test"]],
        "sip1.example.test": LOCAL,
    }, port=KAM_PORT, tls_port=KAM_TLS_PORT)
    old = start_busy(ns, DEAD_PORT, "--once")
    argv = [ht.hail_cli(), "--json", "--account", ACCOUNT, "--password-stdin", "--trace",
            "listen"]
    p = ns.spawn(argv, name="alice-listen", env=t.isolated_env())
    p.send_line("alice-secret")
    p.expect_event("registered", timeout=15)
    server.set_zone({
        "_sip._udp.example.test": [["SRV", 10, 0, KAM_PORT, "sip1.example.test"]],
        "sip1.example.test": LOCAL,
    })

    def kamailio_granted():
        with open(p.stderr_path, errors="replace") as f:
            blocks = f.read().split("<-- ")
        return any(b.startswith("UDP from 127.0.0.1:%d " % KAM_PORT)
                   and "\nSIP/2.0 200 OK" in b and " REGISTER\n" in b for b in blocks)

    # The binding is 4 s: the refresh goes out after 2 s.
    ht.wait_until(kamailio_granted, "the refresh to be granted by the new server", timeout=20)
    assert busy_requests(old, 2).count("REGISTER") >= 2, old.text
    srv = [q for q in server.queries() if q[:2] == ("_sip._udp.example.test", "SRV")]
    assert len(srv) >= 2, server.queries()
    assert not [line for line in p.seen if '"registration-failed"' in line], p.seen
    p.proc.terminate()
    p.expect_event("unregistered", timeout=15)
    p.expect_exit(0, timeout=10)


def busy_requests(busy, at_least):
    """The methods of the requests the busy server @busy printed, once it
    printed @at_least: it prints each before it answers, yet its stdout
    reaches busy.text through a reader thread that may not have run when the
    answer has already moved the client on (seen: text still ['ready'] under
    load after the 503 made the MESSAGE fail over)."""
    def methods():
        return [line.split()[0] for line in busy.text if " sip:" in line]

    ht.wait_until(lambda: len(methods()) >= at_least,
                  "the busy server to print %d request(s)" % at_least, timeout=10)
    return methods()


def start_busy(ns, port, mode="--busy"):
    busy = ns.spawn(["/usr/bin/python3", os.path.abspath(__file__), mode, port],
                    name="busy", stdin=False)
    ht.wait_until(lambda: "ready" in busy.text or busy.proc.poll() is not None,
                  "the busy server to bind", timeout=10)
    return busy


# MESSAGE and INVITE (issue #4 follow-up): alice sends to sip:bob@example.test
# with no proxy, so the request itself is located by RFC 3263 and fails
# over; bob listens through Kamailio's numeric address (no DNS for him).


def bob_listens(t, ns):
    argv = [ht.hail_cli(), "--json", "--account", "sip:bob@example.test", "--password-stdin",
            "--proxy", "sip:127.0.0.1:%d" % KAM_PORT, "listen", "--auto-answer"]
    bob = ns.spawn(argv, name="bob-listen", env=t.isolated_env())
    bob.send_line("bob-secret")
    bob.expect_event("registered", timeout=15)
    return bob


def alice(t, ns, *command):
    argv = [ht.hail_cli(), "--json", "--account", ACCOUNT, "--password-stdin", "--no-register",
            "--trace"] + list(command)
    p = ns.spawn(argv, name="alice-" + command[0], env=t.isolated_env())
    p.send_line("alice-secret")
    return p


def send_message(t, ns, bob, timeout):
    m = alice(t, ns, "message", "sip:bob@example.test", "failover 你好")
    ev = m.expect_event("message-sent", timeout=timeout)
    assert ev["status"] == 200, ev
    m.expect_exit(0, timeout=10)
    got = bob.expect_event("message-received", timeout=10)
    assert got["body"] == "failover 你好", got
    return "MESSAGE"


def make_call(t, ns, bob, timeout):
    c = alice(t, ns, "call", "sip:bob@example.test", "--duration", "1")
    c.expect_event("call-state", timeout=timeout, state="established")
    bob.expect_event("call-state", timeout=10, state="established")
    c.expect_event("call-state", timeout=15, state="terminated")
    c.expect_exit(0, timeout=15)
    return "INVITE"


def fails_over(t, transport, send, busy=False, timeout=20):
    # Priority 10 is dead (refused, 503 or silent), priority 20 Kamailio.
    ns, server, kam = dead_then_kamailio(t, transport)
    peer = start_busy(ns, DEAD_PORT) if busy else None
    bob = bob_listens(t, ns)
    t0 = ht.now_ms()
    method = send(t, ns, bob, timeout)
    ht.log("%s done after %d ms" % (method, ht.now_ms() - t0))
    if peer is not None:
        # One request there (and the ACK of its 503): no retry, no CANCEL.
        expected = [method] + (["ACK"] if method == "INVITE" else [])
        assert busy_requests(peer, len(expected)) == expected, peer.text


def failover_case(send, how):
    # The first SRV target refuses TCP ("down"), answers 503 over UDP, or
    # stays silent over UDP ("timeout": timer F or B, 32 s); a 503 counts
    # only before any provisional response (RFC 3263 §4.3).
    return lambda t: fails_over(t, "tcp" if how == "down" else "udp", send, busy=how == "503",
                                timeout=60 if how == "timeout" else 20)


# case_message_failover_down ... case_call_failover_timeout
for _what, _send in (("message", send_message), ("call", make_call)):
    for _how in ("down", "503", "timeout"):
        globals()["case_%s_failover_%s" % (_what, _how)] = failover_case(_send, _how)


def busy_server(port, grant_first=False):
    # Answers every request but ACK with 503 (inside the namespace: test-dns.py
    # --busy PORT); prints each request line. With grant_first (--once PORT)
    # the first REGISTER gets 200 with a 4-second binding instead.
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind(("127.0.0.1", port))
    print("ready", flush=True)
    while True:
        data, peer = s.recvfrom(65535)
        lines = data.decode("utf-8", "replace").split("\r\n")
        print(lines[0], flush=True)
        if lines[0].startswith("ACK "):
            continue
        keep = [h for h in lines[1:] if h.split(":")[0].strip().lower()
                in ("via", "from", "to", "call-id", "cseq")]
        status = ["SIP/2.0 503 Service Unavailable"]
        if grant_first and lines[0].startswith("REGISTER "):
            status = ["SIP/2.0 200 OK", "Expires: 4"]
            grant_first = False
        s.sendto(("\r\n".join(status + keep + ["Content-Length: 0", "", ""])).encode(), peer)


def case_a_only(t):
    # (c) No SRV at all: A of the domain, port 5060.
    ns, server, kam = setup(t, {"example.test": LOCAL}, port=5060, tls_port=5061)
    expect_registered(register(t, ns))
    asked = [(q[0], q[1]) for q in server.queries()]
    assert ("example.test", "A") in asked, asked


def tls_certs(t, name, sans):
    d = t.subdir(name)
    env = dict(os.environ, HAIL_CERT_SANS=sans)
    subprocess.run([os.path.join(ht.KAM_DIR, "gen-certs.sh"), d], env=env, check=True,
                   capture_output=True, timeout=60)
    return d


TLS_ZONE = {
    "_sips._tcp.example.test": [["SRV", 10, 0, KAM_TLS_PORT, "sip1.example.test"]],
    "_sip._udp.example.test": [["SRV", 10, 0, KAM_PORT, "sip1.example.test"]],
    "sip1.example.test": LOCAL,
}


def case_tls(t):
    # (d) sips: -> _sips._tcp and TLS; the certificate names the SIP domain
    # (RFC 5922 §4), not the SRV target.
    ht.require("openssl")
    certs = tls_certs(t, "certs-domain", "DNS:example.test")
    ns, server, kam = setup(t, TLS_ZONE, port=KAM_PORT, tls_port=KAM_TLS_PORT, certs=certs)
    for proxy in ("sips:example.test", "sip:example.test;transport=tls"):
        ev = expect_registered(register(t, ns, "--proxy", proxy, "--ca-file", kam.ca))
        assert ev["contact"].startswith("<sips:"), ev
    srv = [q[0] for q in server.queries() if q[1] == "SRV"]
    assert srv and all(q == "_sips._tcp.example.test" for q in srv), srv


def case_tls_target_name(t):
    # (d) A certificate for the SRV target's host only does not prove the
    # domain: refused.
    ht.require("openssl")
    certs = tls_certs(t, "certs-target", "DNS:sip1.example.test")
    ns, server, kam = setup(t, TLS_ZONE, port=KAM_PORT, tls_port=KAM_TLS_PORT, certs=certs)
    p = register(t, ns, "--proxy", "sips:example.test", "--ca-file", kam.ca)
    expect_failed(p, 15000, "TLS")


def case_nxdomain(t):
    # (e) The domain does not exist: a quick, clear failure.
    ns, server, kam = setup(t, {"example.test": LOCAL}, port=KAM_PORT, tls_port=KAM_TLS_PORT)
    p = register(t, ns, "--proxy", "sip:nowhere.test")
    expect_failed(p, 5000, "nowhere.test", "not found")


def failing_server(t, domain, behaviour, within_ms):
    # Every name of the domain gets `behaviour`: a bounded failure that
    # does not claim the name does not exist.
    zone = {n + domain: behaviour for n in ("", "_sips._tcp.", "_sip._tcp.", "_sip._udp.")}
    ns, server, kam = setup(t, zone, port=KAM_PORT, tls_port=KAM_TLS_PORT)
    p = register(t, ns, "--proxy", "sip:" + domain)
    ev = expect_failed(p, within_ms, domain, "DNS lookup failed")
    assert "not found" not in ev["reason"], ev


def case_servfail(t):
    # (f) The server answers SERVFAIL.
    failing_server(t, "broken.test", "servfail", 10000)


def case_no_answer(t):
    # (f) The server never answers: bounded by the resolver's timeout
    # (resolv.conf: 1 s, 1 try per query).
    failing_server(t, "silent.test", "drop", 20000)


def case_srv_target_missing(t):
    # SRV records whose targets do not exist: "not found", quickly.
    ns, server, kam = setup(t, {
        "_sip._udp.example.test": [["SRV", 10, 0, KAM_PORT, "sip1.example.test"],
                                   ["SRV", 20, 0, KAM_PORT, "sip2.example.test"]],
    }, port=KAM_PORT, tls_port=KAM_TLS_PORT)
    expect_failed(register(t, ns), 5000, "not found", "SRV targets of example.test")


def case_srv_target_servfail(t):
    # The SRV target's lookup fails on the server: not "not found".
    ns, server, kam = setup(t, {
        "_sip._udp.example.test": [["SRV", 10, 0, KAM_PORT, "sip1.example.test"]],
        "sip1.example.test": "servfail",
    }, port=KAM_PORT, tls_port=KAM_TLS_PORT)
    ev = expect_failed(register(t, ns), 10000, "DNS lookup failed", "SRV targets of example.test")
    assert "not found" not in ev["reason"], ev


def case_srv_no_service(t):
    # RFC 2782: a lone SRV target "." says there is no such service: the
    # next transport's SRV is used; when none is left, no fallback to A.
    ns, server, kam = setup(t, {
        "_sips._tcp.example.test": [["SRV", 0, 0, 0, "."]],
        "_sip._tcp.example.test": [["SRV", 10, 0, KAM_PORT, "sip1.example.test"]],
        "sip1.example.test": LOCAL,
        "other.test": LOCAL,
        "_sip._udp.other.test": [["SRV", 0, 0, 0, "."]],
    }, port=KAM_PORT, tls_port=KAM_TLS_PORT)
    ev = expect_registered(register(t, ns))
    assert "transport=tcp" in ev["contact"], ev
    p = register(t, ns, "--proxy", "sip:other.test")
    expect_failed(p, 5000, "other.test publishes no SIP service")
    assert ("other.test", "A") not in [(q[0], q[1]) for q in server.queries()]


def case_numeric(t):
    # (g) A numeric host with a port never asks DNS.
    ns, server, kam = setup(t, {"example.test": LOCAL}, port=KAM_PORT, tls_port=KAM_TLS_PORT)
    expect_registered(register(t, ns, "--proxy", "sip:127.0.0.1:%d" % KAM_PORT))
    assert server.queries() == [], server.queries()


def case_server(t):
    # The harness itself: records, CNAME, NXDOMAIN, NODATA and SERVFAIL as
    # glibc's resolver sees them, over UDP and (for a large answer) TCP.
    ns = dns.Namespace(t)
    big = [["SRV", 10, i, 5060, "host-%02d-with-a-long-name.example.test" % i]
           for i in range(20)]
    server = ns.dns_server({
        "example.test": [["A", "127.0.0.1"], ["AAAA", "::1"],
                         ["NAPTR", 10, 50, "s", "SIP+D2U", "", "_sip._udp.example.test"]],
        "www.example.test": [["CNAME", "example.test"]],
        "_sip._udp.example.test": big,
        "v4.example.test": LOCAL,
        "broken.test": "servfail",
    })

    def getent(*args):
        r = subprocess.run(ns.argv(["getent"] + list(args)), capture_output=True, text=True,
                           timeout=30)
        return r.returncode, r.stdout

    rc, out = getent("ahostsv4", "www.example.test")
    assert rc == 0 and "127.0.0.1" in out, (rc, out)
    rc, out = getent("ahostsv6", "example.test")
    assert rc == 0 and "::1" in out, (rc, out)
    rc, out = getent("hosts", "nowhere.test")
    assert rc == 2, (rc, out)
    # NODATA: the name exists, without AAAA (getent's ahostsv6 would map
    # the A record).
    r = subprocess.run(ns.argv(["/usr/bin/python3", "-c",
                                "import socket; socket.getaddrinfo('v4.example.test', None, "
                                "socket.AF_INET6)"]), capture_output=True, text=True, timeout=30)
    assert r.returncode != 0 and "gaierror" in r.stderr, r
    assert ("v4.example.test", "AAAA", "udp") in server.queries(), server.queries()
    rc, out = getent("hosts", "broken.test")
    assert rc == 2, (rc, out)
    # 20 SRV records do not fit 512 octets: truncated (TC) over UDP, whole
    # over TCP.
    probe = """
import socket, struct
q = struct.pack('!HHHHHH', 7, 0x0100, 1, 0, 0, 0)
q += b''.join(bytes([len(l)]) + l.encode() for l in '_sip._udp.example.test'.split('.'))
q += b'\\0' + struct.pack('!HH', 33, 1)
u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); u.settimeout(5)
u.sendto(q, ('127.0.0.1', 53)); r = u.recv(4096)
print('udp', len(r), bool(struct.unpack('!H', r[2:4])[0] & 0x200), struct.unpack('!H', r[6:8])[0])
t = socket.create_connection(('127.0.0.1', 53), timeout=5)
t.sendall(struct.pack('!H', len(q)) + q)
n = struct.unpack('!H', t.recv(2))[0]; r = b''
while len(r) < n: r += t.recv(n - len(r))
print('tcp', len(r), bool(struct.unpack('!H', r[2:4])[0] & 0x200), struct.unpack('!H', r[6:8])[0])
"""
    r = subprocess.run(ns.argv(["/usr/bin/python3", "-c", probe]), capture_output=True,
                       text=True, timeout=30)
    lines = [line.split() for line in r.stdout.splitlines()]
    assert r.returncode == 0 and len(lines) == 2, r
    assert lines[0][0] == "udp" and int(lines[0][1]) <= 512 and lines[0][2] == "True", lines
    assert lines[1][0] == "tcp" and lines[1][2] == "False" and lines[1][3] == "20", lines


CASES = {name[len("case_"):].replace("_", "-"): fn
         for name, fn in globals().items() if name.startswith("case_")}

if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] in ("--busy", "--once"):
        busy_server(int(sys.argv[2]), grant_first=sys.argv[1] == "--once")
    if len(sys.argv) != 2 or sys.argv[1] not in CASES:
        raise SystemExit("usage: test-dns.py " + "|".join(CASES))
    ht.run(CASES[sys.argv[1]], name="dns-" + sys.argv[1])
