# SPDX-License-Identifier: GPL-3.0-or-later
"""Helpers for Hail's end-to-end tests (run with /usr/bin/python3; stdlib only).

A test is a script that exits 0 (pass), 77 (skip) or anything else (fail):

    import hailtest as ht

    def main(t):                        # t: ht.Test, owns every process
        kam = t.kamailio()              # on free ports, stopped at exit
        cli = t.spawn([ht.hail_cli(), "--json", "register", "alice@example.test"],
                      env=t.isolated_env())
        cli.send_line("alice-secret")   # password on stdin, never in argv/env
        ev = ht.expect_event(cli, "registered", timeout=10)
        cli.expect_exit(0, timeout=10)

    ht.run(main)

Everything is bounded: each wait has a deadline, every process started
through a Test is killed (exactly that PID) when the test ends, fails or is
interrupted by meson's timeout (SIGTERM). `hailtest.py free-port` prints a
free port for shell tests (lib.sh uses it).
"""

import hashlib
import heapq
import json
import os
import queue
import random
import re
import select
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import uuid

HERE = os.path.dirname(os.path.abspath(__file__))
KAM_DIR = os.path.join(HERE, "kamailio")
SIPP_DIR = os.path.join(HERE, "sipp")
SKIP = 77


class Skip(Exception):
    """Raise to end the test as skipped (exit 77), with the reason printed."""


def require(*commands):
    """Skip the test when a tool it needs is not installed."""
    for c in commands:
        if shutil.which(c) is None:
            raise Skip(c + " is not installed")


def log(*args):
    print("#", *args, flush=True)


def now_ms():
    return time.monotonic() * 1000.0


# ---------------------------------------------------------------- ports


def _ephemeral_low():
    """The first port of the kernel's ephemeral range (port 0 binds)."""
    try:
        with open("/proc/sys/net/ipv4/ip_local_port_range") as f:
            return int(f.read().split()[0])
    except (OSError, ValueError, IndexError):
        return 32768


def free_port(kind="both", span=1, host="127.0.0.1"):
    """A port P such that P .. P+span-1 are free for `kind` ("udp", "tcp" or
    "both") on host. P is drawn at random below the kernel's ephemeral
    range: a port the kernel picked (port 0) would be handed out again to
    the next process that binds port 0 (a peer, Kamailio, an RTP socket of
    a parallel test), and a sipp told to use it then fails with "Address
    already in use". It stays free only until someone binds it, so bind it
    soon."""
    kinds = {"udp": [socket.SOCK_DGRAM], "tcp": [socket.SOCK_STREAM],
             "both": [socket.SOCK_STREAM, socket.SOCK_DGRAM]}[kind]
    low, high = 10000, _ephemeral_low() - span
    if high <= low:
        low, high = 1024, 65536 - span
    pick = random.SystemRandom()
    for _ in range(200):
        port = pick.randrange(low, high)
        held = []
        try:
            for p in range(port, port + span):
                for k in kinds:
                    s = socket.socket(socket.AF_INET, k)
                    held.append(s)
                    s.bind((host, p))
            return port
        except OSError:
            continue
        finally:
            for s in held:
                s.close()
    raise RuntimeError("no free port range of %d found" % span)


def wait_until(predicate, what, timeout=10.0, interval=0.02):
    """Poll predicate() until it returns a true value (returned) or raise
    AssertionError after timeout seconds."""
    end = time.monotonic() + timeout
    while True:
        result = predicate()
        if result:
            return result
        if time.monotonic() >= end:
            raise AssertionError("timed out after %.1f s waiting for %s" % (timeout, what))
        time.sleep(interval)


def _socket_inodes(pid):
    """The inodes of the sockets process `pid` holds open."""
    inodes = set()
    try:
        for fd in os.listdir("/proc/%d/fd" % pid):
            try:
                link = os.readlink("/proc/%d/fd/%s" % (pid, fd))
            except OSError:
                continue
            if link.startswith("socket:["):
                inodes.add(link[8:-1])
    except OSError:
        pass
    return inodes


def udp_port_bound(port, pid=None):
    """Whether some socket is bound to UDP `port` (any address); with pid,
    whether that process's own socket is, so that another test's passing
    probe of the same port is not taken for it. Reads /proc/net/udp{,6}
    instead of binding a probe socket, which could make the process we
    wait for fail to bind."""
    return _port_in_tables("udp", port, pid)


