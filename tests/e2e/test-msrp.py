#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Session-mode chat (issue #8): long texts and files between two hail-cli
peers through the harness Kamailio over a UDP account (the SIP goes by UDP,
MSRP by TCP) and over TLS accounts (MSRP over TLS, certificates pinned by
a=fingerprint), and against sipp peers that take no message session.

usage: test-msrp.py CASE   (CASE: one of CASES below)
"""

import hashlib
import os
import re
import shutil
import signal
import socket
import sqlite3
import ssl
import subprocess
import sys
import threading

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import hailtest as ht  # noqa: E402

DOMAIN = "example.test"
# Store modes (src/store/hail-store-types.h).
PAGER, SESSION = range(2)
# A file larger than the default limit must be allowed on both sides.
BIG_LIMIT = str(256 * 1024 * 1024)


def aor(user):
    return "sip:%s@%s" % (user, DOMAIN)


def cli(t, user, args, env, proxy, extra=(), name=None):
    argv = [ht.hail_cli(), "--json", "--account", aor(user), "--proxy", proxy,
            "--password-stdin"] + list(extra) + list(args)
    p = t.spawn(argv, name=name or "%s-%s" % (user, args[0]), env=env)
    p.send_line("%s-secret" % user)
    return p


def utf8_text(size):
    """Exactly size bytes of mixed 1- to 4-byte UTF-8 (padded with ASCII)."""
    unit = "héllo 世界 🎉 "
    text = unit * (size // len(unit.encode()) + 1)
    while len(text.encode()) > size:
        text = text[:-1]
    return text + "x" * (size - len(text.encode()))


def modes(db):
    con = sqlite3.connect("file:%s?mode=ro" % db, uri=True)
    try:
        return [r[0] for r in con.execute("SELECT mode FROM messages ORDER BY id")]
    finally:
        con.close()


def kamailio_pair(t, bob_extra=(), bob_options=()):
    ht.require("kamailio")
    kam = t.kamailio()
    proxy = "sip:%s;transport=udp" % kam.address
    env = t.isolated_env()
    bob = cli(t, "bob", ["listen"] + list(bob_extra), env, proxy,
              extra=["--db", t.path("bob.db")] + list(bob_options))
    bob.expect_event("registered", timeout=15)
    return kam, proxy, env, bob


def long_text(t, size):
    """A size-byte UTF-8 text on alice's standard input arrives byte-exact
    through an MSRP session, and both histories say so."""
    kam, proxy, env, bob = kamailio_pair(t)
    text = utf8_text(size)
    m = cli(t, "alice", ["message", aor("bob"), "-"], env, proxy,
            extra=["--db", t.path("alice.db"), "--trace"])
    m.proc.stdin.write(text.encode())
    m.close_stdin()
    ev = m.expect_event("message-sent", timeout=30)
    assert ev["status"] == 200 and ev["mode"] == "session", ev
    m.expect_exit(0, timeout=15)
    got = bob.expect_event("message-received", timeout=15)
    assert got["mode"] == "session", {k: v for k, v in got.items() if k != "body"}
    assert got["body"].encode() == text.encode(), "the text changed on the way"
    with open(m.stderr_path, errors="replace") as f:
        trace = f.read()
    assert "m=message" in trace and "TCP/MSRP" in trace, "no m=message in the INVITE"
    # The session is torn down by a BYE before hail-cli exits.
    assert "\nBYE sip:" in trace, "the session was not ended with BYE"
    bob.proc.send_signal(signal.SIGTERM)
    bob.expect_exit(0, timeout=15)
    assert modes(t.path("alice.db")) == [SESSION], modes(t.path("alice.db"))
    assert modes(t.path("bob.db")) == [SESSION], modes(t.path("bob.db"))


def case_text_3000(t):
    long_text(t, 3000)


def case_text_100000(t):
    long_text(t, 100000)


def make_file(path, size):
    with open(path, "wb") as f:
        f.write(os.urandom(size))
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


def case_file_5mb(t):
    """A 5 MB file arrives with the same SHA-256, with progress on the way."""
    dl = t.path("downloads")
    os.makedirs(dl)
    kam, proxy, env, bob = kamailio_pair(t, ["--download-dir", dl])
    src = t.path("five.bin")
    digest = make_file(src, 5 * 1000 * 1000)
    s = cli(t, "alice", ["send-file", aor("bob"), src], env, proxy)
    prog = s.expect_event("file-progress", timeout=30)
    assert prog["total"] == 5 * 1000 * 1000, prog
    ev = s.expect_event("file-sent", timeout=60)
    assert ev["sha256"] == digest and ev["size"] == 5 * 1000 * 1000, ev
    assert ev["mode"] == "session", ev
    s.expect_exit(0, timeout=15)
    got = bob.expect_event("file-received", timeout=30)
    assert got["sha256"] == digest and got["name"] == "five.bin", got
    with open(got["path"], "rb") as f:
        assert hashlib.sha256(f.read()).hexdigest() == digest
    assert os.path.dirname(os.path.abspath(got["path"])) == os.path.abspath(dl), got
    bob.proc.send_signal(signal.SIGTERM)
    bob.expect_exit(0, timeout=15)


class Restarting:
    """bob listening on a fixed address with a download directory and a
    history, which a second bob can take over; a size-byte file for him."""

    def __init__(self, t, size):
        self.t = t
        self.dl = t.path("downloads")
        os.makedirs(self.dl)
        self.listen_addr = "127.0.0.1:%d" % ht.free_port()
        self.bob_extra = ["--download-dir", self.dl, "--max-file-size", BIG_LIMIT]
        kam, self.proxy, self.env, self.bob = kamailio_pair(
            t, self.bob_extra, ["--listen", self.listen_addr])
        self.src = t.path("big.bin")
        self.size = size
        self.digest = make_file(self.src, size)

    def send(self, *options):
        return cli(self.t, "alice", ["send-file", "--max-file-size", BIG_LIMIT] + list(options)
                   + [aor("bob"), self.src], self.env, self.proxy)

    def restart_bob(self):
        bob2 = cli(self.t, "bob", ["listen"] + self.bob_extra, self.env, self.proxy,
                   name="bob-listen-again",
                   extra=["--db", self.t.path("bob.db"), "--listen", self.listen_addr])
        bob2.expect_event("registered", timeout=15)
        return bob2


def case_receiver_killed(t):
    """Killing the receiver mid-transfer fails the send with a reason (exit
    1, no hang); once the receiver is back, the same file goes through."""
    r = Restarting(t, 64 * 1024 * 1024)
    src, size, digest, env, proxy, bob = r.src, r.size, r.digest, r.env, r.proxy, r.bob
    s = r.send()
    # At the first acknowledged bytes the transfer is under way.
    s.expect_event("file-progress", timeout=30)
    bob.proc.kill()
    bob.wait(10)
    ev = s.expect_event("file-failed", timeout=60)
    assert ev["reason"], ev
    ht.log("receiver killed: " + ev["reason"])
    s.expect_exit(1, timeout=15)
    assert not any('"file-sent"' in e for e in s.seen), s.seen
    # The receiver restarts (a new registration) and the retry works.
    bob2 = r.restart_bob()
    s2 = cli(t, "alice", ["send-file", "--max-file-size", BIG_LIMIT, aor("bob"), src], env,
             proxy, name="alice-send-file-again")
    ev = s2.expect_event("file-sent", timeout=120)
    assert ev["sha256"] == digest, ev
    s2.expect_exit(0, timeout=15)
    got = bob2.expect_event("file-received", timeout=30)
    assert got["sha256"] == digest and got["size"] == size, got


def case_receiver_resumed(t):
    """RFC 5547 9: the receiver is killed mid-transfer and restarted on the
    same download directory and history; the sender's retry (SIGUSR1 with
    --resume-on-usr1) offers the file past what the receiver reported, the
    receiver writes on in its part, and the file arrives whole with fewer
    bytes sent again than the file holds."""
    r = Restarting(t, 32 * 1024 * 1024)
    size, digest, bob, dl = r.size, r.digest, r.bob, r.dl
    s = r.send("--resume-on-usr1")
    # Past 2 MiB acknowledged bob has reported at least one MiB (a report
    # every MiB); the rest, 30 MiB, cannot go in the moment the kill takes.
    while s.expect_event("file-progress", timeout=30)["sent"] < 2 * 1024 * 1024:
        pass
    bob.proc.kill()
    bob.wait(10)
    ev = s.expect_event("file-failed", timeout=60)
    assert ev["reason"], ev
    assert "big.bin.part" in os.listdir(dl), os.listdir(dl)
    bob2 = r.restart_bob()
    s.proc.send_signal(signal.SIGUSR1)
    ev = s.expect_event("file-sent", timeout=120)
    assert ev["sha256"] == digest, ev
    skipped = ev.get("skipped", 0)
    again = size - skipped
    msg = "bytes sent after the retry: %d of %d (%d skipped)" % (again, size, skipped)
    ht.log(msg)
    print(msg)
    assert 0 < skipped < size, ev
    s.expect_exit(0, timeout=15)
    got = bob2.expect_event("file-received", timeout=30)
    assert got["sha256"] == digest and got["size"] == size, got
    assert sorted(os.listdir(dl)) == ["big.bin"], os.listdir(dl)


def tls_pair(t, bob_extra=()):
    """Kamailio and bob listening, both on TLS accounts."""
    ht.require("kamailio")
    kam = t.kamailio()
    proxy = "sip:%s:%d;transport=tls" % (kam.ip, kam.tls_port)
    extra = ["--ca-file", kam.ca]
    env = t.isolated_env()
    bob = cli(t, "bob", ["listen"] + list(bob_extra), env, proxy,
              extra=extra + ["--db", t.path("bob.db")])
    bob.expect_event("registered", timeout=15)
    return proxy, extra, env, bob


def start_capture(t):
    """dumpcap on the loopback interface, or None where it cannot capture
    (no dumpcap, no capture rights): then the wire is not checked."""
    if shutil.which("dumpcap") is None:
        ht.log("no dumpcap: the wire is not checked")
        return None
    pcap = t.path("lo.pcapng")
    # Bounded on its own too: a minute, 200 MB.
    p = t.spawn(["dumpcap", "-i", "lo", "-f", "tcp", "-w", pcap, "-a", "duration:60",
                 "-a", "filesize:200000"], name="dumpcap", stdin=False)

    def said(text):
        with open(p.stderr_path, errors="replace") as f:
            return text in f.read()

    ht.wait_until(lambda: said("Capturing on") or p.proc.poll() is not None,
                  "dumpcap to capture", timeout=10)
    if p.proc.poll() is not None:
        ht.log("dumpcap cannot capture here: the wire is not checked")
        return None
    return p, pcap


def tshark_fields(pcap, flt, field):
    r = subprocess.run(["tshark", "-r", pcap, "-Y", flt, "-T", "fields", "-e", field],
                       capture_output=True, text=True, timeout=60)
    assert r.returncode == 0 or "cut short" in r.stderr, r.stderr
    return r.stdout.split()


def wire_bytes(capture, ports):
    """Every TCP payload byte to or from ports, in capture order, once the
    capture file holds the connection's end (dumpcap writes in batches)."""
    p, pcap = capture
    ports_flt = "(%s)" % " || ".join("tcp.port == %d" % port for port in ports)
    ht.wait_until(lambda: tshark_fields(pcap, ports_flt + " && tcp.flags.fin == 1",
                                        "frame.number"),
                  "the MSRP connection's end in the capture", timeout=15, interval=0.3)
    p.stop()
    payloads = tshark_fields(pcap, ports_flt, "tcp.payload")
    return b"".join(bytes.fromhex(line.replace(":", "")) for line in payloads)


