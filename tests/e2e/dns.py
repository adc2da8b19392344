#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""A small authoritative DNS server and a private network namespace that
uses it, for testing RFC 3263 server location (issue #4). Stdlib only.

    dns.py serve ZONE.json LOG     serve ZONE on 127.0.0.1:53, UDP and TCP;
                                   print "ready" once both sockets are bound;
                                   append "QNAME QTYPE udp|tcp" to LOG for
                                   every query

ZONE.json maps a lower-case name to a list of records or to a behaviour:

    {"example.test": [["A", "127.0.0.1"], ["AAAA", "::1"],
                      ["NAPTR", 10, 50, "s", "SIP+D2U", "", "_sip._udp.example.test"]],
     "_sip._udp.example.test": [["SRV", 10, 60, 5060, "sip1.example.test"]],
     "www.example.test": [["CNAME", "example.test"]],
     "broken.test": "servfail",       # answers SERVFAIL
     "silent.test": "drop"}           # never answers

A name that is not in the zone gets NXDOMAIN; a name in the zone without
records of the asked type gets an empty NOERROR answer (NODATA), as a real
server does. Malformed queries are dropped (logged as "malformed"), never
answered with a crash.

From a test (see test-dns.py):

    ns = dns.Namespace(t)               # ip netns add; resolv.conf -> 127.0.0.1
    server = ns.dns_server(zone)        # this file's "serve", inside ns
    server.set_zone(other)              # served from the next query on
    kam = ns.kamailio(port=5060)        # run-kamailio.sh inside ns
    cli = ns.spawn([...])               # any program inside ns

Everything is removed when the test ends, even when it fails: the
processes, /etc/netns/NAME and the namespace. A namespace whose creator
died (SIGKILL) is collected by the next run (names end in -pPID). The
namespace has loopback and a veth pair whose both ends are inside it: no
query can leave it.
"""

import json
import os
import shutil
import signal
import socket
import struct
import subprocess
import sys
import threading

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import hailtest as ht  # noqa: E402

TYPES = {"A": 1, "NS": 2, "CNAME": 5, "SOA": 6, "PTR": 12, "MX": 15, "TXT": 16, "AAAA": 28,
         "SRV": 33, "NAPTR": 35, "OPT": 41, "ANY": 255}
TYPE_NAMES = {v: k for k, v in TYPES.items()}
RCODE = {"noerror": 0, "formerr": 1, "servfail": 2, "nxdomain": 3, "refused": 5}
MAX_UDP = 512           # RFC 1035 §4.2.1 without EDNS
MAX_TCP = 65535
MAX_CNAME_CHAIN = 8
TTL = 60


class Malformed(Exception):
    pass


# ---------------------------------------------------------------- wire format


def encode_name(name):
    out = b""
    for label in name.rstrip(".").split("."):
        if not label:
            continue
        raw = label.encode("ascii")
        if len(raw) > 63:
            raise ValueError("label too long: " + label)
        out += bytes([len(raw)]) + raw
    return out + b"\0"


def decode_question_name(data, offset):
    """The uncompressed QNAME at offset (queries never compress it):
    (lower-case name, offset after it)."""
    labels = []
    total = 0
    while True:
        if offset >= len(data):
            raise Malformed("name runs past the end")
        n = data[offset]
        offset += 1
        if n == 0:
            break
        if n & 0xC0:
            raise Malformed("compressed or extended label in a question")
        if offset + n > len(data):
            raise Malformed("label runs past the end")
        total += n + 1
        if total > 255:
            raise Malformed("name longer than 255 octets")
        labels.append(data[offset:offset + n].decode("ascii", "replace").lower())
        offset += n
    return ".".join(labels), offset


def char_string(text):
    raw = text.encode()
    if len(raw) > 255:
        raise ValueError("character-string too long")
    return bytes([len(raw)]) + raw


def rdata(record):
    kind = record[0]
    if kind == "A":
        return socket.inet_pton(socket.AF_INET, record[1])
    if kind == "AAAA":
        return socket.inet_pton(socket.AF_INET6, record[1])
    if kind == "CNAME":
        return encode_name(record[1])
    if kind == "SRV":
        _, priority, weight, port, target = record
        return struct.pack("!HHH", priority, weight, port) + encode_name(target)
    if kind == "NAPTR":
        _, order, pref, flags, services, regexp, replacement = record
        return (struct.pack("!HH", order, pref) + char_string(flags) + char_string(services)
                + char_string(regexp) + encode_name(replacement))
    raise ValueError("unsupported record type " + kind)


def rr(name, record):
    data = rdata(record)
    return encode_name(name) + struct.pack("!HHIH", TYPES[record[0]], 1, TTL, len(data)) + data


class Zone:
    def __init__(self, mapping):
        self.names = {k.lower().rstrip("."): v for k, v in mapping.items()}

    def answer(self, qname, qtype):
        """(rcode, [wire RRs]) or None to stay silent."""
        answers = []
        name = qname
        for _ in range(MAX_CNAME_CHAIN):
            entry = self.names.get(name)
            if entry is None:
                # NXDOMAIN only when the asked name itself does not exist;
                # a CNAME to a missing name is still an answer.
                return (RCODE["nxdomain"] if name == qname else 0), answers
            if isinstance(entry, str):
                if entry == "drop":
                    return None
                return RCODE[entry], answers
            cname = [r for r in entry if r[0] == "CNAME"]
            if cname and qtype != TYPES["CNAME"]:
                answers.append(rr(name, cname[0]))
                name = cname[0][1].lower().rstrip(".")
                continue
            answers += [rr(name, r) for r in entry
                        if qtype == TYPES["ANY"] or TYPES[r[0]] == qtype]
            return 0, answers
        return RCODE["servfail"], answers


def respond(zone, query, limit, log_query):
    """The response to one query message, or None (malformed or "drop")."""
    if len(query) < 12:
        raise Malformed("shorter than a header")
    qid, flags, qdcount = struct.unpack("!HHH", query[:6])
    if flags & 0x8000:
        raise Malformed("a response, not a query")
    if qdcount != 1:
        raise Malformed("%d questions" % qdcount)
    qname, end = decode_question_name(query, 12)
    if end + 4 > len(query):
        raise Malformed("question runs past the end")
    qtype, qclass = struct.unpack("!HH", query[end:end + 4])
    question = query[12:end + 4]
    log_query(qname, TYPE_NAMES.get(qtype, str(qtype)))
    opcode = (flags >> 11) & 0xF
    if opcode != 0 or qclass not in (1, 255):
        rcode, answers = (4 if opcode != 0 else RCODE["refused"]), []
    else:
        result = zone.answer(qname, qtype)
        if result is None:
            return None
        rcode, answers = result
    # QR, opcode 0, AA, RD copied, RA clear (authoritative only).
    out_flags = 0x8000 | 0x0400 | (flags & 0x0100) | rcode
    body = b""
    count = 0
    for a in answers:
        if 12 + len(question) + len(body) + len(a) > limit:
            out_flags |= 0x0200     # TC: the client retries over TCP
            break
        body += a
        count += 1
    return struct.pack("!HHHHHH", qid, out_flags, 1, count, 0, 0) + question + body


# ---------------------------------------------------------------- server


class ZoneFile:
    """The zone of ZONE.json, read again when the file changes (a test
    moves a service: DnsServer.set_zone)."""

    def __init__(self, path):
        self.path = path
        self.stamp = None
        self.zone = None

    def current(self):
        st = os.stat(self.path)
        stamp = (st.st_ino, st.st_mtime_ns)
        if stamp != self.stamp:
            with open(self.path) as f:
                self.zone = Zone(json.load(f))
            self.stamp = stamp
        return self.zone


def serve(zone_path, log_path):
    zones = ZoneFile(zone_path)
    log = open(log_path, "a", buffering=1)
    lock = threading.Lock()

    def log_query(transport):
        def write(qname, qtype):
            with lock:
                log.write("%s %s %s\n" % (qname, qtype, transport))
        return write

    def answer(query, limit, transport):
        try:
            with lock:
                zone = zones.current()
            return respond(zone, query, limit, log_query(transport))
        except Malformed as e:
            with lock:
                log.write("malformed %s %s\n" % (transport, e))
            return None

    udp = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    udp.bind(("127.0.0.1", 53))
    tcp = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    tcp.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    tcp.bind(("127.0.0.1", 53))
    tcp.listen(16)

    def read_exact(conn, n):
        buf = b""
        while len(buf) < n:
            chunk = conn.recv(n - len(buf))
            if not chunk:
                return None
            buf += chunk
        return buf

    def tcp_client(conn):
        # One connection may carry several queries (RFC 7766); each read is
        # bounded by the socket timeout and the 2-octet length.
        with conn:
            conn.settimeout(10)
            try:
                while True:
                    head = read_exact(conn, 2)
                    if head is None:
                        return
                    query = read_exact(conn, struct.unpack("!H", head)[0])
                    if query is None:
                        return
                    reply = answer(query, MAX_TCP, "tcp")
                    if reply is not None:
                        conn.sendall(struct.pack("!H", len(reply)) + reply)
            except OSError:
                return

    def tcp_loop():
        while True:
            conn, _ = tcp.accept()
            threading.Thread(target=tcp_client, args=(conn,), daemon=True).start()

    threading.Thread(target=tcp_loop, daemon=True).start()
    print("ready", flush=True)
    while True:
        query, peer = udp.recvfrom(4096)
        reply = answer(query, MAX_UDP, "udp")
        if reply is not None:
            udp.sendto(reply, peer)


# ---------------------------------------------------------------- namespace


def _run(argv):
    return subprocess.run(argv, capture_output=True, text=True, timeout=30)


def gc():
    """Delete the namespaces (and /etc/netns entries) of runs that died,
    after killing what those runs started in them (the DNS server,
    Kamailio), which would otherwise keep the namespace alive."""
    for base in ("/run/netns", "/etc/netns"):
        try:
            names = os.listdir(base)
        except OSError:
            continue
        for name in names:
            if not name.startswith("hail-dns-p"):
                continue
            pid = name[len("hail-dns-p"):].split("-")[0]
            if not pid.isdigit() or os.path.exists("/proc/" + pid):
                continue
            if base == "/etc/netns":
                shutil.rmtree(os.path.join(base, name), ignore_errors=True)
                continue
            for inside in _run(["ip", "netns", "pids", name]).stdout.split():
                try:
                    os.kill(int(inside), signal.SIGKILL)
                except (ValueError, OSError):
                    pass
            _run(["ip", "netns", "del", name])


class Namespace:
    """A network namespace with loopback up whose resolv.conf names
    127.0.0.1; owned by Test t (removed at t.close(), after the processes
    started in it, which t stops first as they were started later)."""

    _count = 0

    def __init__(self, t):
        if os.geteuid() != 0:
            raise ht.Skip("needs root for ip netns")
        ht.require("ip")
        gc()
        Namespace._count += 1
        self.t = t
        self.name = "hail-dns-p%d-%d" % (os.getpid(), Namespace._count)
        self.etc = os.path.join("/etc/netns", self.name)
        r = _run(["ip", "netns", "add", self.name])
        if r.returncode != 0:
            raise ht.Skip("cannot create a network namespace: " + r.stderr.strip())
        t.own(self, self.remove)
        # getaddrinfo() with AI_ADDRCONFIG, as GResolver calls it, asks DNS
        # for nothing while the host has only loopback addresses: a veth
        # pair with both ends in the namespace gives it a global IPv4 and
        # IPv6 address, as a real host has, with nowhere to send to.
        for cmd in (["link", "set", "lo", "up"],
                    ["link", "add", "hail0", "type", "veth", "peer", "name", "hail1"],
                    ["addr", "add", "10.253.0.1/24", "dev", "hail0"],
                    ["addr", "add", "fd00:4a11::1/64", "dev", "hail0", "nodad"],
                    ["link", "set", "hail0", "up"], ["link", "set", "hail1", "up"]):
            r = _run(["ip", "-n", self.name] + cmd)
            if r.returncode != 0:
                raise AssertionError("ip %s in %s: %s" % (" ".join(cmd), self.name, r.stderr))
        os.makedirs(self.etc)
        # One try of one second per query: a server that never answers
        # costs seconds, not glibc's default 5 s x 2 tries per query.
        with open(os.path.join(self.etc, "resolv.conf"), "w") as f:
            f.write("nameserver 127.0.0.1\noptions timeout:1 attempts:1\n")
        ht.log("namespace %s" % self.name)

    def remove(self):
        shutil.rmtree(self.etc, ignore_errors=True)
        r = _run(["ip", "netns", "del", self.name])
        if r.returncode != 0:
            raise AssertionError("ip netns del %s: %s" % (self.name, r.stderr))

    def argv(self, argv):
        return ["ip", "netns", "exec", self.name] + [str(a) for a in argv]

    def spawn(self, argv, **kwargs):
        kwargs.setdefault("name", os.path.basename(str(argv[0])))
        return self.t.spawn(self.argv(argv), **kwargs)

    def dns_server(self, zone):
        d = self.t.subdir("dns")
        zone_path = os.path.join(d, "zone.json")
        with open(zone_path, "w") as f:
            json.dump(zone, f)
        server = DnsServer(os.path.join(d, "queries.log"), zone_path)
        proc = self.spawn(["/usr/bin/python3", os.path.abspath(__file__), "serve", zone_path,
                           server.log_path], name="dns", stdin=False)
        server.proc = proc
        ht.wait_until(lambda: "ready" in proc.text or proc.proc.poll() is not None,
                      "the DNS server to bind port 53", timeout=10)
        if proc.proc.poll() is not None:
            raise AssertionError("DNS server exited at start: " + proc.output())
        return server

    def kamailio(self, port=5060, tls_port=5061, **kwargs):
        k = ht.Kamailio(self.t.subdir("kamailio"), netns=self.name, ports=(port, tls_port),
                        **kwargs)
        self.t.own(k, k.stop)
        k.start()
        ht.log("kamailio %d in %s on %s (TLS %d) ready in %d ms"
               % (k.pid, self.name, k.address, k.tls_port, k.startup_ms))
        return k


class DnsServer:
    def __init__(self, log_path, zone_path):
        self.log_path = log_path
        self.zone_path = zone_path
        self.proc = None
        open(log_path, "a").close()

    def set_zone(self, zone):
        """Serves `zone` from the next query on (the file is replaced whole,
        so a query never sees half of it)."""
        tmp = self.zone_path + ".new"
        with open(tmp, "w") as f:
            json.dump(zone, f)
        os.replace(tmp, self.zone_path)

    def queries(self):
        """[(qname, qtype, transport)] so far, oldest first."""
        with open(self.log_path) as f:
            return [tuple(line.split()) for line in f if not line.startswith("malformed")]


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "serve":
        try:
            serve(sys.argv[2], sys.argv[3])
        except KeyboardInterrupt:
            pass
        sys.exit(0)
    raise SystemExit("usage: dns.py serve ZONE.json LOG")