def tcp_port_listening(port, pid=None):
    """Whether some socket listens on TCP `port`; with pid, whether that
    process's own socket does (see udp_port_bound)."""
    return _port_in_tables("tcp", port, pid, state="0A")     # 0A: LISTEN


def _port_in_tables(proto, port, pid, state=None):
    want = ":%04X" % port
    inodes = _socket_inodes(pid) if pid is not None else None
    for table in ("/proc/net/" + proto, "/proc/net/%s6" % proto):
        try:
            with open(table) as f:
                next(f)
                for line in f:
                    cols = line.split()
                    if cols[1].endswith(want) and (state is None or cols[3] == state) \
                            and (inodes is None or cols[9] in inodes):
                        return True
        except (OSError, StopIteration, IndexError):
            continue
    return False


# ---------------------------------------------------------------- processes


class Proc:
    """A process started by Test.spawn(). stdout is read line by line by a
    thread: lines that are JSON objects are events (for `hail-cli --json`),
    the rest is kept as text. stderr goes to a log file."""

    def __init__(self, argv, workdir, name, env=None, cwd=None, stdin=True):
        self.name = name
        self.argv = [str(a) for a in argv]
        self.stderr_path = os.path.join(workdir, name + ".stderr")
        self._stderr = open(self.stderr_path, "wb")
        self.proc = subprocess.Popen(
            self.argv, cwd=cwd or workdir, env=env,
            stdin=subprocess.PIPE if stdin else subprocess.DEVNULL,
            stdout=subprocess.PIPE, stderr=self._stderr, start_new_session=False)
        self.pid = self.proc.pid
        self.events = queue.Queue()
        self.seen = []          # every event and text line, for failure messages
        self.seen_at = []       # when each line of .seen arrived (time.monotonic())
        self.text = []
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self):
        for raw in self.proc.stdout:
            line = raw.decode("utf-8", "replace").rstrip("\n")
            try:
                obj = json.loads(line)
            except ValueError:
                obj = None
            if isinstance(obj, dict):
                self.events.put(obj)
            else:
                self.text.append(line)
            self.seen_at.append(time.monotonic())
            self.seen.append(line)
        self.events.put(None)   # end of stdout

    def expect_event(self, name, timeout=10.0, **fields):
        """Return the next event whose "event" is name and whose keys equal
        `fields`; other events before it are skipped (and kept in .seen).
        AssertionError on timeout or when stdout ends first."""
        end = time.monotonic() + timeout
        while True:
            left = end - time.monotonic()
            if left <= 0:
                raise AssertionError("%s: no event %r %r within %.1f s; output:\n%s"
                                     % (self.name, name, fields, timeout, self.output()))
            try:
                ev = self.events.get(timeout=left)
            except queue.Empty:
                continue
            if ev is None:
                self.events.put(None)
                raise AssertionError("%s: exited (rc %s) before event %r; output:\n%s"
                                     % (self.name, self.proc.poll(), name, self.output()))
            if ev.get("event") == name and all(ev.get(k) == v for k, v in fields.items()):
                return ev

    def send_line(self, text):
        """Write text and a newline to stdin (e.g. a password prompt).
        False when the process is gone without reading it: hail-cli turns
        bad arguments down before it reads a password, so the test asserts
        what it said and its exit status, not the write."""
        try:
            self.proc.stdin.write(text.encode() + b"\n")
            self.proc.stdin.flush()
        except BrokenPipeError:
            return False
        return True

    def close_stdin(self):
        if self.proc.stdin and not self.proc.stdin.closed:
            try:
                self.proc.stdin.close()
            except BrokenPipeError:
                pass  # unread input of a process that is gone

    def wait(self, timeout):
        """Exit status, or AssertionError if still running after timeout s."""
        try:
            rc = self.proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            raise AssertionError("%s still running after %.1f s" % (self.name, timeout))
        self._reader.join(timeout=5)
        return rc

    def expect_exit(self, code, timeout=10.0):
        rc = self.wait(timeout)
        if rc != code:
            raise AssertionError("%s exited %s, expected %s; output:\n%s"
                                 % (self.name, rc, code, self.output()))
        return rc

    def output(self):
        with open(self.stderr_path, "rb") as f:
            err = f.read()[-4000:].decode("utf-8", "replace")
        return "stdout:\n  " + "\n  ".join(self.seen[-40:]) + "\nstderr:\n" + err

    def stop(self, grace=3.0):
        """SIGTERM, then SIGKILL after grace seconds; exactly this PID."""
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=grace)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=grace)
        self.close_stdin()
        self._stderr.close()


