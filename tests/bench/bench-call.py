#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Benchmark: calls between two hail-cli through the harness Kamailio.

Prints (1) call set-up time, the first INVITE sent to the ACK of the 2xx
sent, as seen on hail-cli's --trace (so it includes the 407 challenge
round trip and both hail-cli's work), over 10 calls on UDP; (2) CPU and
resident memory of the calling hail-cli during one established call for
Opus and for PCMU (8 s measured, both sides sending a WAV and the callee
recording); (3) mouth-to-ear latency, from the caller's established event
to the click in the callee's recording; then the same figures for baresip
calling baresip on the same Kamailio, when it is installed; and for both,
the time from the click's RTP datagram crossing a relay to the click in
the callee's recording (the same yardstick for both: no event timing).
Neither includes a sound card's playout: Hail records before its 60 ms
playout latency (rtpjitterbuffer pushes in-order packets at once),
baresip's sndfile after its jitter buffer. Environment: HAIL_CLI (set by
meson).
"""

import math
import os
import shutil
import statistics
import struct
import subprocess
import sys
import threading
import time
import wave

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "e2e"))
import baresip as bs  # noqa: E402
import hailtest as ht  # noqa: E402

tc = __import__("test-call")     # its direct_call() and direct_listen()


class Traced:
    """hail-cli with --trace: stderr lines stamped as they arrive."""

    def __init__(self, argv, env):
        self.proc = subprocess.Popen(argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     stderr=subprocess.PIPE, env=env)
        self.lines = []
        self.stdout = []
        self._t = threading.Thread(target=self._read, daemon=True)
        self._t.start()
        self._o = threading.Thread(target=self._read_stdout, daemon=True)
        self._o.start()

    def _read(self):
        for line in self.proc.stderr:
            self.lines.append((time.monotonic(), line.decode("utf-8", "replace")))

    def _read_stdout(self):
        for line in self.proc.stdout:
            self.stdout.append((time.monotonic(), line.decode("utf-8", "replace")))

    def stop(self):
        if self.proc.poll() is None:
            self.proc.kill()
        self.proc.wait(timeout=10)

    def setup_ms(self):
        """First INVITE sent to the last ACK sent before the BYE."""
        sent = []
        outgoing = False
        for stamp, line in self.lines:
            if line.startswith("--> ") or line.startswith("<-- "):
                outgoing = line.startswith("--> ")
            elif outgoing:
                sent.append((stamp, line))
        return setup_ms(sent)[0]

    def wait_event(self, text, timeout):
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            for stamp, line in self.stdout:
                if text in line:
                    return stamp
            time.sleep(0.01)
        raise AssertionError("no %r from hail-cli within %d s" % (text, timeout))


def setup_ms(sent):
    """Set-up time from the requests a caller sent, as (time, start line):
    the first INVITE to the last ACK before the BYE; and how many INVITEs
    that took (2 when the proxy challenged the first)."""
    t_invite = t_ack = None
    invites = 0
    for stamp, line in sent:
        if line.startswith("INVITE "):
            invites += 1
            t_invite = t_invite or stamp
        elif line.startswith("ACK "):
            t_ack = stamp
        elif line.startswith("BYE "):
            break
    assert t_invite is not None and t_ack is not None, "no INVITE/ACK in the trace"
    return (t_ack - t_invite) * 1000.0, invites


def click_wav(path, at=1.0, seconds=4.0, rate=16000, channels=1, loud=True):
    """Silence with a click `at` seconds in (none if not loud)."""
    w = wave.open(path, "wb")
    w.setnchannels(channels)
    w.setsampwidth(2)
    w.setframerate(rate)
    frames = bytearray(int(rate * seconds) * 2 * channels)
    start = int(rate * at)
    for i in range(int(rate * 0.01) if loud else 0):     # 10 ms of 1 kHz at full scale
        v = int(30000 * math.sin(2 * math.pi * 1000 * i / rate))
        for c in range(channels):
            struct.pack_into("<h", frames, 2 * ((start + i) * channels + c), v)
    w.writeframes(bytes(frames))
    w.close()
    return path


def first_loud_sample(path, threshold=3000):
    """Index of the first loud 16-bit sample (all channels counted), the
    rate, and where the samples start in the file."""
    w = wave.open(path)
    data = w.readframes(w.getnframes())
    offset = wav_data_offset(path)
    for i in range(0, len(data) - 1, 2):
        if abs(struct.unpack_from("<h", data, i)[0]) > threshold:
            return i // 2, w.getframerate(), offset
    return None, w.getframerate(), offset


def wav_data_offset(path):
    """Where a WAV's samples start: wavenc writes a 44-byte header,
    libsndfile (baresip's sndfile) may write more chunks."""
    with open(path, "rb") as f:
        head = f.read(4096)
    pos = 12
    while pos + 8 <= len(head):
        size = struct.unpack_from("<I", head, pos + 4)[0]
        if head[pos:pos + 4] == b"data":
            return pos + 8
        pos += 8 + size + (size & 1)
    raise AssertionError("%s: no data chunk in its first 4 KB" % path)


class FileWatch:
    """Polls file sizes every millisecond: (time, {path: size})."""

    def __init__(self, paths_fn):
        self.paths_fn = paths_fn
        self.samples = []
        self.running = True
        self._t = threading.Thread(target=self._run, daemon=True)
        self._t.start()

    def _run(self):
        while self.running:
            now = time.monotonic()
            sizes = {}
            for p in self.paths_fn():
                try:
                    sizes[p] = os.stat(p).st_size
                except OSError:
                    pass
            self.samples.append((now, sizes))
            time.sleep(0.001)

    def stop(self):
        self.running = False
        self._t.join(timeout=5)

    def first(self, path, min_size=0):
        for now, sizes in self.samples:
            if path in sizes and sizes[path] >= min_size:
                return now
        return None


def latency_ms(t, kam, codec, click):
    rec = t.subdir("latency-" + codec)
    bob = listener(t, kam, "--record-dir", rec, "--codecs", codec)
    alice_rec = t.path("alice-%s.wav" % codec)
    watch = FileWatch(lambda: [alice_rec] + [os.path.join(rec, f) for f in os.listdir(rec)])
    p = caller(t, kam, ["--duration", "3", "--codecs", codec, "--play", click,
                        "--record", alice_rec])
    assert p.proc.wait(timeout=30) == 0
    watch.stop()
    bob.proc.terminate()
    bob.expect_exit(0, timeout=15)
    records = [os.path.join(rec, f) for f in os.listdir(rec)]
    assert len(records) == 1, records
    index, rate, offset = first_loud_sample(records[0])
    assert index is not None, "the click never arrived"
    start = p.wait_event('"state":"established"', 1)
    arrived = watch.first(records[0], offset + 2 * (index + 1))
    assert start is not None and arrived is not None
    return (arrived - start - 1.0) * 1000.0


def cpu_seconds(pid):
    with open("/proc/%d/stat" % pid) as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def rss_mb(pid):
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024.0
    return 0.0


def print_load(who, codec, pid):
    """CPU and RSS of the caller `pid` over 8 s of an established call,
    from its second second on."""
    time.sleep(1.0)
    c0, w0 = cpu_seconds(pid), time.monotonic()
    time.sleep(8.0)
    c1, w1 = cpu_seconds(pid), time.monotonic()
    print("one established %s call, caller %s: CPU %.2f %% of a core, RSS %.1f MB"
          % (codec, who, 100.0 * (c1 - c0) / (w1 - w0), rss_mb(pid)))


def caller(t, kam, args):
    argv = [ht.hail_cli(), "--json", "--trace", "--account", "sip:alice@example.test",
            "--proxy", "sip:%s;transport=udp" % kam.address, "--password-stdin",
            "call", "sip:bob@example.test"] + args
    p = Traced(argv, t.isolated_env())
    t.own(p, p.stop)
    p.proc.stdin.write(b"alice-secret\n")
    p.proc.stdin.close()
    return p


def listener(t, kam, *args):
    p = t.spawn([ht.hail_cli(), "--json", "--account", "sip:bob@example.test",
                 "--proxy", "sip:%s;transport=udp" % kam.address, "--password-stdin",
                 "listen", "--auto-answer"] + list(args), name="bob", env=t.isolated_env())
    p.send_line("bob-secret")
    p.expect_event("registered", timeout=15)
    return p


def main(t):
    """bench-call.py [hail|baresip]: one side's figures, both by default."""
    which = sys.argv[1] if len(sys.argv) > 1 else "both"
    ht.require("kamailio")
    kam = t.kamailio()
    if which in ("both", "hail"):
        hail_figures(t, kam)
        print_wire_to_record("hail-cli to hail-cli", t, hail_pcmu_call)
    if which in ("both", "baresip"):
        if shutil.which("baresip"):
            baresip_figures(t, kam)
            print_wire_to_record("baresip to baresip", t, baresip_pcmu_call)
        else:
            print("baresip: not installed on this machine (Debian package baresip): "
                  "no comparison")


def print_wire_to_record(who, t, call):
    runs = [wire_to_record_ms(t, call) for _ in range(3)]
    print("click's RTP on the wire to the callee's recording, PCMU, %s: median %.1f ms, "
          "min %.1f, max %.1f (3 calls)" % (who, statistics.median(runs), min(runs), max(runs)))


def ulaw_loud(payload, threshold=3000):
    """Whether a PCMU payload holds a sample louder than threshold."""
    for b in payload:
        b = ~b & 0xFF
        magnitude = ((((b & 0x0F) << 3) + 0x84) << ((b >> 4) & 7)) - 0x84
        if magnitude > threshold:
            return True
    return False


def wire_to_record_ms(t, call):
    """The same yardstick for any pair of clients: from the RTP datagram
    carrying the click reaching the relay between them (so after the
    caller's capture, encoding and sending) to the click's sample being
    written to the callee's recording (jitter buffer, decoding, writing).
    call(t, tap, watch_dir_fn) makes one PCMU call through a MediaRelay
    with that tap and returns the callee's recording."""
    clicks = []

    def tap(port, data):
        # RTP without CSRCs or extension, payload type 0 (PCMU).
        if len(data) > 12 and data[0] & 0x1F == 0 and data[1] & 0x7F == 0 and not clicks:
            if ulaw_loud(data[12:]):
                clicks.append(time.monotonic())

    record, watch = call(t, tap)
    index, rate, offset = first_loud_sample(record)
    assert index is not None and clicks, "the click never arrived"
    arrived = watch.first(record, offset + 2 * (index + 1))
    assert arrived is not None
    return (arrived - clicks[0]) * 1000.0


def hail_pcmu_call(t, tap):
    rec = t.subdir("wire-hail")
    bob, port = tc.direct_listen(t, "--auto-answer", "--record-dir", rec, "--codecs", "PCMU")
    relay = t.media_relay(("127.0.0.1", port), loss=0.0, jitter=0.0, tap=tap)
    watch = FileWatch(lambda: [os.path.join(rec, f) for f in os.listdir(rec)])
    click = click_wav(t.path("click.wav"))
    alice = tc.direct_call(t, relay.port, "--duration", "3", "--codecs", "PCMU", "--play", click)
    alice.expect_exit(0, timeout=30)
    bob.proc.terminate()
    bob.expect_exit(0, timeout=15)
    watch.stop()
    records = [os.path.join(rec, f) for f in os.listdir(rec)]
    assert len(records) == 1, records
    return records[0], watch


def baresip_pcmu_call(t, tap):
    click = click_wav(t.path("bs-click-wire.wav"), rate=8000)
    quiet = click_wav(t.path("bs-quiet-wire.wav"), rate=8000, loud=False)
    bob = bs.Baresip(t, "bob", quiet, "PCMU").start()
    relay = t.media_relay(("127.0.0.1", bob.sip_port), loss=0.0, jitter=0.0, tap=tap)
    watch = FileWatch(lambda: [os.path.join(bob.rec, f) for f in os.listdir(bob.rec)])
    alice = bs.Baresip(t, "alice", click, "PCMU", record=False).start()
    baresip_click_call(alice, bob, "sip:bob@127.0.0.1:%d" % relay.port, watch)
    return bob.recording(), watch


def baresip_click_call(alice, bob, uri, watch):
    """A 3 s call from alice to bob, both stopped after; when alice had
    CALL_ESTABLISHED."""
    alice.dial(uri)
    start = alice.expect_event("CALL_ESTABLISHED", timeout=20)["_at"]
    time.sleep(3.0)
    alice.hangup()
    alice.expect_event("CALL_CLOSED", timeout=20)
    alice.stop()
    bob.stop()
    watch.stop()
    return start


def hail_figures(t, kam):
    tone440 = tc.tone_wav(t.path("tone440.wav"), 440, seconds=2.0)
    tone1000 = tc.tone_wav(t.path("tone1000.wav"), 1000, seconds=2.0)
    rec = t.subdir("rec")

    bob = listener(t, kam, "--play", tone1000)
    setups = []
    for i in range(10):
        p = caller(t, kam, ["--duration", "1", "--codecs", "PCMU"])
        assert p.proc.wait(timeout=30) == 0, "call %d failed" % i
        setups.append(p.setup_ms())
    print("call set-up through Kamailio (UDP, 407 answered), first INVITE sent to ACK sent: "
          "median %.1f ms, min %.1f, max %.1f (10 calls)"
          % (statistics.median(setups), min(setups), max(setups)))
    bob.proc.terminate()
    bob.expect_exit(0, timeout=15)

    for codec in ("opus", "PCMU"):
        bob = listener(t, kam, "--play", tone1000, "--record-dir", rec, "--codecs", codec)
        p = caller(t, kam, ["--duration", "10", "--codecs", codec, "--play", tone440])
        p.wait_event('"state":"established"', 20)
        print_load("hail-cli", codec, p.proc.pid)
        assert p.proc.wait(timeout=30) == 0
        bob.proc.terminate()
        bob.expect_exit(0, timeout=15)
    click = click_wav(t.path("click.wav"))
    for codec in ("PCMU", "opus"):
        runs = [latency_ms(t, kam, codec, click) for _ in range(3)]
        print("mouth-to-ear on loopback, %s (60 ms jitter buffer): median %.1f ms, "
              "min %.1f, max %.1f (3 calls)"
              % (codec, statistics.median(runs), min(runs), max(runs)))


def baresip_figures(t, kam):
    """The same figures for baresip calling baresip through the same
    Kamailio: set-up time from its -s trace, CPU and RSS of the caller,
    mouth-to-ear from the caller's established event to the click in the
    callee's sndfile recording (baresip's own jitter buffer settings)."""
    bs.require()
    bob = bs.Baresip(t, "bob", bs.tone_wav(t.path("bs-1000.wav"), "PCMU", 1000), "PCMU",
                     registrar=kam, record=False).start()
    alice = bs.Baresip(t, "alice", bs.tone_wav(t.path("bs-440.wav"), "PCMU", 440), "PCMU",
                       registrar=kam, record=False, trace=True).start()
    setups = []
    invites = []
    for i in range(10):
        n = len(alice.sip_trace())
        alice.dial("sip:bob@example.test")
        alice.expect_event("CALL_ESTABLISHED", timeout=20)
        time.sleep(1.0)      # as hail-cli --duration 1
        alice.hangup()
        alice.expect_event("CALL_CLOSED", timeout=20)
        sent = [(at, line) for at, way, line in alice.sip_trace()[n:] if way == "out"]
        try:
            ms, count = setup_ms(sent)
        except AssertionError as e:
            raise AssertionError("%s: call %d sent %r" % (e, i, sent))
        setups.append(ms)
        invites.append(count)
    print("baresip call set-up through Kamailio (UDP), first INVITE sent to ACK sent: "
          "median %.1f ms, min %.1f, max %.1f (10 calls, %d of them challenged with 407)"
          % (statistics.median(setups), min(setups), max(setups),
             sum(1 for c in invites if c > 1)))
    alice.stop()
    bob.stop()

    for codec in ("opus", "PCMU"):
        bob = bs.Baresip(t, "bob", bs.tone_wav(t.path("bs-%s-1000.wav" % codec), codec, 1000),
                         codec, registrar=kam).start()
        alice = bs.Baresip(t, "alice", bs.tone_wav(t.path("bs-%s-440.wav" % codec), codec, 440),
                           codec, registrar=kam, record=False).start()
        alice.dial("sip:bob@example.test")
        alice.expect_event("CALL_ESTABLISHED", timeout=20)
        print_load("baresip", codec, alice.proc.pid)
        alice.hangup()
        alice.expect_event("CALL_CLOSED", timeout=20)
        alice.stop()
        bob.stop()

    for codec in ("PCMU", "opus"):
        rate, channels = bs.CODECS[codec][2:]
        click = click_wav(t.path("bs-click-%s.wav" % codec), rate=rate, channels=channels)
        quiet = click_wav(t.path("bs-quiet-%s.wav" % codec), rate=rate, channels=channels,
                          loud=False)
        runs = [baresip_latency_ms(t, kam, codec, click, quiet) for _ in range(3)]
        print("baresip mouth-to-ear on loopback, %s (its default jitter buffer): median %.1f ms,"
              " min %.1f, max %.1f (3 calls)"
              % (codec, statistics.median(runs), min(runs), max(runs)))


def baresip_latency_ms(t, kam, codec, click, quiet):
    bob = bs.Baresip(t, "bob", quiet, codec, registrar=kam).start()
    alice = bs.Baresip(t, "alice", click, codec, registrar=kam, record=False).start()
    watch = FileWatch(lambda: [os.path.join(bob.rec, f) for f in os.listdir(bob.rec)])
    start = baresip_click_call(alice, bob, "sip:bob@example.test", watch)
    record = bob.recording()
    index, rate, offset = first_loud_sample(record)
    assert index is not None, "the click never arrived"
    arrived = watch.first(record, offset + 2 * (index + 1))
    assert arrived is not None
    return (arrived - start - 1.0) * 1000.0


ht.run(main, name="bench-call")
