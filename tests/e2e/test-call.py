#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""hail-cli call and listen end to end (issue #6): hail-cli calls hail-cli
through the harness Kamailio on 127.0.0.1, each side playing a tone (440 Hz
one way, 1000 Hz the other) and recording; the recordings' dominant
frequency is checked by FFT. DTMF, and sipp peers for the unhappy paths.

usage: test-call.py CASE   (CASE: one of CASES below)
"""

import glob
import json
import math
import os
import struct
import sys
import wave

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import hailtest as ht  # noqa: E402

DOMAIN = "example.test"
# Waits stretch under the sanitizers (hail-cli and GStreamer run 3-5 times
# slower there), as meson's asan setup stretches test timeouts.
SLOW = 3 if "detect_leaks" in os.environ.get("ASAN_OPTIONS", "") else 1


def tone_wav(path, freq, seconds=4.0, rate=16000):
    w = wave.open(path, "wb")
    w.setnchannels(1)
    w.setsampwidth(2)
    w.setframerate(rate)
    w.writeframes(b"".join(struct.pack("<h", int(12000 * math.sin(2 * math.pi * freq * i / rate)))
                           for i in range(int(rate * seconds))))
    w.close()
    return path


def peak(path):
    """Dominant frequency of a WAV (FFT, Hann window, first 0.2 s skipped)."""
    try:
        import numpy as np
    except ImportError:
        raise ht.Skip("python3-numpy is not installed")
    w = wave.open(path)
    sr, ch = w.getframerate(), w.getnchannels()
    a = np.frombuffer(w.readframes(w.getnframes()), dtype=np.int16).astype(float)
    a = a.reshape(-1, ch)[int(0.2 * sr):, 0]
    assert len(a) > sr // 2, "%s holds only %d samples" % (path, len(a))
    spectrum = np.abs(np.fft.rfft(a * np.hanning(len(a))))
    return float(np.fft.rfftfreq(len(a), 1 / sr)[np.argmax(spectrum)]), sr


def assert_peak(path, freq, rate=None):
    f, sr = peak(path)
    ht.log("%s: peak %.1f Hz at %d Hz" % (os.path.basename(path), f, sr))
    assert abs(f / freq - 1) <= 0.02, "%s: peak %.1f Hz, wanted %d Hz" % (path, f, freq)
    if rate is not None:
        assert sr == rate, "%s recorded at %d Hz, wanted %d" % (path, sr, rate)


def proxy_args(kam, transport):
    if transport == "tls":
        return ["--proxy", "sip:%s:%d;transport=tls" % (kam.ip, kam.tls_port), "--ca-file", kam.ca]
    return ["--proxy", "sip:%s;transport=%s" % (kam.address, transport)]


def hail(t, user, global_args, command, name):
    argv = [ht.hail_cli(), "--json", "--account", "sip:%s@%s" % (user, DOMAIN),
            "--password-stdin"] + global_args + command
    p = t.spawn(argv, name=name, env=t.isolated_env())
    p.send_line("%s-secret" % user)
    return p


def listen(t, kam, transport, *args, user="bob"):
    p = hail(t, user, proxy_args(kam, transport), ["listen"] + list(args), user + "-listen")
    p.expect_event("registered", timeout=15 * SLOW)
    return p


def call(t, kam, transport, *args, user="alice", to="bob"):
    return hail(t, user, proxy_args(kam, transport),
                ["call", "sip:%s@%s" % (to, DOMAIN)] + list(args), user + "-call")


def stop_listener(p):
    p.proc.terminate()
    p.expect_event("unregistered", timeout=15 * SLOW)
    p.expect_exit(0, timeout=10 * SLOW)


RATES = {"opus": 48000, "G722": 16000, "PCMU": 8000, "PCMA": 8000}


def tone_call(t, codec, transport):
    ht.require("kamailio")
    kam = t.kamailio()
    rec = t.subdir("records")
    t440 = tone_wav(t.path("tone440.wav"), 440)
    t1000 = tone_wav(t.path("tone1000.wav"), 1000)
    bob = listen(t, kam, transport, "--auto-answer", "--play", t1000, "--record-dir", rec,
                 "--codecs", codec)
    alice_rec = t.path("alice.wav")
    alice = call(t, kam, transport, "--duration", "3", "--play", t440, "--record", alice_rec,
                 "--codecs", codec)
    alice.expect_event("call-state", timeout=15 * SLOW, state="ringing")
    alice.expect_event("call-state", timeout=15 * SLOW, state="established")
    media = alice.expect_event("call-media", timeout=5 * SLOW)
    assert media["codec"].lower() == codec.lower(), media
    assert media["srtp"] == (transport == "tls"), media
    end = alice.expect_event("call-state", timeout=15 * SLOW, state="terminated")
    assert "status" not in end, end
    media = alice.expect_event("call-media", timeout=5 * SLOW)
    assert media["packets_sent"] > 50 and media["packets_received"] > 50, media
    alice.expect_exit(0, timeout=15 * SLOW)
    bob.expect_event("call-state", timeout=10 * SLOW, state="incoming")
    bob.expect_event("call-state", timeout=10 * SLOW, state="terminated")
    stop_listener(bob)
    records = glob.glob(os.path.join(rec, "*.wav"))
    assert len(records) == 1, records
    assert_peak(records[0], 440, RATES[codec])
    assert_peak(alice_rec, 1000, RATES[codec])


def case_opus_udp(t):
    tone_call(t, "opus", "udp")


def case_g722_udp(t):
    tone_call(t, "G722", "udp")


def case_pcmu_udp(t):
    tone_call(t, "PCMU", "udp")


def case_pcma_udp(t):
    tone_call(t, "PCMA", "udp")


def case_opus_tcp(t):
    tone_call(t, "opus", "tcp")


def case_opus_tls_srtp(t):
    tone_call(t, "opus", "tls")


def case_pcmu_tls_srtp(t):
    tone_call(t, "PCMU", "tls")


def case_dtmf(t):
    ht.require("kamailio")
    kam = t.kamailio()
    bob = listen(t, kam, "udp", "--auto-answer", "--codecs", "PCMU")
    alice = call(t, kam, "udp", "--duration", "4", "--dtmf", "1234*#")
    alice.expect_event("call-state", timeout=15 * SLOW, state="established")
    digits = ""
    while len(digits) < 6:
        digits += bob.expect_event("dtmf-received", timeout=10 * SLOW)["digit"]
    assert digits == "1234*#", digits
    alice.expect_exit(0, timeout=15 * SLOW)
    stop_listener(bob)


def case_reject(t):
    ht.require("kamailio")
    kam = t.kamailio()
    bob = listen(t, kam, "udp", "--reject", "486")
    alice = call(t, kam, "udp")
    end = alice.expect_event("call-state", timeout=15 * SLOW, state="terminated")
    assert end["status"] == 486, end
    alice.expect_exit(1, timeout=10 * SLOW)
    stop_listener(bob)


def case_sigint_cancel(t):
    ht.require("kamailio")
    kam = t.kamailio()
    bob = listen(t, kam, "udp")          # lets calls ring
    alice = call(t, kam, "udp")
    alice.expect_event("call-state", timeout=15 * SLOW, state="ringing")
    bob.expect_event("call-state", timeout=10 * SLOW, state="incoming")
    alice.proc.send_signal(2)
    end = alice.expect_event("call-state", timeout=10 * SLOW, state="terminated")
    assert end["status"] == 487, end
    alice.expect_exit(1, timeout=10 * SLOW)
    end = bob.expect_event("call-state", timeout=10 * SLOW, state="terminated")
    assert end["status"] == 487, end
    stop_listener(bob)


def case_sigterm_bye(t):
    ht.require("kamailio")
    kam = t.kamailio()
    bob = listen(t, kam, "tcp", "--auto-answer")
    alice = call(t, kam, "tcp", "--duration", "60")
    alice.expect_event("call-state", timeout=15 * SLOW, state="established")
    t0 = ht.now_ms()
    alice.proc.terminate()
    end = alice.expect_event("call-state", timeout=10 * SLOW, state="terminated")
    assert "status" not in end, end
    alice.expect_exit(0, timeout=10 * SLOW)
    assert ht.now_ms() - t0 < 5000 * SLOW
    end = bob.expect_event("call-state", timeout=10 * SLOW, state="terminated")
    assert end["reason"] == "The peer hung up", end
    stop_listener(bob)


def case_remote_bye(t):
    # The callee stops listening (SIGTERM) during the call: it hangs up
    # with BYE before it unregisters.
    ht.require("kamailio")
    kam = t.kamailio()
    bob = listen(t, kam, "udp", "--auto-answer")
    alice = call(t, kam, "udp", "--duration", "60")
    alice.expect_event("call-state", timeout=15 * SLOW, state="established")
    bob.expect_event("call-state", timeout=15 * SLOW, state="established")
    bob.proc.terminate()
    end = alice.expect_event("call-state", timeout=15 * SLOW, state="terminated")
    assert end["reason"] == "The peer hung up", end
    alice.expect_exit(0, timeout=10 * SLOW)
    bob.expect_event("call-state", timeout=10 * SLOW, state="terminated")
    bob.expect_event("unregistered", timeout=10 * SLOW)
    bob.expect_exit(0, timeout=15 * SLOW)


def case_bad_input(t):
    for args, what in ((["call", "not a uri"], "invalid URI"),
                       (["call", "sip:bob@example.test", "--dtmf", "12x"], "--dtmf"),
                       (["call", "sip:bob@example.test", "--play", "/nonexistent.wav"], "WAV"),
                       (["call", "sip:bob@example.test", "--transfer-to", "carol"],
                        "--transfer-to"),
                       (["call", "sip:bob@example.test", "--transfer-after", "-1"],
                        "--transfer-after")):
        argv = [ht.hail_cli(), "--json", "--account", "sip:alice@example.test",
                "--no-register", "--proxy", "sip:127.0.0.1:9"] + args
        p = t.spawn(argv, name="bad", env=t.isolated_env())
        ev = p.expect_event("error", timeout=10 * SLOW)
        assert what in ev["message"], ev
        p.expect_exit(2, timeout=10 * SLOW)


# ------------------------------------------- transfer and call waiting (session)


def wav_longer_than(path, seconds, rate=8000):
    """True once the recording at path holds more than `seconds` of 16-bit
    mono audio (the recorder writes as it goes)."""
    return os.path.exists(path) and os.path.getsize(path) > 44 + int(seconds * rate * 2)


def only_record(directory, index):
    records = sorted(glob.glob(os.path.join(directory, "call-%03d-*.wav" % index)))
    assert len(records) == 1, (directory, records)
    return records[0]


def case_transfer(t):
    # Bob calls Alice, then transfers her (blind, REFER) to Carol: Alice
    # calls Carol, reports 200 in a NOTIFY, Bob hangs up; Alice and Carol
    # hear each other's tone.
    ht.require("kamailio")
    kam = t.kamailio()
    t440 = tone_wav(t.path("tone440.wav"), 440)
    t1000 = tone_wav(t.path("tone1000.wav"), 1000)
    alice_rec = t.subdir("alice-records")
    carol_rec = t.subdir("carol-records")
    alice = listen(t, kam, "udp", "--auto-answer", "--play", t440, "--record-dir", alice_rec,
                   "--codecs", "PCMU", user="alice")
    carol = listen(t, kam, "udp", "--auto-answer", "--play", t1000, "--record-dir", carol_rec,
                   "--codecs", "PCMU", user="carol")
    bob = call(t, kam, "udp", "--duration", "60", "--transfer-to", "sip:carol@%s" % DOMAIN,
               "--transfer-after", "1", "--codecs", "PCMU", user="bob", to="alice")
    bob.expect_event("call-state", timeout=15 * SLOW, state="established")
    bob.expect_event("call-transfer", timeout=10 * SLOW, state="requested")
    # The call ends by Alice's BYE or ours after the NOTIFY with 200,
    # whichever comes first; then Bob is done.
    bob.expect_event("call-transfer", timeout=20 * SLOW, state="done")
    bob.expect_exit(0, timeout=15 * SLOW)
    ends = [json.loads(line) for line in bob.seen if '"terminated"' in line]
    assert len(ends) == 1 and "status" not in ends[0], ends

    first = alice.expect_event("call-state", timeout=10 * SLOW, state="incoming")
    ev = alice.expect_event("call-transfer", timeout=10 * SLOW, state="following")
    assert ev["target"].startswith("sip:carol@") and ev["call_id"] == first["call_id"], ev
    second = carol.expect_event("call-state", timeout=10 * SLOW, state="incoming")
    carol.expect_event("call-state", timeout=15 * SLOW, state="established")
    # Bob's call ended at Alice too (her BYE or his, whichever went first).
    alice.expect_event("call-state", timeout=15 * SLOW, state="terminated",
                       call_id=first["call_id"])
    carol_wav = only_record(carol_rec, 1)
    ht.wait_until(lambda: wav_longer_than(carol_wav, 1.5), "Carol to record 1.5 s",
                  timeout=20 * SLOW)
    stop_listener(carol)
    alice.expect_event("call-state", timeout=15 * SLOW, state="terminated",
                       call_id=second["call_id"], reason="The peer hung up")
    stop_listener(alice)
    assert_peak(carol_wav, 440, 8000)
    assert_peak(only_record(alice_rec, 2), 1000, 8000)


def case_call_waiting(t):
    # Alice talks with Bob; Carol calls: Alice is offered a waiting call,
    # answers it and Bob is put on hold (his side: recvonly); when Carol
    # hangs up, Bob is resumed (sendrecv).
    ht.require("kamailio")
    kam = t.kamailio()
    alice = listen(t, kam, "udp", "--auto-answer", "--codecs", "PCMU", user="alice")
    bob = call(t, kam, "udp", "--duration", "60", "--codecs", "PCMU", user="bob", to="alice")
    bob.expect_event("call-state", timeout=15 * SLOW, state="established")
    media = bob.expect_event("call-media", timeout=5 * SLOW)
    assert media["direction"] == "sendrecv", media
    alice.expect_event("call-state", timeout=10 * SLOW, state="established")

    carol = call(t, kam, "udp", "--duration", "2", "--codecs", "PCMU", user="carol", to="alice")
    ev = alice.expect_event("call-state", timeout=15 * SLOW, state="ringing", waiting=True)
    assert ev["call_id"] != media["call_id"], ev
    carol.expect_event("call-state", timeout=15 * SLOW, state="established")
    bob.expect_event("call-media", timeout=15 * SLOW, direction="recvonly")
    carol.expect_exit(0, timeout=20 * SLOW)
    bob.expect_event("call-media", timeout=15 * SLOW, direction="sendrecv")
    bob.proc.terminate()
    bob.expect_event("call-state", timeout=10 * SLOW, state="terminated")
    bob.expect_exit(0, timeout=10 * SLOW)
    stop_listener(alice)


# ---------------------------------------------------------------- sipp peers


def direct_call(t, port, *args):
    """hail-cli calling a sipp UAS on 127.0.0.1:port, no registrar."""
    argv = [ht.hail_cli(), "--json", "--account", "sip:alice@example.test", "--no-register",
            "--listen", "127.0.0.1:0", "call", "sip:bob@127.0.0.1:%d" % port] + list(args)
    return t.spawn(argv, name="alice-call", env=t.isolated_env())


def direct_listen(t, *args):
    """hail-cli listening on 127.0.0.1 without a registrar; its UDP port."""
    argv = [ht.hail_cli(), "--json", "--account", "sip:bob@example.test", "--no-register",
            "--listen", "127.0.0.1:0", "listen"] + list(args)
    p = t.spawn(argv, name="bob-listen", env=t.isolated_env())
    while True:
        ev = p.expect_event("listening", timeout=10 * SLOW)
        if ev["transport"] == "udp":
            return p, int(ev["address"].rsplit(":", 1)[1])


def sipp_refuses(t, status, reason):
    ht.require("sipp")
    port = ht.free_port("both")
    # sipp checks the status line when it loads the scenario, before -key
    # values are known: write the status in.
    with open(os.path.join(ht.SIPP_DIR, "call-uas-reject.xml")) as f:
        text = f.read().replace("[status]", str(status)).replace("[reason]", reason)
    scenario = t.path("reject-%d.xml" % status)
    with open(scenario, "w") as f:
        f.write(text)
    uas = t.sipp_bg(scenario, port, name="reject")
    p = direct_call(t, port)
    end = p.expect_event("call-state", timeout=15 * SLOW, state="terminated")
    assert end["status"] == status and end["reason"] == reason, end
    p.expect_exit(1, timeout=10 * SLOW)
    assert uas.wait(15 * SLOW) == 0, uas.output()


def case_sipp_busy(t):
    sipp_refuses(t, 486, "Busy Here")


def case_sipp_decline(t):
    sipp_refuses(t, 603, "Decline")


def case_sipp_unavailable(t):
    sipp_refuses(t, 480, "Temporarily Unavailable")


def case_sipp_cancel(t):
    # No answer, then the caller gives up (SIGINT): CANCEL, 487, ACK.
    ht.require("sipp")
    port = ht.free_port("both")
    uas = t.sipp_bg("call-uas-ring.xml", port)
    p = direct_call(t, port)
    p.expect_event("call-state", timeout=15 * SLOW, state="ringing")
    p.proc.send_signal(2)
    end = p.expect_event("call-state", timeout=10 * SLOW, state="terminated")
    assert end["status"] == 487, end
    p.expect_exit(1, timeout=10 * SLOW)
    assert uas.wait(15 * SLOW) == 0, uas.output()


def case_sipp_redirect(t):
    ht.require("sipp")
    target = ht.free_port("both")
    port = ht.free_port("both")
    answering = t.sipp_bg("invite-uas.xml", target, name="answering")
    redirect = t.sipp_bg("call-uas-redirect.xml", port, extra=["-key", "target", str(target)])
    p = direct_call(t, port, "--duration", "1")
    p.expect_event("call-state", timeout=15 * SLOW, state="established")
    p.expect_event("call-state", timeout=15 * SLOW, state="terminated")
    p.expect_exit(0, timeout=10 * SLOW)
    assert redirect.wait(15 * SLOW) == 0, redirect.output()
    assert answering.wait(15 * SLOW) == 0, answering.output()


def sipp_calls_listener(t, scenario):
    """Run a sipp caller scenario against hail-cli listen --auto-answer to
    its end; returns the listener, still running."""
    ht.require("sipp")
    p, port = direct_listen(t, "--auto-answer")
    r = t.sipp(scenario, remote="127.0.0.1:%d" % port, extra=["-s", "bob"])
    assert r.rc == 0, r.logs()
    return p


def stop_after_peer_bye(p):
    end = p.expect_event("call-state", timeout=10 * SLOW, state="terminated")
    assert end["reason"] == "The peer hung up", end
    p.proc.terminate()
    p.expect_exit(0, timeout=10 * SLOW)


def case_sipp_hold_resume(t):
    stop_after_peer_bye(sipp_calls_listener(t, "call-uac-hold.xml"))


def case_sipp_never_acks(t):
    ht.require("sipp")
    p, port = direct_listen(t, "--auto-answer")
    t0 = ht.now_ms()
    r = t.sipp("call-uac-noack.xml", remote="127.0.0.1:%d" % port, extra=["-s", "bob"],
               timeout=60 * SLOW)
    assert r.rc == 0, r.logs()
    end = p.expect_event("call-state", timeout=10 * SLOW, state="terminated")
    assert end["reason"] == "The peer never acknowledged the answer", end
    ht.log("BYE after %d ms without an ACK" % (ht.now_ms() - t0))
    p.proc.terminate()
    p.expect_exit(0, timeout=10 * SLOW)


def sipp_bad_offer(t, scenario):
    ht.require("sipp")
    p, port = direct_listen(t, "--auto-answer")
    r = t.sipp(scenario, remote="127.0.0.1:%d" % port, extra=["-s", "bob"])
    assert r.rc == 0, r.logs()
    # Still alive and answering after the bad offer.
    r = t.sipp("call-uac-hold.xml", remote="127.0.0.1:%d" % port, extra=["-s", "bob"],
               name="after")
    assert r.rc == 0, r.logs()
    p.proc.terminate()
    p.expect_exit(0, timeout=10 * SLOW)


def case_sipp_malformed_sdp(t):
    sipp_bad_offer(t, "call-uac-bad-sdp.xml")


def case_sipp_no_common_codec(t):
    sipp_bad_offer(t, "call-uac-no-codec.xml")


def case_sipp_refused_visible(t):
    # An offer refused for its codecs: the 488 says why in a Warning
    # (the scenario checks it) and listen reports the refusal.
    ht.require("sipp")
    p, port = direct_listen(t, "--auto-answer")
    r = t.sipp("call-uac-no-codec-warning.xml", remote="127.0.0.1:%d" % port,
               extra=["-s", "bob"])
    assert r.rc == 0, r.logs()
    ev = p.expect_event("call-refused", timeout=10 * SLOW, status=488)
    assert ev["from"] == "sip:sipp@127.0.0.1", ev
    assert "no codec in common" in ev["reason"], ev
    p.proc.terminate()
    p.expect_exit(0, timeout=10 * SLOW)


def case_sipp_update(t):
    # RFC 3311: hold and resume by UPDATE, then a refresh by UPDATE without
    # a body (the scenario checks the answers).
    p = sipp_calls_listener(t, "call-uac-update.xml")
    held = p.expect_event("call-media", timeout=10 * SLOW, direction="recvonly")
    p.expect_event("call-media", timeout=10 * SLOW, direction="sendrecv", call_id=held["call_id"])
    stop_after_peer_bye(p)


def case_sipp_min_se_retry(t):
    # RFC 4028 §6/§7.1: the callee answers 422 Min-SE: 2000; the call is
    # tried again with 2000 s in the same Call-ID (the scenario checks).
    ht.require("sipp")
    port = ht.free_port("both")
    uas = t.sipp_bg("call-uas-422.xml", port, name="min-se")
    p = direct_call(t, port, "--duration", "1")
    p.expect_event("call-state", timeout=15 * SLOW, state="established")
    p.expect_event("call-state", timeout=15 * SLOW, state="terminated")
    p.expect_exit(0, timeout=10 * SLOW)
    assert uas.wait(15 * SLOW) == 0, uas.output()


def case_sipp_min_se_refuse(t):
    # RFC 4028 §8.1: 60 s is under our 90 s: 422 with Min-SE: 90, then the
    # caller's 90 s is taken (the scenario checks both answers).
    stop_after_peer_bye(sipp_calls_listener(t, "call-uac-422.xml"))


CASES = {name[5:].replace("_", "-"): fn for name, fn in globals().items()
         if name.startswith("case_")}

if __name__ == "__main__":
    if len(sys.argv) != 2 or sys.argv[1] not in CASES:
        sys.exit("usage: test-call.py %s" % "|".join(sorted(CASES)))
    ht.run(CASES[sys.argv[1]], name="call-" + sys.argv[1])