def expect_event(proc, name, timeout=10.0, **fields):
    """Module-level form of Proc.expect_event()."""
    return proc.expect_event(name, timeout=timeout, **fields)


def hail_cli():
    """Path of the hail-cli under test: $HAIL_CLI, which meson sets for the
    e2e suite. Skips the test when it is not set or not executable."""
    path = os.environ.get("HAIL_CLI", "")
    if not path or not os.access(path, os.X_OK):
        raise Skip("hail-cli not found (set HAIL_CLI)")
    return path


# ---------------------------------------------------------------- Kamailio


class Kamailio:
    """The test registrar/proxy (kamailio/kamailio.cfg) on free ports.
    Attributes after start(): pid, ip, port, tls_port, rundir, ca, log,
    startup_ms."""

    def __init__(self, rundir, ip="127.0.0.1", sha256=False, debug=False, certs=None,
                 netns=None, ports=None):
        self.rundir = rundir
        # netns: run (and stop) it inside that network namespace; ports:
        # (port, tls_port) instead of free ones, as a namespace has its own
        # port space (dns.py).
        self.prefix = ["ip", "netns", "exec", netns] if netns else []
        self.ports = ports
        self.ip = ip
        self.env = dict(os.environ)
        self.env["HAIL_KAM_SHA256"] = "1" if sha256 else "0"
        self.env["HAIL_KAM_DEBUG"] = "1" if debug else "0"
        if certs:
            self.env["HAIL_KAM_CERTS"] = certs
        self.pid = None

    def start(self, tries=3):
        # A port picked free can be taken before Kamailio binds it: the run
        # script then refuses, and we pick again.
        for attempt in range(tries):
            port, tls_port = self.ports or (free_port("both", host=self.ip),
                                            free_port("tcp", host=self.ip))
            r = subprocess.run(
                self.prefix + [os.path.join(KAM_DIR, "run-kamailio.sh"), "-i", self.ip,
                               "-p", str(port), "-t", str(tls_port), self.rundir],
                env=self.env, capture_output=True, text=True, timeout=60)
            if r.returncode == 0:
                break
            if "in use" not in r.stderr or attempt == tries - 1:
                raise AssertionError("run-kamailio.sh failed (%d):\n%s" % (r.returncode, r.stderr))
        vars_ = dict(l.split("=", 1) for l in r.stdout.splitlines() if "=" in l)
        self.pid = int(vars_["HAIL_KAM_PID"])
        self.port = int(vars_["HAIL_KAM_PORT"])
        self.tls_port = int(vars_["HAIL_KAM_TLS_PORT"])
        self.ca = vars_["HAIL_KAM_CA"]
        self.log = vars_["HAIL_KAM_LOG"]
        self.startup_ms = int(vars_["HAIL_KAM_STARTUP_MS"])
        return self

    @property
    def address(self):
        return "%s:%d" % (self.ip, self.port)

    def stop(self):
        if self.pid is None:
            return
        r = subprocess.run(self.prefix + [os.path.join(KAM_DIR, "stop-kamailio.sh"), self.rundir],
                           capture_output=True, text=True, timeout=30)
        self.pid = None
        if r.returncode != 0:
            raise AssertionError("stop-kamailio.sh failed: " + r.stderr)


# ---------------------------------------------------------------- sipp


class SippResult:
    def __init__(self, rc, workdir, name, elapsed_ms):
        self.rc = rc
        self.workdir = workdir
        self.name = name
        self.elapsed_ms = elapsed_ms

    def logs(self):
        """Concatenated sipp logs (errors, messages, screen) for a message."""
        out = []
        for f in sorted(os.listdir(self.workdir)):
            if f.endswith(".log"):
                with open(os.path.join(self.workdir, f), errors="replace") as fh:
                    out.append("== %s\n%s" % (f, fh.read()[-3000:]))
        return "\n".join(out)

    def messages(self):
        """The -trace_msg log: every message sipp sent and received."""
        for f in os.listdir(self.workdir):
            if f.endswith("_messages.log"):
                with open(os.path.join(self.workdir, f), errors="replace") as fh:
                    return fh.read()
        return ""


