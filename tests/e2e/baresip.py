# SPDX-License-Identifier: GPL-3.0-or-later
"""baresip (Debian's baresip-core 1.0.0) as a peer for Hail's end-to-end
tests and benchmarks; stdlib only, run with /usr/bin/python3.

    import baresip as bs

    bob = bs.Baresip(t, "bob", play=tone1000_wav, codec="PCMU", registrar=kam)
    bob.start()                                  # bound and registered
    bob.command("dial", "sip:alice@example.test")
    bob.expect_event("CALL_ESTABLISHED", timeout=15)
    bob.command("hangup")
    bob.expect_event("CALL_CLOSED", timeout=10)
    bob.recording()                              # what bob heard (WAV)

Each instance gets a throw-away config directory in the test's work
directory: SIP on 127.0.0.1 only (UDP and TCP, a free port), no sound card
(the aufile module plays a WAV as the microphone, aubridge takes the
speaker's samples and drops them, the sndfile filter records what was
heard and said to WAV), and ctrl_tcp on a free 127.0.0.1 port, driven with
its netstring-framed JSON: commands ({"command", "params", "token"}) get a
response with the same token; events (CALL_INCOMING, CALL_ESTABLISHED,
CALL_CLOSED, REGISTER_OK, ...) arrive on the same connection. Every wait
is bounded; the process is stopped by its own PID with the test.
"""

import glob
import json
import math
import os
import queue
import re
import shutil
import socket
import struct
import tempfile
import threading
import time
import wave

import hailtest as ht

MODULES = "/usr/lib/baresip/modules"
# baresip's names for the codecs, as its account parameter audio_codecs
# wants them, and the module that has each.
# Its aufile source wants a WAV at the codec's own rate and channels (Opus:
# stereo, which baresip offers by default with sprop-stereo=1).
CODECS = {
    "PCMU": ("PCMU/8000/1", "g711.so", 8000, 1),
    "PCMA": ("PCMA/8000/1", "g711.so", 8000, 1),
    "G722": ("G722/16000/1", "g722.so", 16000, 1),
    "opus": ("opus/48000/2", "opus.so", 48000, 2),
}


def require():
    """Skip the test when baresip or a module it needs is not installed."""
    ht.require("baresip")
    for m in ("aufile", "aubridge", "sndfile", "ctrl_tcp", "menu", "account", "g711"):
        if not os.path.exists(os.path.join(MODULES, m + ".so")):
            raise ht.Skip("baresip module %s is not installed" % m)


def tone_wav(path, codec, freq, seconds=10.0):
    """A sine of freq Hz as aufile wants it for `codec` (rate, channels)."""
    rate, channels = CODECS[codec][2:]
    frame = [struct.pack("<h", int(12000 * math.sin(2 * math.pi * freq * i / rate))) * channels
             for i in range(rate)]
    with wave.open(path, "wb") as w:
        w.setnchannels(channels)
        w.setsampwidth(2)
        w.setframerate(rate)
        # Whole seconds of a whole number of periods (freq is an integer).
        w.writeframes(b"".join(frame) * int(seconds))
    return path


# A -s trace's line before each message: "UDP 127.0.0.1:5060 -> 127.0.0.1:5070".
TRACE_LINE = re.compile(r"(?:UDP|TCP|TLS) (\S+) -> (\S+)$")


def next_matching(q, match, timeout):
    """The next item of queue q for which match() is true (others are
    dropped), None after timeout seconds, False when the queue's writer
    ended (it put None, which is put back for the next caller)."""
    end = time.monotonic() + timeout
    while True:
        left = end - time.monotonic()
        if left <= 0:
            return None
        try:
            item = q.get(timeout=left)
        except queue.Empty:
            continue
        if item is None:
            q.put(None)
            return False
        if match(item):
            return item


def netstring(data):
    return b"%d:%s," % (len(data), data)


