#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Interop with baresip (issue #6): hail-cli calls baresip and baresip calls
hail-cli through the harness Kamailio on 127.0.0.1, each side sending a
tone (440 Hz from the caller, 1000 Hz from the callee) and recording what
it hears; the recordings' dominant frequency is checked by FFT, for PCMU,
PCMA, Opus and G.722, and for PCMU with SDES-SRTP over TLS. The BYE comes
from Hail in one direction, from baresip in the other, and from baresip
hanging up a call Hail made; a CANCEL from either side while the other
rings. RFC 4733 digits are sent each way; each side holds the other and
resumes (the directions answered, and the RTP counters stop and go on);
SRTP required by baresip against a plain hail-cli fails with 488 whichever
side calls. Skips (77) when baresip or Kamailio is not installed.

usage: test-baresip.py CASE   (CASE: one of CASES below)
"""

import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import baresip as bs  # noqa: E402
import hailtest as ht  # noqa: E402

# The FFT helpers and the hail-cli wrappers of the Hail-to-Hail call tests.
tc = __import__("test-call")

# Hail's name for each codec, as --codecs and the call-media event spell it.
HAIL_CODECS = {"PCMU": "PCMU", "PCMA": "PCMA", "opus": "opus", "G722": "G722"}


def setup(t):
    bs.require()
    ht.hail_cli()
    ht.require("kamailio")
    return t.kamailio()


def baresip_tone(t, codec, freq):
    return bs.tone_wav(t.path("bs-tone%d-%s.wav" % (freq, codec)), codec, freq)


def check_media(ev, codec, srtp=False):
    assert ev["codec"].lower() == codec.lower(), ev
    assert ev["srtp"] is srtp, ev


def hail_to_baresip(t, codec, transport="udp", mediaenc=None):
    """hail-cli alice calls baresip bob; alice hangs up after 3 s."""
    kam = setup(t)
    bob = bs.Baresip(t, "bob", baresip_tone(t, codec, 1000), codec, registrar=kam,
                     transport=transport, mediaenc=mediaenc).start()
    t440 = tc.tone_wav(t.path("tone440.wav"), 440)
    alice_rec = t.path("alice.wav")
    alice = tc.call(t, kam, transport, "--duration", "3", "--play", t440, "--record", alice_rec,
                    "--codecs", HAIL_CODECS[codec])
    alice.expect_event("call-state", timeout=15 * tc.SLOW, state="established")
    bob.expect_event("CALL_ESTABLISHED", timeout=10 * tc.SLOW)
    check_media(alice.expect_event("call-media", timeout=5 * tc.SLOW), codec, mediaenc is not None)
    end = alice.expect_event("call-state", timeout=15 * tc.SLOW, state="terminated")
    assert "status" not in end, end
    media = alice.expect_event("call-media", timeout=5 * tc.SLOW)
    assert media["packets_sent"] > 50 and media["packets_received"] > 50, media
    alice.expect_exit(0, timeout=15 * tc.SLOW)
    bob.expect_event("CALL_CLOSED", timeout=10 * tc.SLOW)
    bob.stop()
    tc.assert_peak(bob.recording(), 440)
    tc.assert_peak(alice_rec, 1000, tc.RATES[codec])


def baresip_to_hail(t, codec, transport="udp", mediaenc=None):
    """baresip alice calls hail-cli bob; baresip hangs up after 3 s."""
    kam = setup(t)
    rec = t.subdir("records")
    t1000 = tc.tone_wav(t.path("tone1000.wav"), 1000)
    bob = tc.listen(t, kam, transport, "--auto-answer", "--play", t1000, "--record-dir", rec,
                    "--codecs", HAIL_CODECS[codec])
    alice = bs.Baresip(t, "alice", baresip_tone(t, codec, 440), codec, registrar=kam,
                       transport=transport, mediaenc=mediaenc).start()
    alice.dial("sip:bob@example.test")
    alice.expect_event("CALL_ESTABLISHED", timeout=15 * tc.SLOW)
    bob.expect_event("call-state", timeout=10 * tc.SLOW, state="established")
    check_media(bob.expect_event("call-media", timeout=5 * tc.SLOW), codec, mediaenc is not None)
    # The call's length, not a wait for something to happen.
    time.sleep(3)
    alice.hangup()
    alice.expect_event("CALL_CLOSED", timeout=10 * tc.SLOW)
    end = bob.expect_event("call-state", timeout=10 * tc.SLOW, state="terminated")
    assert end["reason"] == "The peer hung up", end
    media = bob.expect_event("call-media", timeout=5 * tc.SLOW)
    assert media["packets_sent"] > 50 and media["packets_received"] > 50, media
    tc.stop_listener(bob)
    alice.stop()
    records = [os.path.join(rec, f) for f in os.listdir(rec)]
    assert len(records) == 1, records
    tc.assert_peak(records[0], 440, tc.RATES[codec])
    tc.assert_peak(alice.recording(), 1000)


def case_hail_to_baresip_remote_bye(t):
    """hail-cli calls baresip, and baresip hangs up: Hail sees the BYE."""
    kam = setup(t)
    bob = bs.Baresip(t, "bob", baresip_tone(t, "PCMU", 1000), "PCMU", registrar=kam).start()
    alice = tc.call(t, kam, "udp", "--duration", "60", "--codecs", "PCMU")
    alice.expect_event("call-state", timeout=15 * tc.SLOW, state="established")
    bob.expect_event("CALL_ESTABLISHED", timeout=10 * tc.SLOW)
    bob.hangup()
    end = alice.expect_event("call-state", timeout=10 * tc.SLOW, state="terminated")
    assert end["reason"] == "The peer hung up", end
    alice.expect_exit(0, timeout=10 * tc.SLOW)
    bob.expect_event("CALL_CLOSED", timeout=10 * tc.SLOW)
    bob.stop()


def case_hail_cancels(t):
    """hail-cli gives up (SIGINT) while baresip rings: CANCEL, 487."""
    kam = setup(t)
    bob = bs.Baresip(t, "bob", baresip_tone(t, "PCMU", 1000), "PCMU", registrar=kam,
                     answer="manual").start()
    alice = tc.call(t, kam, "udp", "--codecs", "PCMU")
    alice.expect_event("call-state", timeout=15 * tc.SLOW, state="ringing")
    bob.expect_event("CALL_INCOMING", timeout=10 * tc.SLOW)
    alice.proc.send_signal(2)
    end = alice.expect_event("call-state", timeout=10 * tc.SLOW, state="terminated")
    assert end["status"] == 487, end
    alice.expect_exit(1, timeout=10 * tc.SLOW)
    bob.expect_event("CALL_CLOSED", timeout=10 * tc.SLOW)
    bob.stop()


def case_baresip_cancels(t):
    """baresip hangs up while hail-cli rings: Hail answers the CANCEL."""
    kam = setup(t)
    bob = tc.listen(t, kam, "udp", "--codecs", "PCMU")      # lets calls ring
    alice = bs.Baresip(t, "alice", baresip_tone(t, "PCMU", 440), "PCMU", registrar=kam).start()
    alice.dial("sip:bob@example.test")
    bob.expect_event("call-state", timeout=10 * tc.SLOW, state="incoming")
    alice.expect_event("CALL_RINGING", timeout=10 * tc.SLOW)
    alice.hangup()
    end = bob.expect_event("call-state", timeout=10 * tc.SLOW, state="terminated")
    assert end["status"] == 487, end
    closed = alice.expect_event("CALL_CLOSED", timeout=10 * tc.SLOW)
    ht.log("baresip: %s" % closed.get("param"))
    tc.stop_listener(bob)
    alice.stop()


DIGITS = "1234*#"


def case_hail_dtmf(t):
    """hail-cli sends RFC 4733 digits: baresip reports each one."""
    kam = setup(t)
    bob = bs.Baresip(t, "bob", baresip_tone(t, "PCMU", 1000), "PCMU", registrar=kam).start()
    alice = tc.call(t, kam, "udp", "--duration", "60", "--dtmf", DIGITS, "--codecs", "PCMU")
    alice.expect_event("call-state", timeout=15 * tc.SLOW, state="established")
    bob.expect_event("CALL_ESTABLISHED", timeout=10 * tc.SLOW)
    got = "".join(bob.expect_event("CALL_DTMF_START", timeout=5 * tc.SLOW)["param"]
                  for _ in DIGITS)
    assert got == DIGITS, got
    bob.hangup()
    alice.expect_event("call-state", timeout=10 * tc.SLOW, state="terminated")
    alice.expect_exit(0, timeout=10 * tc.SLOW)
    bob.stop()


def baresip_calls_hail(t, kam=None, trace=False):
    """baresip alice calls an auto-answering hail-cli bob (PCMU, UDP);
    both once the call is established."""
    kam = kam or setup(t)
    bob = tc.listen(t, kam, "udp", "--auto-answer", "--codecs", "PCMU")
    alice = bs.Baresip(t, "alice", baresip_tone(t, "PCMU", 440), "PCMU", registrar=kam,
                       trace=trace).start()
    alice.dial("sip:bob@example.test")
    alice.expect_event("CALL_ESTABLISHED", timeout=15 * tc.SLOW)
    bob.expect_event("call-state", timeout=10 * tc.SLOW, state="established")
    return bob, alice


def case_baresip_dtmf(t):
    """baresip sends RFC 4733 digits: hail-cli's events show each one."""
    bob, alice = baresip_calls_hail(t)
    alice.command("sndcode", DIGITS)
    got = "".join(bob.expect_event("dtmf-received", timeout=5 * tc.SLOW)["digit"]
                  for _ in DIGITS)
    assert got == DIGITS, got
    alice.hangup()
    bob.expect_event("call-state", timeout=10 * tc.SLOW, state="terminated")
    tc.stop_listener(bob)
    alice.stop()