def sipp_argv(scenario, remote=None, calls=1, timeout=20, transport="u1", port=None,
              ip="127.0.0.1", extra=()):
    """The sipp command line with the bounds every run needs: -m calls,
    -timeout (global, then failure with -timeout_error), -i, a free media
    port, no stdin, traces in the working directory."""
    if not os.path.isabs(scenario):
        scenario = os.path.join(SIPP_DIR, scenario)
    argv = ["sipp"]
    if remote:
        argv.append(remote)
    argv += ["-sf", scenario, "-i", ip, "-t", transport, "-m", str(calls),
             "-timeout", "%ds" % timeout, "-timeout_error", "-nostdin",
             "-mp", str(free_port("udp", span=4, host=ip)),
             "-trace_err", "-trace_msg", "-trace_screen"]
    # Without -p sipp takes 5060 when it is free: never let it.
    argv += ["-p", str(port if port is not None else free_port("both", host=ip))]
    return argv + [str(a) for a in extra]


# ---------------------------------------------------------------- lossy relay


class LossyUdpRelay:
    """A UDP relay on 127.0.0.1 that forwards datagrams between one client
    and `target` (host, port) and drops each one with probability `loss`,
    each way, from a seeded generator (so a run is reproducible). It stands
    in for netem where the kernel has none. The client is whoever last sent
    to the relay's port; replies to it leave from the same port.

    With `jitter` (seconds) each datagram kept is held a random time, even
    over 0 .. 2 * jitter (mean `jitter`), from the same generator, so that
    datagrams overtake each other as they would through netem's delay with
    jitter. `port`: bind that port instead of one the kernel picks.
    `rewrite(data, way)`, if given, returns the datagram to forward ("up":
    client to target, "down": back)."""

    # Datagrams held at once, at most: a flood is dropped, not queued.
    MAX_HELD = 10000

    def __init__(self, target, loss=0.3, seed=4, jitter=0.0, port=0, rewrite=None):
        self.target = target
        self.loss = loss
        self.jitter = jitter
        self.rewrite = rewrite
        self.rng = random.Random(seed)
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        try:
            self.sock.bind(("127.0.0.1", port))
        except OSError:
            self.sock.close()
            raise
        self.port = self.sock.getsockname()[1]
        self.client = None
        self.stats = {"up": 0, "up_dropped": 0, "down": 0, "down_dropped": 0,
                      "reordered": 0, "held_ms": 0.0}
        self._held = []         # heap of (due, sequence, data, destination)
        self._seq = 0
        self._sent_seq = -1
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _send(self, data, dst):
        try:
            self.sock.sendto(data, dst)
        except OSError:
            pass                # as a network would: the datagram is lost

    def _release(self):
        now = time.monotonic()
        while self._held and self._held[0][0] <= now:
            _, seq, data, dst = heapq.heappop(self._held)
            if seq < self._sent_seq:
                self.stats["reordered"] += 1
            self._sent_seq = max(self._sent_seq, seq)
            self._send(data, dst)

    def _run(self):
        while not self._stop.is_set():
            wait = 0.1
            if self._held:
                wait = min(wait, max(0.0, self._held[0][0] - time.monotonic()))
            ready, _, _ = select.select([self.sock], [], [], wait)
            self._release()
            if not ready:
                continue
            data, src = self.sock.recvfrom(65535)
            if src == self.target:
                way, dst = "down", self.client
            else:
                self.client = src
                way, dst = "up", self.target
            if dst is None:
                continue
            self.stats[way] += 1
            if self.rng.random() < self.loss:
                self.stats[way + "_dropped"] += 1
                continue
            if self.rewrite is not None:
                data = self.rewrite(data, way)
            if self.jitter <= 0:
                self._send(data, dst)
                continue
            if len(self._held) >= self.MAX_HELD:
                self.stats[way + "_dropped"] += 1
                continue
            hold = self.rng.uniform(0.0, 2.0 * self.jitter)
            self.stats["held_ms"] += hold * 1000.0
            heapq.heappush(self._held, (time.monotonic() + hold, self._seq, data, dst))
            self._seq += 1

    def close(self):
        self._stop.set()
        self._thread.join(timeout=5)
        self.sock.close()