class CtrlClient:
    """A ctrl_tcp connection: netstrings in both directions, read by a
    thread into a response queue and an event queue."""

    def __init__(self, port, timeout=10.0):
        end = time.monotonic() + timeout
        while True:
            try:
                self.sock = socket.create_connection(("127.0.0.1", port), timeout=1.0)
                break
            except OSError:
                if time.monotonic() >= end:
                    raise AssertionError("baresip ctrl_tcp did not accept on %d" % port)
                time.sleep(0.05)
        self.sock.settimeout(None)
        self.responses = queue.Queue()
        self.events = queue.Queue()
        self.seen = []
        self._token = 0
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self):
        buf = b""
        try:
            while True:
                chunk = self.sock.recv(65536)
                if not chunk:
                    break
                buf += chunk
                while True:
                    length, colon, rest = buf.partition(b":")
                    if not colon:
                        break
                    # A netstring length is at most a few digits; anything
                    # else means we lost the framing: stop reading.
                    if not length.isdigit() or len(length) > 7:
                        raise ValueError("bad netstring length %r" % length[:20])
                    n = int(length)
                    if len(rest) < n + 1:
                        break
                    if rest[n:n + 1] != b",":
                        raise ValueError("netstring without its comma")
                    self._dispatch(rest[:n])
                    buf = rest[n + 1:]
        except (OSError, ValueError) as e:
            self.seen.append("ctrl_tcp read ended: %s" % e)
        self.events.put(None)
        self.responses.put(None)

    def _dispatch(self, data):
        try:
            obj = json.loads(data.decode("utf-8", "replace"))
        except ValueError:
            self.seen.append("not JSON: %r" % data[:200])
            return
        self.seen.append(json.dumps(obj))
        obj["_at"] = time.monotonic()
        if obj.get("response"):
            self.responses.put(obj)
        elif obj.get("event"):
            self.events.put(obj)

    def command(self, name, params=None, timeout=10.0):
        """Send a command and return its response (a dict with "ok" and
        "data"); AssertionError when none comes within timeout."""
        self._token += 1
        token = str(self._token)
        msg = {"command": name, "token": token}
        if params is not None:
            msg["params"] = params
        self.sock.sendall(netstring(json.dumps(msg).encode()))
        r = next_matching(self.responses, lambda r: r.get("token") == token, timeout)
        if r is None:
            raise AssertionError("baresip: no response to %r within %.1f s" % (name, timeout))
        if r is False:
            raise AssertionError("baresip: ctrl_tcp closed before the response to %r" % name)
        return r

    def close(self):
        try:
            self.sock.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
        self.sock.close()
        self._reader.join(timeout=5)