# A held stream sends nothing; 20 ms packets, so 2 s of hold would be 100:
# allow the few in flight when the direction changed.
HOLD_SECONDS = 2
IN_FLIGHT = 15


def sdp_directions(bs_peer, message):
    """The a=sendrecv/sendonly/recvonly/inactive lines of the SIP messages
    in baresip's -s trace whose start line starts with `message`."""
    lines = bs_peer.proc.seen
    out = []
    for i, line in enumerate(lines):
        if bs.TRACE_LINE.search(line) and i + 1 < len(lines) and lines[i + 1].startswith(message):
            for body in lines[i + 2:]:
                if bs.TRACE_LINE.search(body):
                    break
                if body.strip() in ("a=sendrecv", "a=sendonly", "a=recvonly", "a=inactive"):
                    out.append(body.strip()[2:])
    return out


def case_baresip_holds(t):
    """baresip puts hail-cli on hold (a=sendonly) and resumes: Hail
    answers recvonly and stops sending, then sends again."""
    bob, alice = baresip_calls_hail(t)
    assert bob.expect_event("call-media", timeout=5 * tc.SLOW)["direction"] == "sendrecv"
    # Talk a second first, so that the counters show audio flowing.
    time.sleep(1)
    alice.command("hold")
    held = bob.expect_event("call-media", timeout=10 * tc.SLOW, direction="recvonly")
    # The hold's length, not a wait for something to happen.
    time.sleep(HOLD_SECONDS)
    alice.command("resume")
    resumed = bob.expect_event("call-media", timeout=10 * tc.SLOW, direction="sendrecv")
    ht.log("hold: sent %d -> %d, received %d -> %d"
           % (held["packets_sent"], resumed["packets_sent"], held["packets_received"],
              resumed["packets_received"]))
    assert held["packets_sent"] > 25, held
    assert resumed["packets_sent"] - held["packets_sent"] < IN_FLIGHT, (held, resumed)
    time.sleep(1)
    alice.hangup()
    bob.expect_event("call-state", timeout=10 * tc.SLOW, state="terminated")
    end = bob.expect_event("call-media", timeout=5 * tc.SLOW)
    assert end["packets_sent"] - resumed["packets_sent"] > 25, (resumed, end)
    tc.stop_listener(bob)
    alice.stop()