class MediaRelay:
    """Puts a call's RTP and RTCP through LossyUdpRelays where the kernel
    has no netem: a UDP SIP relay (no loss) between a caller and the UAS
    at `target` that rewrites the port of each SDP m= line, both ways, to
    a pair of relays (RTP on an even port, RTCP on the next) forwarding to
    the port the SDP named with `loss` and `jitter` (see LossyUdpRelay).
    Call sip:USER@127.0.0.1:<.port>. Media addresses must be 127.0.0.1.
    .media: {original RTP port: (RTP relay, RTCP relay)}. `tap(port, data)`,
    if given, sees each media datagram kept for `port` as it comes in."""

    _M_LINE = re.compile(rb"^(m=[a-z]+ )(\d+)( )", re.M)
    _LENGTH = re.compile(rb"^(Content-Length|l)[ \t]*:[ \t]*\d+", re.M | re.I)

    def __init__(self, target, loss=0.05, jitter=0.03, seed=4, tap=None):
        self.tap = tap
        self.loss = loss
        self.jitter = jitter
        self.seed = seed
        self.media = {}
        self._lock = threading.Lock()
        self.sip = LossyUdpRelay(target, loss=0.0, rewrite=self._rewrite)
        self.port = self.sip.port

    def _pair(self, port):
        with self._lock:
            if port not in self.media:
                self.media[port] = self._bind_pair(port)
            return self.media[port][0].port

    def _bind_pair(self, port):
        seed = self.seed + len(self.media) * 2
        for _ in range(50):
            base = free_port("udp", span=2)
            if base % 2:
                continue
            try:
                rtp = LossyUdpRelay(("127.0.0.1", port), self.loss, seed, self.jitter, base,
                                    self._tapper(port))
            except OSError:
                continue
            try:
                rtcp = LossyUdpRelay(("127.0.0.1", port + 1), self.loss, seed + 1,
                                     self.jitter, base + 1, self._tapper(port + 1))
            except OSError:
                rtp.close()
                continue
            return rtp, rtcp
        raise AssertionError("no free even/odd port pair for a media relay")

    def _tapper(self, port):
        if self.tap is None:
            return None

        def tap(data, way):
            self.tap(port, data)
            return data
        return tap

    def _rewrite(self, data, way):
        head, sep, body = data.partition(b"\r\n\r\n")
        if not sep or not self._M_LINE.search(body):
            return data
        body = self._M_LINE.sub(lambda m: m.group(1) + b"%d" % self._pair(int(m.group(2)))
                                + m.group(3), body)
        head = self._LENGTH.sub(lambda m: m.group(1) + b": %d" % len(body), head)
        return head + sep + body

    def stats(self):
        """The media relays' stats added up (SIP's left out)."""
        total = {}
        for pair in self.media.values():
            for r in pair:
                for k, v in r.stats.items():
                    total[k] = total.get(k, 0) + v
        return total

    def close(self):
        self.sip.close()
        for pair in self.media.values():
            for r in pair:
                r.close()


# ---------------------------------------------------------------- raw SIP