def case_tls_text_3000(t):
    """On a TLS account a long text goes by TCP/TLS/MSRP with our
    certificate's fingerprint in the SDP, never by plain TCP/MSRP, and
    arrives byte-exact; the MSRP connection carries only TLS records."""
    proxy, extra, env, bob = tls_pair(t)
    capture = start_capture(t)
    text = utf8_text(3000)
    m = cli(t, "alice", ["message", aor("bob"), text], env, proxy,
            extra=extra + ["--db", t.path("alice.db"), "--trace"])
    ev = m.expect_event("message-sent", timeout=30)
    assert ev["status"] == 200 and ev["mode"] == "session", ev
    m.expect_exit(0, timeout=15)
    got = bob.expect_event("message-received", timeout=15)
    assert got["mode"] == "session", got["mode"]
    assert got["body"].encode() == text.encode(), "the text changed on the way"
    with open(m.stderr_path, errors="replace") as f:
        trace = f.read()
    assert "TCP/MSRP" not in trace, "plain MSRP offered on a TLS account"
    # Our offer and bob's answer, each with a fingerprint to pin.
    ports = [int(x) for x in re.findall(r"m=message (\d+) TCP/TLS/MSRP", trace)]
    assert len(set(ports)) == 2, trace[-4000:]
    assert len(re.findall(r"a=fingerprint:sha-256 [0-9A-F:]{95}", trace)) >= 2, trace[-4000:]
    if capture is not None:
        wire = wire_bytes(capture, set(ports))
        ht.log("%d bytes of MSRP over TLS on the wire" % len(wire))
        assert len(wire) > 3000, len(wire)
        assert wire[:1] == b"\x16", "the connection does not start with a TLS handshake"
        assert b"MSRP " not in wire, "plaintext MSRP on the wire"
        assert "héllo".encode() not in wire, "the text crossed the wire in clear"


