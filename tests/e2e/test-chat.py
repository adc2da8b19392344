#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""hail-cli `message` and incoming messages in `listen` (issue #5) against
the harness Kamailio and sipp peers on 127.0.0.1, with the history each
side writes.

usage: test-chat.py CASE   (CASE: one of CASES below)
"""

import os
import signal
import socket
import sqlite3
import stat
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import hailtest as ht  # noqa: E402

DOMAIN = "example.test"
TEXTS = ["你好", "emoji 🎉👍🏽 and 中文 together", "line one\nline two\ttab"]
# Store states (src/store/hail-store-types.h).
QUEUED, SENDING, SENT, DELIVERED, DISPLAYED, FAILED = range(6)


def aor(user):
    return "sip:%s@%s" % (user, DOMAIN)


def cli(t, user, args, env, proxy=None, extra=(), name=None, password=True):
    argv = [ht.hail_cli(), "--json", "--account", aor(user)]
    if proxy:
        argv += ["--proxy", proxy]
    if password:
        argv.append("--password-stdin")
    argv += list(extra) + list(args)
    p = t.spawn(argv, name=name or "%s-%s" % (user, args[0]), env=env)
    if password:
        p.send_line("%s-secret" % user)
    return p


def rows(db, where="1", args=()):
    """(direction, body, state, status, reason, call_id, cseq) of every
    message in the history file db, oldest first."""
    con = sqlite3.connect("file:%s?mode=ro" % db, uri=True)
    try:
        return con.execute("SELECT direction, body, state, status, reason, call_id, cseq "
                           "FROM messages WHERE %s ORDER BY id" % where, args).fetchall()
    finally:
        con.close()


def listen(t, user, proxy, env, db, extra=()):
    p = cli(t, user, ["listen"], env, proxy=proxy, extra=["--db", db] + list(extra))
    p.expect_event("registered", timeout=15)
    return p


def stop(p):
    p.proc.send_signal(signal.SIGTERM)
    p.expect_exit(0, timeout=15)


def exchange(t, transport):
    """alice and bob, each registered with `listen`, send each other UTF-8
    texts with `message`; every text arrives byte-exact once and both
    histories hold it."""
    ht.require("kamailio")
    kam = t.kamailio()
    extra = []
    if transport == "tls":
        proxy = "sip:%s:%d;transport=tls" % (kam.ip, kam.tls_port)
        extra = ["--ca-file", kam.ca]
    else:
        proxy = "sip:%s;transport=%s" % (kam.address, transport)
    env = t.isolated_env()
    dbs = {u: t.path("%s.db" % u) for u in ("alice", "bob")}
    peers = {u: listen(t, u, proxy, env, dbs[u], extra) for u in ("alice", "bob")}
    for sender, receiver in (("alice", "bob"), ("bob", "alice")):
        for text in TEXTS:
            m = cli(t, sender, ["message", aor(receiver), text], env, proxy=proxy,
                    extra=["--no-register", "--db", dbs[sender], "--trace"] + extra)
            ev = m.expect_event("message-sent", timeout=15)
            assert ev["status"] == 200 and ev["mode"] == "pager", ev
            m.expect_exit(0, timeout=10)
            with open(m.stderr_path, errors="replace") as f:
                trace = f.read()
            assert "407 Proxy Authentication Required" in trace, "no proxy challenge"
            got = peers[receiver].expect_event("message-received", timeout=10)
            assert got["body"] == text, (got, text)
            assert got["from"] == aor(sender), got
            assert got["content_type"].startswith("text/plain"), got
    for p in peers.values():
        stop(p)
    for sender, receiver in (("alice", "bob"), ("bob", "alice")):
        out = [r for r in rows(dbs[sender]) if r[0] == 1]
        assert [r[1] for r in out] == TEXTS, out
        assert all(r[2] == SENT and r[3] == 200 for r in out), out
        inc = [r for r in rows(dbs[receiver]) if r[0] == 0]
        assert [r[1] for r in inc] == TEXTS, inc


def case_udp(t):
    exchange(t, "udp")


def case_tcp(t):
    exchange(t, "tcp")


def case_tls(t):
    exchange(t, "tls")


def case_acceptance(t):
    """The issue's acceptance command line, with "你好" on UDP, and a text
    too long for a datagram, which goes by session mode (INVITE with
    m=message, MSRP over TCP: issue #8)."""
    ht.require("kamailio")
    kam = t.kamailio()
    env = t.isolated_env()
    bob_db = t.path("bob.db")
    bob = listen(t, "bob", "sip:" + kam.address, env, bob_db)
    for text in ("你好", "长" * 700):
        m = cli(t, "alice", ["message", aor("bob"), text], env, proxy="sip:" + kam.address,
                extra=["--trace"])
        ev = m.expect_event("message-sent", timeout=15)
        assert ev["status"] == 200, ev
        mode = "session" if len(text) > 100 else "pager"
        assert ev["mode"] == mode, ev
        m.expect_exit(0, timeout=15)
        got = bob.expect_event("message-received", timeout=10)
        assert got["body"] == text and got["mode"] == mode, got
        if len(text) > 100:
            with open(m.stderr_path, errors="replace") as f:
                trace = f.read()
            assert "m=message" in trace, "a long message went without a session"
    stop(bob)
    # alice's history is the default one, under the isolated XDG data dir.
    alice_db = os.path.join(env["XDG_DATA_HOME"], "hail", "hail.db")
    assert [r[1] for r in rows(alice_db)] == ["你好", "长" * 700]
    assert [r[1] for r in rows(bob_db)] == ["你好", "长" * 700]


def sipp_peer(t, scenario):
    port = ht.free_port()
    peer = t.sipp_bg(scenario, port)
    return peer, "sip:bob@127.0.0.1:%d" % port


def case_sipp_415(t):
    """With --cpim, a 415 from the peer makes hail-cli send text/plain."""
    ht.require("sipp")
    env = t.isolated_env()
    db = t.path("alice.db")
    peer, uri = sipp_peer(t, "uas-message-415-cpim.xml")
    m = cli(t, "alice", ["message", "--cpim", uri, "bonjour"], env,
            extra=["--no-register", "--db", db], password=False)
    ev = m.expect_event("message-sent", timeout=15)
    assert ev["status"] == 200, ev
    m.expect_exit(0, timeout=10)
    assert peer.wait(10) == 0, "sipp: " + peer.output()
    assert [(r[1], r[2], r[3]) for r in rows(db)] == [("bonjour", SENT, 200)]


def refused(t, code, reason):
    ht.require("sipp")
    env = t.isolated_env()
    db = t.path("alice.db")
    peer, uri = sipp_peer(t, "uas-message-%d.xml" % code)
    m = cli(t, "alice", ["message", uri, "anyone there?"], env,
            extra=["--no-register", "--db", db], password=False)
    ev = m.expect_event("message-failed", timeout=15)
    assert ev["status"] == code and reason in ev["reason"], ev
    m.expect_exit(1, timeout=10)
    assert peer.wait(10) == 0, "sipp: " + peer.output()
    [r] = rows(db)
    assert r[2] == FAILED and r[3] == code and reason in r[4], r


def case_sipp_408(t):
    refused(t, 408, "Request Timeout")


def case_sipp_480(t):
    refused(t, 480, "Temporarily Unavailable")


def listen_direct(t, env, db):
    port = ht.free_port()
    p = cli(t, "alice", ["listen"], env, extra=["--no-register", "--db", db,
                                                 "--listen", "127.0.0.1:%d" % port],
            password=False)
    p.expect_event("listening", timeout=10)
    return p, "127.0.0.1:%d" % port


def case_sipp_retransmission(t):
    """The same MESSAGE twice (a new branch, same Call-ID and CSeq): both
    answered 200, shown and stored once."""
    ht.require("sipp")
    env = t.isolated_env()
    db = t.path("alice.db")
    alice, address = listen_direct(t, env, db)
    r = t.sipp("uac-message-twice.xml", address, extra=["-s", "alice"])
    assert r.rc == 0, r.logs()
    alice.expect_event("message-received", timeout=10, body="once only\r\n")
    stop(alice)
    received = [e for e in alice.seen if '"message-received"' in e]
    assert len(received) == 1, received
    assert [x[1] for x in rows(db)] == ["once only\r\n"]


def case_sipp_cpim(t):
    """message/cpim wrapping text/plain: the inner type and exact body."""
    ht.require("sipp")
    env = t.isolated_env()
    db = t.path("alice.db")
    alice, address = listen_direct(t, env, db)
    r = t.sipp("uac-message-cpim.xml", address, extra=["-s", "alice"])
    assert r.rc == 0, r.logs()
    ev = alice.expect_event("message-received", timeout=10)
    assert ev["content_type"] == "text/plain;charset=UTF-8", ev
    assert ev["body"] == "wrapped in CPIM\r\n", ev
    assert ev["from"] == "sip:sipp@example.test", ev
    stop(alice)
    assert [x[1] for x in rows(db)] == ["wrapped in CPIM\r\n"]


def case_crash(t):
    """SIGKILL while a stream of messages goes out; after a restart nothing
    the user sent is missing, each is sent or failed with a reason, and
    bob got each at most once."""
    ht.require("kamailio")
    kam = t.kamailio()
    env = t.isolated_env()
    proxy = "sip:" + kam.address
    alice_db, bob_db = t.path("alice.db"), t.path("bob.db")
    bob = listen(t, "bob", proxy, env, bob_db)
    m = cli(t, "alice", ["message", "--each-line", "--rate", "200", aor("bob"), "-"], env,
            proxy=proxy, extra=["--no-register", "--db", alice_db])
    typed = []
    for i in range(400):
        typed.append("stream %d 流" % i)
        m.send_line(typed[-1])
    m.expect_event("message-sent", timeout=15)
    time.sleep(0.5)   # kill in the middle of the stream (not a wait for a result)
    m.proc.send_signal(signal.SIGKILL)
    m.wait(10)
    before = rows(alice_db)
    again = cli(t, "alice", ["listen", "--for", "3"], env, proxy=proxy,
                extra=["--no-register", "--db", alice_db])
    again.expect_exit(0, timeout=30)
    stop(bob)
    after = rows(alice_db)
    bodies = [r[1] for r in after]
    assert bodies == typed[:len(bodies)], "history out of order or with gaps"
    # What hail-cli read before the kill is all in the history.
    assert len(after) == len(before) and len(after) > 0, (len(before), len(after))
    for r in after:
        assert r[2] == SENT or (r[2] == FAILED and r[4]), r
    got = [x[1] for x in rows(bob_db)]
    assert len(got) == len(set(got)), "bob stored a message twice"
    sent = [r[1] for r in after if r[2] == SENT]
    assert set(sent) <= set(got), "a message marked sent never reached bob"
    resent = sum('"resent":true' in e for e in again.seen)
    ht.log("crash: %d in alice's history at the kill, %d sent again at restart, bob has %d"
           % (len(before), resent, len(got)))


def load(t, n, rate):
    """n messages at `rate` per second through Kamailio to a `listen` peer;
    each delivered once and stored once on both sides."""
    ht.require("kamailio")
    kam = t.kamailio()
    env = t.isolated_env()
    proxy = "sip:%s;transport=tcp" % kam.address
    alice_db, bob_db = t.path("alice.db"), t.path("bob.db")
    bob = listen(t, "bob", proxy, env, bob_db)
    m = cli(t, "alice", ["message", "--each-line", "--rate", str(rate), aor("bob"), "-"], env,
            proxy=proxy, extra=["--no-register", "--db", alice_db])
    for i in range(n):
        m.proc.stdin.write(("load %d\n" % i).encode())
    m.proc.stdin.flush()
    m.close_stdin()
    t0 = time.monotonic()
    # Bounded, but loose: the rate is the offer; a loaded CI machine (or
    # ASan) may take several times longer, which is not a failure here.
    m.expect_exit(0, timeout=n / rate * 12 + 60)
    elapsed = time.monotonic() - t0
    sent = [e for e in m.seen if '"message-sent"' in e]
    assert len(sent) == n, "%d message-sent of %d" % (len(sent), n)
    ht.wait_until(lambda: sum('"message-received"' in e for e in bob.seen) >= n,
                  "bob to receive %d" % n, timeout=60)
    stop(bob)
    received = [e for e in bob.seen if '"message-received"' in e]
    assert len(received) == n, len(received)
    a = rows(alice_db)
    b = rows(bob_db)
    assert len(a) == n and all(r[2] == SENT for r in a), len(a)
    assert sorted(r[1] for r in b) == sorted("load %d" % i for i in range(n)), len(b)
    ht.log("load: %d messages in %.1f s (%.0f/s) through Kamailio, %d stored on each side"
           % (n, elapsed, n / elapsed, n))


def case_load(t):
    load(t, int(os.environ.get("HAIL_CHAT_LOAD", "10000")), 1000)


def refuse_invites(udp, sizes, stop_at):
    """A UDP-only peer: answers every INVITE with 488 (no message
    session) and records the size of every datagram it gets."""
    while time.monotonic() < stop_at:
        try:
            data, addr = udp.recvfrom(65536)
        except socket.timeout:
            continue
        except OSError:
            return
        sizes.append(len(data))
        text = data.decode("utf-8", "replace")
        if not text.startswith("INVITE "):
            continue
        head = text.split("\r\n\r\n", 1)[0].split("\r\n")
        keep = [h for h in head[1:] if h.split(":", 1)[0].strip().lower()
                in ("via", "from", "to", "call-id", "cseq")]
        keep = [h + ";tag=udp-only" if h.lower().startswith("to:") else h for h in keep]
        reply = "SIP/2.0 488 Not Acceptable Here\r\n" + "\r\n".join(keep) + \
            "\r\nContent-Length: 0\r\n\r\n"
        udp.sendto(reply.encode(), addr)


def case_too_long_udp_only(t):
    """A text too long for a datagram to a peer that refuses a message
    session and has no TCP: never a datagram over 1300 bytes, and a clear
    reason naming both ways."""
    import threading
    env = t.isolated_env()
    udp = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    udp.bind(("127.0.0.1", 0))
    udp.settimeout(0.2)
    port = udp.getsockname()[1]
    sizes = []
    peer = threading.Thread(target=refuse_invites, args=(udp, sizes, time.monotonic() + 20),
                            daemon=True)
    peer.start()
    try:
        m = cli(t, "alice", ["message", "sip:bob@127.0.0.1:%d" % port, "x" * 2000], env,
                extra=["--no-register", "--no-history"], password=False)
        ev = m.expect_event("message-failed", timeout=15)
        assert "488" in ev["reason"] and "TCP" in ev["reason"], ev
        m.expect_exit(1, timeout=10)
    finally:
        udp.close()
        peer.join(timeout=5)
    assert sizes, "the peer got no INVITE"
    assert all(n <= 1300 for n in sizes), sizes


def case_history_corrupt(t):
    """A file that is not a database: a clear error, exit 1, file intact."""
    env = t.isolated_env()
    db = t.path("garbage.db")
    junk = b"this is not SQLite " * 100
    with open(db, "wb") as f:
        f.write(junk)
    m = cli(t, "alice", ["message", "sip:bob@127.0.0.1:9", "hi"], env,
            extra=["--no-register", "--db", db], password=False)
    ev = m.expect_event("error", timeout=10)
    assert "history" in ev["message"], ev
    m.expect_exit(1, timeout=10)
    with open(db, "rb") as f:
        assert f.read() == junk, "the corrupt file was overwritten"


def case_history_read_only(t):
    """A history the user cannot write: a clear error, nothing sent, the
    file untouched. As root (who writes read-only files) the directory is
    bind-mounted read-only in a private mount namespace instead."""
    env = t.isolated_env()
    d = t.subdir("ro")
    db = os.path.join(d, "ro.db")
    first = cli(t, "alice", ["message", "sip:bob@127.0.0.1:9", "x"], env,
                extra=["--no-register", "--db", db, "--transport", "tcp"], password=False)
    first.expect_exit(1, timeout=20)
    with open(db, "rb") as f:
        before = f.read()
    argv = [ht.hail_cli(), "--json", "--account", aor("alice"), "--no-register", "--db", db,
            "message", "sip:bob@127.0.0.1:9", "hi"]
    if os.geteuid() == 0:
        ht.require("unshare", "mount")
        argv = ["unshare", "-m", "sh", "-c",
                'mount --bind "$0" "$0" && mount -o remount,ro,bind "$0" "$0" && exec "$@"',
                d] + argv
    else:
        os.chmod(db, stat.S_IRUSR)
        os.chmod(d, stat.S_IRUSR | stat.S_IXUSR)
    m = t.spawn(argv, name="alice-ro", env=env)
    ev = m.expect_event("error", timeout=10)
    assert "history" in ev["message"], ev
    m.expect_exit(1, timeout=10)
    assert not any('"message-sent"' in e or '"message-failed"' in e for e in m.seen), m.seen
    with open(db, "rb") as f:
        assert f.read() == before, "the read-only history changed"
    ht.log("read-only: " + ev["message"])


CASES = {name[5:].replace("_", "-"): fn for name, fn in globals().items()
         if name.startswith("case_")}

if __name__ == "__main__":
    if len(sys.argv) != 2 or sys.argv[1] not in CASES:
        sys.exit("usage: test-chat.py {%s}" % ",".join(sorted(CASES)))
    ht.run(CASES[sys.argv[1]], name="chat-" + sys.argv[1])