class SipClient:
    """Just enough of a SIP user agent to exercise a peer: builds requests
    from `user`@example.test, sends them (again, for UDP retransmissions),
    parses replies and incoming requests, answers requests and digest
    challenges (MD5 or SHA-256, qop auth or auth-int). Over "udp", "tcp" or
    "tls" (verified against `cafile`); over TCP/TLS it keeps its one
    connection, as a desktop client does. Test tooling, not Hail's stack:
    use it to check a scenario or Kamailio itself."""

    def __init__(self, port, host="127.0.0.1", user="alice", transport="udp", cafile=None):
        self.peer = (host, port)
        self.user = user
        self.transport = transport
        self.buf = b""
        if transport == "udp":
            self.sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
            self.sock.bind(("127.0.0.1" if host.startswith("127.") else "0.0.0.0", 0))
        else:
            self.sock = socket.create_connection(self.peer, timeout=10)
            if transport == "tls":
                import ssl
                ctx = ssl.create_default_context(cafile=cafile)
                self.sock = ctx.wrap_socket(self.sock, server_hostname=host)
        self.local = "%s:%d" % self.sock.getsockname()[:2]
        self.port = self.sock.getsockname()[1]
        self.call_id = uuid.uuid4().hex + "@hail-e2e"
        self.cseq = 0

    def request(self, method="REGISTER", headers=(), body="", branch=None, to=None):
        """Build (and keep in .last) a request; REGISTER goes to
        sip:example.test for self.user, others to `to` (default
        bob@<peer>). A new branch unless given: a new transaction."""
        self.cseq += 1
        self.branch = branch or "z9hG4bK" + uuid.uuid4().hex[:16]
        if method == "REGISTER":
            uri = "sip:example.test"
            to_uri = "sip:%s@example.test" % self.user
        else:
            uri = to_uri = "sip:" + (to or "bob@%s:%d" % self.peer)
        tp = "" if self.transport == "udp" else ";transport=" + self.transport
        lines = ["%s %s SIP/2.0" % (method, uri),
                 "Via: SIP/2.0/%s %s;rport;branch=%s"
                 % (self.transport.upper(), self.local, self.branch),
                 "Max-Forwards: 70",
                 "From: <sip:%s@example.test>;tag=t1" % self.user,
                 "To: <%s>" % to_uri,
                 "Call-ID: " + self.call_id,
                 "CSeq: %d %s" % (self.cseq, method),
                 "Contact: <sip:%s@%s%s>" % (self.user, self.local, tp)]
        lines += list(headers)
        lines += ["Content-Length: %d" % len(body.encode()), "", body]
        self.last = "\r\n".join(lines).encode()
        self.uri = uri
        self.method = method
        self.body = body
        return self.last

    def send(self, data=None):
        if self.transport == "udp":
            self.sock.sendto(data or self.last, self.peer)
        else:
            self.sock.sendall(data or self.last)

    def _read(self, timeout):
        """One whole message (bytes), or None after timeout seconds."""
        end = time.monotonic() + timeout
        while True:
            if self.transport == "udp":
                self.sock.settimeout(max(0.001, end - time.monotonic()))
                try:
                    return self.sock.recv(65535)
                except socket.timeout:
                    return None
            head, sep, rest = self.buf.partition(b"\r\n\r\n")
            if sep:
                length = 0
                for line in head.split(b"\r\n"):
                    name, _, value = line.partition(b":")
                    if name.strip().lower() in (b"content-length", b"l"):
                        length = int(value)
                if len(rest) >= length:
                    self.buf = rest[length:]
                    return head + sep + rest[:length]
            left = end - time.monotonic()
            if left <= 0:
                return None
            self.sock.settimeout(left)
            try:
                chunk = self.sock.recv(65535)
            except socket.timeout:
                return None
            if not chunk:
                raise AssertionError("connection closed by " + str(self.peer))
            self.buf += chunk

    def recv_message(self, timeout=2.0):
        """The next message as (start line, {lower-case header: first
        value}, raw text), or None."""
        data = self._read(timeout)
        if data is None:
            return None
        text = data.decode("utf-8", "replace")
        head = text.split("\r\n\r\n", 1)[0].split("\r\n")
        hdrs = {}
        for line in head[1:]:
            name, _, value = line.partition(":")
            hdrs.setdefault(name.strip().lower(), value.strip())
        return head[0], hdrs, text

    def recv(self, timeout=2.0):
        """The next reply as (status, {lower-case header: value}), or None;
        requests arriving meanwhile are skipped."""
        end = time.monotonic() + timeout
        while True:
            m = self.recv_message(max(0.0, end - time.monotonic()))
            if m is None:
                return None
            if m[0].startswith("SIP/2.0 "):
                return int(m[0].split()[1]), m[1]

    def reply(self, request_text, status, reason, headers=()):
        """Answer a received request (its raw text) with every Via copied."""
        head = request_text.split("\r\n\r\n", 1)[0].split("\r\n")[1:]
        keep = ("via", "v", "from", "f", "call-id", "i", "cseq")
        lines = ["SIP/2.0 %d %s" % (status, reason)]
        for line in head:
            name = line.partition(":")[0].strip().lower()
            if name in keep:
                lines.append(line)
            elif name in ("to", "t"):
                lines.append(line if ";tag=" in line else line + ";tag=r" + uuid.uuid4().hex[:8])
        lines += list(headers) + ["Content-Length: 0", "", ""]
        self.send("\r\n".join(lines).encode())

    def transact(self, *args, **kwargs):
        self.request(*args, **kwargs)
        self.send()
        reply = self.recv()
        assert reply is not None, "no reply to " + self.method
        return reply

    def authorization(self, challenge, password, alg="MD5", qop=None, header="Authorization"):
        """The header answering `challenge` (a WWW-/Proxy-Authenticate
        value) for the request in .last."""
        user = self.user
        params = parse_challenge(challenge)
        h = {"MD5": hashlib.md5, "SHA-256": hashlib.sha256}[alg]

        def H(s):
            return h(s.encode()).hexdigest()

        ha1 = H("%s:%s:%s" % (user, params["realm"], password))
        a2 = "%s:%s" % (self.method, self.uri)
        if qop == "auth-int":
            a2 += ":" + H(self.body)
        ha2 = H(a2)
        fields = ['username="%s"' % user, 'realm="%s"' % params["realm"],
                  'nonce="%s"' % params["nonce"], 'uri="%s"' % self.uri]
        if qop:
            cnonce, nc = uuid.uuid4().hex[:12], "00000001"
            resp = H(":".join([ha1, params["nonce"], nc, cnonce, qop, ha2]))
            fields += ["qop=%s" % qop, "nc=%s" % nc, 'cnonce="%s"' % cnonce]
        else:
            resp = H(":".join([ha1, params["nonce"], ha2]))
        fields.append('response="%s"' % resp)
        if "opaque" in params:
            fields.append('opaque="%s"' % params["opaque"])
        if alg != "MD5" or "algorithm" in params:
            fields.append("algorithm=%s" % alg)
        return header + ": Digest " + ", ".join(fields)

    def close(self):
        self.sock.close()