def case_tls_file_1mb(t):
    """On a TLS account a 1 MB file arrives over msrps with the same
    SHA-256."""
    dl = t.path("downloads")
    os.makedirs(dl)
    proxy, extra, env, bob = tls_pair(t, ["--download-dir", dl])
    src = t.path("one.bin")
    digest = make_file(src, 1000 * 1000)
    s = cli(t, "alice", ["send-file", aor("bob"), src], env, proxy, extra=extra)
    ev = s.expect_event("file-sent", timeout=60)
    assert ev["sha256"] == digest and ev["mode"] == "session", ev
    s.expect_exit(0, timeout=15)
    got = bob.expect_event("file-received", timeout=30)
    assert got["sha256"] == digest and got["size"] == 1000 * 1000, got
    with open(got["path"], "rb") as f:
        assert hashlib.sha256(f.read()).hexdigest() == digest


class Impostor:
    """A peer registered as bob over TLS whose SDP pins one certificate
    while its MSRP listener presents another, as a relay in the middle that
    terminates TLS would. It answers every INVITE (a=setup:passive, so the
    caller connects) and BYE, and records what reached it."""

    def __init__(self, t, kam):
        self.key, self.crt = t.path("impostor.key"), t.path("impostor.crt")
        subprocess.run(["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt",
                        "ec_paramgen_curve:P-256", "-nodes", "-subj", "/CN=impostor",
                        "-days", "1", "-keyout", self.key, "-out", self.crt],
                       check=True, capture_output=True, timeout=30)
        # The fingerprint of a certificate it does not present.
        self.pinned = "sha-256 " + ":".join("%02X" % b for b in hashlib.sha256(b"x").digest())
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.listener.settimeout(30)
        self.msrp_port = self.listener.getsockname()[1]
        self.tls_outcome = None
        self.methods = []
        self.sip = ht.SipClient(kam.tls_port, host=kam.ip, user="bob", transport="tls",
                                cafile=kam.ca)
        status, h = self.sip.transact("REGISTER", ["Expires: 60"])
        assert status == 401, status
        status, h = self.sip.transact("REGISTER", [
            "Expires: 60", self.sip.authorization(h["www-authenticate"], "bob-secret")])
        assert status == 200, status
        self.tls_thread = threading.Thread(target=self._serve_tls, daemon=True)
        self.tls_thread.start()

    def _serve_tls(self):
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        ctx.load_cert_chain(self.crt, self.key)
        try:
            conn, _ = self.listener.accept()
        except OSError as e:
            self.tls_outcome = "no connection: %s" % e
            return
        conn.settimeout(30)
        try:
            with ctx.wrap_socket(conn, server_side=True) as tls:
                data = tls.recv(65536)
                self.tls_outcome = "read %d plaintext bytes" % len(data)
        except (ssl.SSLError, OSError) as e:
            self.tls_outcome = "refused: %s" % e

    def answer(self, request):
        sdp = ("v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n"
               "m=message %d TCP/TLS/MSRP *\r\na=accept-types:message/cpim text/plain\r\n"
               "a=path:msrps://127.0.0.1:%d/impostor1;tcp\r\na=setup:passive\r\n"
               "a=fingerprint:%s\r\n") % (self.msrp_port, self.msrp_port, self.pinned)
        head = request.split("\r\n\r\n", 1)[0].split("\r\n")[1:]
        keep = ("via", "v", "from", "f", "call-id", "i", "cseq", "record-route")
        lines = ["SIP/2.0 200 OK"]
        for line in head:
            name = line.partition(":")[0].strip().lower()
            if name in keep:
                lines.append(line)
            elif name in ("to", "t"):
                lines.append(line if ";tag=" in line else line + ";tag=impostor")
        lines += ["Contact: <sip:bob@%s;transport=tls>" % self.sip.local,
                  "Content-Type: application/sdp", "Content-Length: %d" % len(sdp), "", sdp]
        self.sip.send("\r\n".join(lines).encode())

    def serve_sip(self, until):
        """Answers requests until until() holds (bounded by its caller)."""
        while not until():
            m = self.sip.recv_message(timeout=0.2)
            if m is None or m[0].startswith("SIP/2.0"):
                continue
            method = m[0].split()[0]
            self.methods.append(method)
            if method == "INVITE":
                self.answer(m[2])
            elif method != "ACK":
                self.sip.reply(m[2], 200, "OK")

    def close(self):
        self.listener.close()
        self.sip.close()