def case_hail_holds(t):
    """hail-cli puts baresip on hold (answering a waiting call holds the
    first) and resumes it when that call ends: baresip answers recvonly
    and stops sending, then sends again."""
    kam = setup(t)
    bob, alice = baresip_calls_hail(t, kam, trace=True)
    first = bob.expect_event("call-media", timeout=5 * tc.SLOW)
    assert first["direction"] == "sendrecv", first
    # Talk a second first, so that the counters show audio flowing.
    time.sleep(1)
    carol = tc.call(t, kam, "udp", "--duration", "60", "--codecs", "PCMU", user="carol",
                    to="bob")
    held = bob.expect_event("call-media", timeout=15 * tc.SLOW, call_id=first["call_id"],
                            direction="sendonly")
    # Carol hangs up only once the hold is agreed: hail-cli resumes a held
    # call when the other ends, and skips one whose hold is still on its way.
    time.sleep(HOLD_SECONDS)
    carol.proc.terminate()
    carol.expect_exit(0, timeout=20 * tc.SLOW)
    resumed = bob.expect_event("call-media", timeout=15 * tc.SLOW, call_id=first["call_id"],
                               direction="sendrecv")
    ht.log("hold: received %d -> %d" % (held["packets_received"], resumed["packets_received"]))
    assert held["packets_received"] > 25, held
    assert resumed["packets_received"] - held["packets_received"] < IN_FLIGHT, (held, resumed)
    # baresip's answers: the initial one, recvonly to the hold, sendrecv again.
    answers = sdp_directions(alice, "SIP/2.0 200")
    assert answers[-2:] == ["recvonly", "sendrecv"], answers
    time.sleep(1)
    alice.hangup()
    bob.expect_event("call-state", timeout=10 * tc.SLOW, call_id=first["call_id"],
                     state="terminated")
    end = bob.expect_event("call-media", timeout=5 * tc.SLOW, call_id=first["call_id"])
    assert end["packets_received"] - resumed["packets_received"] > 25, (resumed, end)
    tc.stop_listener(bob)
    alice.stop()