def parse_challenge(value):
    """Digest challenge parameters as a dict (lower-case names). Enough for
    the challenges of Kamailio and the scenarios: no commas in values."""
    assert value.startswith("Digest "), value
    out = {}
    for part in value[7:].split(","):
        k, _, v = part.strip().partition("=")
        out[k.lower()] = v.strip('"')
    return out


# ---------------------------------------------------------------- the test


class Test:
    """Owns a work directory and everything a test starts; close() stops it
    all, newest first, and keeps the work directory if the test failed."""

    def __init__(self, name):
        self.name = name
        base = os.environ.get("HAIL_E2E_TMPDIR") or None
        self.workdir = tempfile.mkdtemp(prefix="hail-e2e-%s." % name, dir=base)
        self._owned = []
        self._n = 0

    def path(self, *parts):
        return os.path.join(self.workdir, *parts)

    def subdir(self, name):
        self._n += 1
        d = self.path("%02d-%s" % (self._n, name))
        os.makedirs(d)
        return d

    def own(self, thing, stop):
        self._owned.append((thing, stop))
        return thing

    def isolated_env(self, **extra):
        """os.environ with a fresh HOME and XDG_{CONFIG,DATA,CACHE,STATE}_HOME
        in the work directory, so that the program under test reads and
        writes no real user's settings, history or keyring; plus extra."""
        env = dict(os.environ)
        home = self.path("home")
        for var, sub in (("HOME", ""), ("XDG_CONFIG_HOME", ".config"),
                         ("XDG_DATA_HOME", ".local/share"), ("XDG_CACHE_HOME", ".cache"),
                         ("XDG_STATE_HOME", ".local/state")):
            env[var] = os.path.join(home, sub) if sub else home
            os.makedirs(env[var], exist_ok=True)
        env.update({k: str(v) for k, v in extra.items()})
        return env

    def spawn(self, argv, name=None, env=None, cwd=None, stdin=True):
        name = name or os.path.basename(str(argv[0]))
        p = Proc(argv, self.subdir(name), name, env=env, cwd=cwd, stdin=stdin)
        return self.own(p, p.stop)

    def kamailio(self, **kwargs):
        k = Kamailio(self.subdir("kamailio"), **kwargs)
        self.own(k, k.stop)
        k.start()
        log("kamailio %d on %s (TLS %d) ready in %d ms"
            % (k.pid, k.address, k.tls_port, k.startup_ms))
        return k

    def sipp(self, scenario, remote=None, timeout=20, name=None, **kwargs):
        """Run sipp to the end, bounded by timeout(1) a few seconds beyond
        sipp's own -timeout; returns a SippResult (rc 0: all calls passed)."""
        name = name or os.path.splitext(os.path.basename(scenario))[0]
        d = self.subdir("sipp-" + name)
        argv = sipp_argv(scenario, remote, timeout=timeout, **kwargs)
        t0 = now_ms()
        with open(os.path.join(d, "stdout.log"), "wb") as out:
            p = subprocess.Popen(["timeout", "-k", "3", str(timeout + 5)] + argv, cwd=d,
                                 stdin=subprocess.DEVNULL, stdout=out, stderr=subprocess.STDOUT)
            try:
                rc = p.wait()
            except BaseException:
                # SIGTERM, not subprocess.run's SIGKILL: timeout(1) passes
                # it on to sipp, which would otherwise be left running.
                p.terminate()
                p.wait(timeout=10)
                raise
        return SippResult(rc, d, name, now_ms() - t0)

    def sipp_bg(self, scenario, port, remote=None, timeout=60, name=None, **kwargs):
        """Start sipp in the background (a UAS on UDP `port`) and wait until
        it has bound the port. Returns a Proc; .wait() gives sipp's status."""
        name = name or os.path.splitext(os.path.basename(scenario))[0]
        d = self.subdir("sipp-" + name)
        argv = sipp_argv(scenario, remote, timeout=timeout, port=port, **kwargs)
        p = Proc(argv, d, name, cwd=d, stdin=False)
        self.own(p, p.stop)
        wait_until(lambda: udp_port_bound(port, p.proc.pid) or p.proc.poll() is not None,
                   "sipp %s to bind %d" % (name, port), timeout=10)
        if p.proc.poll() is not None:
            raise AssertionError("sipp %s exited at start: %s" % (name, p.output()))
        return p

    def relay(self, target, loss=0.3, seed=4, jitter=0.0):
        r = LossyUdpRelay(target, loss, seed, jitter)
        return self.own(r, r.close)

    def media_relay(self, target, loss=0.05, jitter=0.03, seed=4, tap=None):
        r = MediaRelay(target, loss, jitter, seed, tap)
        return self.own(r, r.close)

    def close(self, failed):
        errors = []
        while self._owned:
            thing, stop = self._owned.pop()
            try:
                stop()
            except Exception as e:  # keep stopping the rest
                errors.append("%r: %s" % (thing, e))
        if failed or errors:
            log("work directory kept: " + self.workdir)
        else:
            shutil.rmtree(self.workdir, ignore_errors=True)
        if errors:
            raise AssertionError("cleanup failed: " + "; ".join(errors))


