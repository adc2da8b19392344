#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Benchmark: calls between two hail-cli through the harness Kamailio.

Prints (1) call set-up time, the first INVITE sent to the ACK of the 2xx
sent, as seen on hail-cli's --trace (so it includes the 407 challenge
round trip and both hail-cli's work), over 10 calls on UDP; (2) CPU and
resident memory of the calling hail-cli during one established call for
Opus and for PCMU (8 s measured, both sides sending a WAV and the callee
recording). Environment: HAIL_CLI (set by meson).
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
import hailtest as ht  # noqa: E402


def tone_wav(path, freq, seconds=2.0, rate=16000):
    w = wave.open(path, "wb")
    w.setnchannels(1)
    w.setsampwidth(2)
    w.setframerate(rate)
    w.writeframes(b"".join(struct.pack("<h", int(12000 * math.sin(2 * math.pi * freq * i / rate)))
                           for i in range(int(rate * seconds))))
    w.close()
    return path


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
        t_invite = t_ack = None
        outgoing = False
        for stamp, line in self.lines:
            if line.startswith("--> ") or line.startswith("<-- "):
                outgoing = line.startswith("--> ")
                continue
            if not outgoing:
                continue
            if line.startswith("INVITE ") and t_invite is None:
                t_invite = stamp
            elif line.startswith("ACK "):
                t_ack = stamp
            elif line.startswith("BYE "):
                break
        assert t_invite is not None and t_ack is not None, "no INVITE/ACK in the trace"
        return (t_ack - t_invite) * 1000.0

    def wait_event(self, text, timeout):
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            for stamp, line in self.stdout:
                if text in line:
                    return stamp
            time.sleep(0.01)
        raise AssertionError("no %r from hail-cli within %d s" % (text, timeout))


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
    ht.require("kamailio")
    kam = t.kamailio()
    tone440 = tone_wav(t.path("tone440.wav"), 440)
    tone1000 = tone_wav(t.path("tone1000.wav"), 1000)
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
        time.sleep(1.0)
        c0, w0 = cpu_seconds(p.proc.pid), time.monotonic()
        time.sleep(8.0)
        c1, w1 = cpu_seconds(p.proc.pid), time.monotonic()
        rss = rss_mb(p.proc.pid)
        print("one established %s call, caller hail-cli: CPU %.2f %% of a core, RSS %.1f MB"
              % (codec, 100.0 * (c1 - c0) / (w1 - w0), rss))
        assert p.proc.wait(timeout=30) == 0
        bob.proc.terminate()
        bob.expect_exit(0, timeout=15)
    if shutil.which("baresip"):
        print("baresip is installed; its figures are not scripted here")
    else:
        print("baresip: not installed on this machine (Debian package baresip): no comparison")


ht.run(main, name="bench-call")