def case_tls_mismatch(t):
    """A peer whose MSRP certificate is not the one its SDP pins is
    refused with the reason, and the text does not go to it by any other
    way."""
    ht.require("kamailio", "openssl")
    kam = t.kamailio()
    proxy = "sip:%s:%d;transport=tls" % (kam.ip, kam.tls_port)
    env = t.isolated_env()
    impostor = Impostor(t, kam)
    t.own(impostor, impostor.close)
    m = cli(t, "alice", ["message", aor("bob"), utf8_text(3000)], env, proxy,
            extra=["--ca-file", kam.ca, "--db", t.path("alice.db")])
    impostor.serve_sip(lambda: m.proc.poll() is not None)
    ev = m.expect_event("message-failed", timeout=30)
    assert "does not match the fingerprint in its SDP" in ev["reason"], ev
    m.expect_exit(1, timeout=15)
    impostor.tls_thread.join(timeout=30)
    ht.log("impostor: %s; SIP: %s" % (impostor.tls_outcome, " ".join(impostor.methods)))
    assert impostor.tls_outcome.startswith("refused"), impostor.tls_outcome
    assert "INVITE" in impostor.methods and "MESSAGE" not in impostor.methods, impostor.methods


def tcp_listening(port, pid):
    """Whether process pid listens on TCP port (from /proc/net/tcp)."""
    want = ":%04X" % port
    inodes = ht._socket_inodes(pid)
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            with open(table) as f:
                next(f)
                for line in f:
                    cols = line.split()
                    if cols[1].endswith(want) and cols[3] == "0A" and cols[9] in inodes:
                        return True
        except (OSError, StopIteration, IndexError):
            continue
    return False


