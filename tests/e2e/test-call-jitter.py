#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Jitter without netem (issue #6): this kernel has no sch_netem, so a
call's RTP and RTCP go through hailtest.MediaRelay, which holds each
datagram a random 0 .. 60 ms (mean 30, so datagrams overtake each other)
and drops 5 %, each way, from a seeded generator. hail-cli calls hail-cli
through it, each side sending a tone (440 Hz one way, 1000 Hz the other);
both recordings must still peak at the right frequency (FFT). 'relay' and
'sdp' check the relay itself.

usage: test-call-jitter.py relay|sdp|pcmu|opus
"""

import os
import socket
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import hailtest as ht  # noqa: E402

tc = __import__("test-call")

LOSS = 0.05
JITTER = 0.03


def case_relay(t):
    """Datagrams through a jitter relay: those kept all arrive, some out of
    order; the loss and the mean hold are what was asked."""
    sink = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sink.bind(("127.0.0.1", 0))
    t.own(sink, sink.close)
    relay = t.relay(sink.getsockname(), loss=LOSS, seed=6, jitter=JITTER)
    src = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    src.bind(("127.0.0.1", 0))
    t.own(src, src.close)
    n = 400
    got = []

    def drain():
        while True:
            try:
                got.append(int(sink.recv(100, socket.MSG_DONTWAIT)))
            except BlockingIOError:
                return

    # In batches the relay takes in before the next, read as they come, so
    # that no socket buffer overflows on a loaded machine: every loss is
    # the relay's.
    for i in range(0, n, 20):
        for j in range(i, i + 20):
            src.sendto(b"%d" % j, ("127.0.0.1", relay.port))
        ht.wait_until(lambda: relay.stats["up"] == i + 20, "the relay to take datagram %d"
                      % (i + 19), timeout=10)
        drain()
    kept = n - relay.stats["up_dropped"]
    ht.wait_until(lambda: drain() or len(got) >= kept, "%d datagrams through the relay" % kept,
                  timeout=10)
    s = relay.stats
    ht.log("relay: %d sent, %d dropped, %d received, %d out of order, mean hold %.1f ms"
           % (n, s["up_dropped"], len(got), s["reordered"], s["held_ms"] / kept))
    assert len(got) == kept, "%d of %d kept datagrams arrived" % (len(got), kept)
    assert len(set(got)) == kept, "a datagram arrived twice"
    assert 0.01 < s["up_dropped"] / n < 0.12, s
    assert s["reordered"] > 0 and got != sorted(got), "nothing overtook"
    assert 20.0 < s["held_ms"] / kept < 40.0, s


def case_sdp(t):
    """The SIP relay rewrites each m= port and Content-Length, and keeps
    one relay pair per port (a retransmission reuses it)."""
    relay = t.media_relay(("127.0.0.1", 9), loss=LOSS, jitter=JITTER)
    body = (b"v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n"
            b"m=audio 40000 RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\n")
    msg = (b"SIP/2.0 200 OK\r\nCSeq: 1 INVITE\r\ncontent-length:  %d\r\n\r\n" % len(body)) + body
    out = relay._rewrite(msg, "down")
    again = relay._rewrite(msg, "down")
    assert out == again, "a retransmission got another relay"
    rtp, rtcp = relay.media[40000]
    assert rtp.port % 2 == 0 and rtcp.port == rtp.port + 1, (rtp.port, rtcp.port)
    assert rtp.target == ("127.0.0.1", 40000) and rtcp.target == ("127.0.0.1", 40001)
    head, _, new_body = out.partition(b"\r\n\r\n")
    assert b"m=audio %d RTP/AVP 0\r\n" % rtp.port in new_body, new_body
    assert b"content-length: %d" % len(new_body) in head, head
    assert relay._rewrite(b"OPTIONS sip:a SIP/2.0\r\n\r\n", "up") == \
        b"OPTIONS sip:a SIP/2.0\r\n\r\n"


def jitter_call(t, codec):
    rec = t.subdir("records")
    t440 = tc.tone_wav(t.path("tone440.wav"), 440)
    t1000 = tc.tone_wav(t.path("tone1000.wav"), 1000)
    bob, port = tc.direct_listen(t, "--auto-answer", "--play", t1000, "--record-dir", rec,
                                 "--codecs", codec)
    relay = t.media_relay(("127.0.0.1", port), loss=LOSS, jitter=JITTER, seed=6)
    alice_rec = t.path("alice.wav")
    alice = tc.direct_call(t, relay.port, "--duration", "4", "--play", t440, "--record",
                           alice_rec, "--codecs", codec)
    alice.expect_event("call-state", timeout=15 * tc.SLOW, state="established")
    alice.expect_event("call-state", timeout=15 * tc.SLOW, state="terminated")
    media = alice.expect_event("call-media", timeout=5 * tc.SLOW)
    alice.expect_exit(0, timeout=15 * tc.SLOW)
    bob.expect_event("call-state", timeout=10 * tc.SLOW, state="terminated")
    bob.proc.terminate()
    bob.expect_exit(0, timeout=10 * tc.SLOW)
    s = relay.stats()
    relayed = s["up"] + s["down"]
    ht.log("media relay: %d datagrams, %d dropped, %d out of order, mean hold %.1f ms; "
           "alice %s" % (relayed, s["up_dropped"] + s["down_dropped"], s["reordered"],
                         s["held_ms"] / max(1, relayed), media))
    assert len(relay.media) == 2, "not both sides' media went through the relay"
    assert s["up"] > 150 and s["up_dropped"] > 0 and s["reordered"] > 0, s
    records = [os.path.join(rec, f) for f in os.listdir(rec)]
    assert len(records) == 1, records
    tc.assert_peak(records[0], 440, tc.RATES[codec])
    tc.assert_peak(alice_rec, 1000, tc.RATES[codec])


def case_pcmu(t):
    jitter_call(t, "PCMU")


def case_opus(t):
    jitter_call(t, "opus")


CASES = {name[5:]: fn for name, fn in globals().items() if name.startswith("case_")}

if __name__ == "__main__":
    if len(sys.argv) != 2 or sys.argv[1] not in CASES:
        sys.exit("usage: test-call-jitter.py %s" % "|".join(sorted(CASES)))
    ht.run(CASES[sys.argv[1]], name="call-jitter-" + sys.argv[1])