class Baresip:
    """One baresip user agent. `user` names it (sip:USER@example.test when
    registered through `registrar`, a hailtest.Kamailio; sip:USER@127.0.0.1
    answering directly otherwise). `play`: the WAV sent as its microphone
    (aufile reads it whole at the start of a call, then sends silence);
    `codec`: the one codec offered and accepted (a CODECS key); `answer`:
    "auto" answers every call, "manual" waits for accept(); `record`:
    sndfile records the call; `trace`: keep a SIP trace with arrival times
    (sip_trace()); `transport`: "udp", "tcp" or "tls" (to the registrar's
    TLS port, its CA trusted); `mediaenc`: "srtp" (SDES offered and taken,
    RTP/SAVP), "srtp-mand" (SDES required) or None (plain RTP only)."""

    def __init__(self, t, user, play, codec="PCMU", registrar=None, answer="auto", record=True,
                 trace=False, transport="udp", mediaenc=None):
        if codec not in CODECS:
            raise ValueError("unknown codec " + codec)
        self.t = t
        self.user = user
        self.play = play
        self.codec = codec
        self.registrar = registrar
        self.answer = answer
        self.record = record
        self.trace = trace
        self.transport = transport
        self.mediaenc = mediaenc
        self.dir = t.subdir("baresip-" + user)
        # baresip 1.0's sndfile builds each file name in a 128-byte buffer
        # and cuts the ".wav" off a long one: record under a short path.
        self.rec = tempfile.mkdtemp(prefix="hail-bs-", dir="/tmp")
        t.own(self.rec, lambda: shutil.rmtree(self.rec, ignore_errors=True))
        self.proc = None
        self.ctrl = None
        self.sip_port = None

    @property
    def uri(self):
        """Where to call it: its AOR when registered, its address if not."""
        if self.registrar is not None:
            return "sip:%s@example.test" % self.user
        return "sip:%s@127.0.0.1:%d" % (self.user, self.sip_port)

    def _write_config(self, sip_port, ctrl_port):
        codec_name, codec_module = CODECS[self.codec][:2]
        conf = os.path.join(self.dir, "conf")
        os.makedirs(conf, exist_ok=True)
        lines = [
            "poll_method epoll",
            # An IP address: on this CI baresip cannot read lo's address by
            # name, and without one it takes eth0's for SDP.
            "net_interface 127.0.0.1",
            "sip_listen 127.0.0.1:%d" % sip_port,
            "module_path " + MODULES,
            "module " + codec_module,
            "module aufile.so",
            "module aubridge.so",
            "module_app account.so",
            "module_app menu.so",
            "module_app ctrl_tcp.so",
            "audio_source aufile," + self.play,
            # aubridge plays into a device nobody reads: no sound card.
            "audio_player aubridge,%s-speaker" % self.user,
            "audio_alert aubridge,%s-alert" % self.user,
            "ctrl_tcp_listen 127.0.0.1:%d" % ctrl_port,
            "rtp_ports 10000-60000",
        ]
        if self.record:
            lines += ["module sndfile.so", "snd_path " + self.rec]
        if self.mediaenc is not None:
            lines += ["module srtp.so"]
        if self.transport == "tls":
            lines += ["sip_cafile " + self.registrar.ca]
        with open(os.path.join(conf, "config"), "w") as f:
            f.write("\n".join(lines) + "\n")
        params = ";audio_codecs=%s;answermode=%s" % (codec_name, self.answer)
        if self.mediaenc is not None:
            params += ";mediaenc=" + self.mediaenc
        if self.registrar is not None:
            kam = self.registrar
            server = kam.address
            if self.transport == "tls":
                server = "%s:%d" % (kam.ip, kam.tls_port)
            # The password goes in this throw-away file only, never in
            # argv or the environment.
            aor = "<sip:%s@example.test;transport=%s>;auth_pass=%s-secret;" \
                  "outbound=\"sip:%s;transport=%s\";regint=300" \
                  % (self.user, self.transport, self.user, server, self.transport)
        else:
            aor = "<sip:%s@127.0.0.1>;regint=0" % self.user
        with open(os.path.join(conf, "accounts"), "w") as f:
            f.write(aor + params + "\n")
        # baresip writes its contacts file on first run if missing; give it
        # an empty one so it never reaches for $HOME.
        open(os.path.join(conf, "contacts"), "w").close()
        return conf

    def start(self, tries=3, timeout=15.0):
        """Start baresip, wait until its SIP port and ctrl_tcp are up and,
        with a registrar, until it registered. A port picked free can be
        taken before baresip binds it: then pick again."""
        for attempt in range(tries):
            sip_port = ht.free_port("both")
            ctrl_port = ht.free_port("tcp")
            conf = self._write_config(sip_port, ctrl_port)
            # Line-buffered stdout (stdbuf execs baresip: the PID stays),
            # so that "baresip is ready." and the -s trace reach us as they
            # are printed.
            argv = ["stdbuf", "-oL", "baresip", "-4", "-f", conf] + (["-s"] if self.trace else [])
            p = self.t.spawn(argv, name="baresip-%s-%d" % (self.user, attempt),
                             env=self.t.isolated_env(), stdin=False)

            def up():
                # Read before the sockets are looked at: baresip binds
                # them before it prints this.
                ready = "baresip is ready." in p.seen
                if p.proc.poll() is not None:
                    return "exited"
                if ht.udp_port_bound(sip_port, p.pid) and ht.tcp_port_listening(ctrl_port, p.pid):
                    return "up"
                # Ready without both sockets: a port was taken meanwhile.
                return "ports taken" if ready else None

            state = ht.wait_until(up, "baresip %s to listen on %d and %d"
                                  % (self.user, sip_port, ctrl_port), timeout=timeout)
            if state == "up":
                break
            p.stop()
            if attempt == tries - 1:
                raise AssertionError("baresip %s: %s at start:\n%s"
                                     % (self.user, state, p.output()))
        self.proc = p
        self.sip_port = sip_port
        self.ctrl = CtrlClient(ctrl_port, timeout=timeout)
        self.t.own(self.ctrl, self.ctrl.close)
        if self.registrar is not None:
            # REGISTER_OK may come before ctrl_tcp is connected: read the
            # line baresip prints, "bob@example.test: {0/TCP/v4} 200 OK ...",
            # which also says the transport was the one asked for.
            done = "{0/%s/v4} 200 OK" % self.transport.upper()
            ht.wait_until(lambda: any(done in line for line in p.seen),
                          "baresip %s to register over %s" % (self.user, self.transport),
                          timeout=timeout)
        ht.log("baresip %s (pid %d) on 127.0.0.1:%d, %s" % (self.user, p.pid, sip_port, self.codec))
        return self

    def command(self, name, params=None, timeout=10.0):
        r = self.ctrl.command(name, params, timeout)
        if not r.get("ok"):
            raise AssertionError("baresip %s: %s %s failed: %s"
                                 % (self.user, name, params or "", r.get("data")))
        return r

    def expect_event(self, type_, timeout=10.0):
        """The next event of this type (a dict: "type", "param",
        "peeruri", ...); other events before it are skipped."""
        ev = next_matching(self.ctrl.events, lambda ev: ev.get("type") == type_, timeout)
        if not ev:
            raise AssertionError("baresip %s: %s before event %s\n%s"
                                 % (self.user, "ctrl_tcp closed" if ev is False else
                                    "%.1f s passed" % timeout, type_, self.output()))
        return ev

    def dial(self, uri):
        return self.command("dial", uri)

    def accept(self):
        return self.command("accept")

    def hangup(self):
        return self.command("hangup")

    def sip_trace(self):
        """The SIP messages of the -s trace so far, as (arrival time, "out"
        or "in", start line). Each is printed as a line "UDP FROM -> TO"
        (after whatever status text the menu left on the line), then the
        message."""
        ours = "127.0.0.1:%d" % self.sip_port
        lines = list(zip(self.proc.seen_at, self.proc.seen))
        out = []
        for i, (at, line) in enumerate(lines[:-1]):
            m = TRACE_LINE.search(line)
            if m:
                out.append((at, "out" if m.group(1) == ours else "in", lines[i + 1][1]))
        return out

    def recording(self, what="dec"):
        """The WAV sndfile wrote of the one call: "dec" what baresip heard,
        "enc" what it sent."""
        files = glob.glob(os.path.join(self.rec, "dump-*-%s.wav" % what))
        assert len(files) == 1, "baresip %s: %s recordings %r" % (self.user, what, files)
        return files[0]

    def output(self):
        lines = "\n  ".join(self.ctrl.seen[-20:]) if self.ctrl else ""
        return "ctrl_tcp:\n  %s\n%s" % (lines, self.proc.output() if self.proc else "")

    def stop(self, timeout=10.0):
        """Quit through ctrl_tcp (it unregisters), bounded; Test kills it
        otherwise."""
        if self.proc is None or self.proc.proc.poll() is not None:
            return
        try:
            self.ctrl.command("quit", timeout=timeout)
        except AssertionError:
            pass
        try:
            self.proc.wait(timeout)
        except AssertionError:
            self.proc.stop()


def installed():
    return shutil.which("baresip") is not None