def case_sipp_488(t):
    """A peer that answers the INVITE with 488: the long text goes as a
    MESSAGE over TCP, which sipp (on TCP only) takes; the history says
    pager."""
    ht.require("sipp")
    env = t.isolated_env()
    port = ht.free_port()
    d = t.subdir("sipp-uas-invite-488-message")
    argv = ht.sipp_argv("uas-invite-488-message.xml", calls=2, timeout=30, transport="t1",
                        port=port)
    sipp = ht.Proc(argv, d, "sipp", cwd=d, stdin=False)
    t.own(sipp, sipp.stop)
    ht.wait_until(lambda: tcp_listening(port, sipp.pid) or sipp.proc.poll() is not None,
                  "sipp to listen on TCP %d" % port, timeout=10)
    db = t.path("alice.db")
    uri = "sip:127.0.0.1:%d;transport=tcp" % port
    text = utf8_text(3000)
    argv = [ht.hail_cli(), "--json", "--account", aor("alice"), "--no-register",
            "--proxy", uri, "--db", db, "message", "sip:bob@127.0.0.1:%d" % port, text]
    m = t.spawn(argv, name="alice-message", env=env)
    ev = m.expect_event("message-sent", timeout=30)
    assert ev["status"] == 200 and ev["mode"] == "pager", ev
    m.expect_exit(0, timeout=15)
    assert sipp.wait(30) == 0, sipp.output()
    assert modes(db) == [PAGER], modes(db)


CASES = {name[5:].replace("_", "-"): fn for name, fn in globals().items()
         if name.startswith("case_")}

if __name__ == "__main__":
    if len(sys.argv) != 2 or sys.argv[1] not in CASES:
        sys.exit("usage: test-msrp.py {%s}" % ",".join(sorted(CASES)))
    ht.run(CASES[sys.argv[1]], name="msrp-" + sys.argv[1])