def _sigterm(signum, frame):
    # meson's timeout sends SIGTERM: turn it into an exception so that
    # Test.close() still stops every process.
    raise SystemExit("killed by signal %d" % signum)


def run(main, name=None):
    """Run main(Test) and exit 0, 77 (Skip) or 1, cleaning up in every case."""
    signal.signal(signal.SIGTERM, _sigterm)
    signal.signal(signal.SIGHUP, _sigterm)
    name = name or os.path.splitext(os.path.basename(sys.argv[0]))[0]
    t = Test(name)
    rc = 1
    try:
        main(t)
        rc = 0
    except Skip as e:
        print("SKIP:", e, flush=True)
        rc = SKIP
    except AssertionError as e:
        print("FAIL:", e, flush=True)
    except SystemExit as e:
        print("FAIL:", e, flush=True)
    finally:
        try:
            t.close(failed=rc == 1)
        except AssertionError as e:
            print("FAIL:", e, flush=True)
            rc = 1
    sys.exit(rc)


def _cli(argv):
    if len(argv) >= 1 and argv[0] == "free-port":
        kind, span, host = "both", 1, "127.0.0.1"
        args = argv[1:]
        while args:
            a = args.pop(0)
            if a in ("--udp", "--tcp", "--both"):
                kind = a[2:]
            elif a == "--span":
                span = int(args.pop(0))
            elif a == "--host":
                host = args.pop(0)
            else:
                raise SystemExit("usage: hailtest.py free-port [--udp|--tcp|--both] "
                                 "[--span N] [--host IP]")
        print(free_port(kind, span, host))
        return 0
    raise SystemExit("usage: hailtest.py free-port [--udp|--tcp|--both] [--span N] [--host IP]")


if __name__ == "__main__":
    sys.exit(_cli(sys.argv[1:]))