def case_baresip_srtp_required(t):
    """baresip requires SRTP (RTP/SAVP), hail-cli on UDP has none: Hail
    refuses the offer with 488 before ringing (it emits no call event, so
    its --trace is read) and baresip reports the 488."""
    kam = setup(t)
    bob = tc.hail(t, "bob", tc.proxy_args(kam, "udp") + ["--trace"],
                  ["listen", "--auto-answer", "--codecs", "PCMU"], "bob-listen")
    bob.expect_event("registered", timeout=15 * tc.SLOW)
    alice = bs.Baresip(t, "alice", baresip_tone(t, "PCMU", 440), "PCMU", registrar=kam,
                       mediaenc="srtp-mand").start()
    alice.dial("sip:bob@example.test")
    closed = alice.expect_event("CALL_CLOSED", timeout=15 * tc.SLOW)
    assert closed.get("param") == "488 Not Acceptable Here", closed

    def traced():
        with open(bob.stderr_path, "rb") as f:
            return f.read().decode("utf-8", "replace")

    ht.wait_until(lambda: "SIP/2.0 488 Not Acceptable Here" in traced(),
                  "hail-cli to trace its 488", timeout=5 * tc.SLOW)
    assert "RTP/SAVP" in traced()
    assert not any('"call-state"' in line for line in bob.seen), bob.output()
    tc.stop_listener(bob)
    alice.stop()


def case_hail_srtp_refused(t):
    """hail-cli on UDP offers plain RTP to a baresip that requires SRTP:
    the call fails cleanly with baresip's 488."""
    kam = setup(t)
    bob = bs.Baresip(t, "bob", baresip_tone(t, "PCMU", 1000), "PCMU", registrar=kam,
                     mediaenc="srtp-mand").start()
    alice = tc.call(t, kam, "udp", "--codecs", "PCMU")
    end = alice.expect_event("call-state", timeout=15 * tc.SLOW, state="terminated")
    assert end["status"] == 488, end
    ht.log("hail-cli: %s" % end.get("reason"))
    alice.expect_exit(1, timeout=10 * tc.SLOW)
    bob.stop()


CASES = {"hail-to-baresip-remote-bye": case_hail_to_baresip_remote_bye,
         "hail-cancels": case_hail_cancels, "baresip-cancels": case_baresip_cancels,
         # Both registered over TCP: Kamailio reaches each on its connection.
         "hail-to-baresip-pcmu-tcp": lambda t: hail_to_baresip(t, "PCMU", "tcp"),
         "baresip-to-hail-pcmu-tcp": lambda t: baresip_to_hail(t, "PCMU", "tcp"),
         "hail-dtmf": case_hail_dtmf, "baresip-dtmf": case_baresip_dtmf,
         "hail-holds": case_hail_holds, "baresip-holds": case_baresip_holds,
         # SDES over TLS: Hail offers RTP/AVP with a=crypto (best effort),
         # baresip 'srtp-mand' offers RTP/SAVP.
         "hail-to-baresip-srtp": lambda t: hail_to_baresip(t, "PCMU", "tls", "srtp"),
         "baresip-to-hail-srtp": lambda t: baresip_to_hail(t, "PCMU", "tls", "srtp-mand"),
         "baresip-srtp-required": case_baresip_srtp_required,
         "hail-srtp-refused": case_hail_srtp_refused}
for _codec in bs.CODECS:
    CASES["hail-to-baresip-" + _codec.lower()] = (lambda c: lambda t: hail_to_baresip(t, c))(_codec)
    CASES["baresip-to-hail-" + _codec.lower()] = (lambda c: lambda t: baresip_to_hail(t, c))(_codec)

if __name__ == "__main__":
    if len(sys.argv) != 2 or sys.argv[1] not in CASES:
        sys.exit("usage: test-baresip.py %s" % "|".join(sorted(CASES)))
    ht.run(CASES[sys.argv[1]], name="baresip-" + sys.argv[1])
