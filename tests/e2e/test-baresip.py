#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Interop with baresip (issue #6): hail-cli calls baresip and baresip calls
hail-cli through the harness Kamailio on 127.0.0.1, each side sending a
tone (440 Hz from the caller, 1000 Hz from the callee) and recording what
it hears; the recordings' dominant frequency is checked by FFT, for PCMU,
Opus and G.722. The BYE comes from Hail in one direction, from baresip in
the other, and from baresip hanging up a call Hail made; a CANCEL from
either side while the other rings. Skips (77) when
baresip or Kamailio is not installed.

usage: test-baresip.py CASE   (CASE: DIRECTION-CODEC, hail-to-baresip-remote-bye,
                                hail-cancels, baresip-cancels, DIRECTION-pcmu-tcp)
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
HAIL_CODECS = {"PCMU": "PCMU", "opus": "opus", "G722": "G722"}


def setup(t):
    bs.require()
    ht.hail_cli()
    ht.require("kamailio")
    return t.kamailio()


def baresip_tone(t, codec, freq):
    return bs.tone_wav(t.path("bs-tone%d-%s.wav" % (freq, codec)), codec, freq)


def check_media(ev, codec):
    assert ev["codec"].lower() == codec.lower(), ev
    assert ev["srtp"] is False, ev


def hail_to_baresip(t, codec, transport="udp"):
    """hail-cli alice calls baresip bob; alice hangs up after 3 s."""
    kam = setup(t)
    bob = bs.Baresip(t, "bob", baresip_tone(t, codec, 1000), codec, registrar=kam,
                     transport=transport).start()
    t440 = tc.tone_wav(t.path("tone440.wav"), 440)
    alice_rec = t.path("alice.wav")
    alice = tc.call(t, kam, transport, "--duration", "3", "--play", t440, "--record", alice_rec,
                    "--codecs", HAIL_CODECS[codec])
    alice.expect_event("call-state", timeout=15 * tc.SLOW, state="established")
    bob.expect_event("CALL_ESTABLISHED", timeout=10 * tc.SLOW)
    check_media(alice.expect_event("call-media", timeout=5 * tc.SLOW), codec)
    end = alice.expect_event("call-state", timeout=15 * tc.SLOW, state="terminated")
    assert "status" not in end, end
    media = alice.expect_event("call-media", timeout=5 * tc.SLOW)
    assert media["packets_sent"] > 50 and media["packets_received"] > 50, media
    alice.expect_exit(0, timeout=15 * tc.SLOW)
    bob.expect_event("CALL_CLOSED", timeout=10 * tc.SLOW)
    bob.stop()
    tc.assert_peak(bob.recording(), 440)
    tc.assert_peak(alice_rec, 1000, tc.RATES[codec])


def baresip_to_hail(t, codec, transport="udp"):
    """baresip alice calls hail-cli bob; baresip hangs up after 3 s."""
    kam = setup(t)
    rec = t.subdir("records")
    t1000 = tc.tone_wav(t.path("tone1000.wav"), 1000)
    bob = tc.listen(t, kam, transport, "--auto-answer", "--play", t1000, "--record-dir", rec,
                    "--codecs", HAIL_CODECS[codec])
    alice = bs.Baresip(t, "alice", baresip_tone(t, codec, 440), codec, registrar=kam,
                       transport=transport).start()
    alice.dial("sip:bob@example.test")
    alice.expect_event("CALL_ESTABLISHED", timeout=15 * tc.SLOW)
    bob.expect_event("call-state", timeout=10 * tc.SLOW, state="established")
    check_media(bob.expect_event("call-media", timeout=5 * tc.SLOW), codec)
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


CASES = {"hail-to-baresip-remote-bye": case_hail_to_baresip_remote_bye,
         "hail-cancels": case_hail_cancels, "baresip-cancels": case_baresip_cancels,
         # Both registered over TCP: Kamailio reaches each on its connection.
         "hail-to-baresip-pcmu-tcp": lambda t: hail_to_baresip(t, "PCMU", "tcp"),
         "baresip-to-hail-pcmu-tcp": lambda t: baresip_to_hail(t, "PCMU", "tcp")}
for _codec in bs.CODECS:
    if _codec == "PCMA":
        continue
    CASES["hail-to-baresip-" + _codec.lower()] = (lambda c: lambda t: hail_to_baresip(t, c))(_codec)
    CASES["baresip-to-hail-" + _codec.lower()] = (lambda c: lambda t: baresip_to_hail(t, c))(_codec)

if __name__ == "__main__":
    if len(sys.argv) != 2 or sys.argv[1] not in CASES:
        sys.exit("usage: test-baresip.py %s" % "|".join(sorted(CASES)))
    ht.run(CASES[sys.argv[1]], name="baresip-" + sys.argv[1])
