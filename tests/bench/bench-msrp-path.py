#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""A 50 MB file through the whole session-mode path (issue #8): `hail-cli
send-file` to `hail-cli listen --download-dir` on loopback (INVITE over
UDP, MSRP over TCP, the receiver writing the file). Prints MB/s and the
CPU seconds of each process; asserts only that the file arrived intact.

usage: bench-msrp-path.py [MEGABYTES]
"""

import hashlib
import os
import resource
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "e2e"))
import hailtest as ht  # noqa: E402


def cpu_of(pid):
    """utime + stime of a live process, in seconds."""
    with open("/proc/%d/stat" % pid) as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def peak_rss_mb(pid):
    """The peak resident set of a live process (VmHWM), in MB; 0 once it
    exited."""
    try:
        with open("/proc/%d/status" % pid) as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def main(t):
    size = int(sys.argv[1] if len(sys.argv) > 1 else 50) * 1000 * 1000
    dl = t.path("downloads")
    os.makedirs(dl)
    src = t.path("file.bin")
    with open(src, "wb") as f:
        f.write(os.urandom(size))
    with open(src, "rb") as f:
        digest = hashlib.sha256(f.read()).hexdigest()
    port = ht.free_port()
    limit = str(4 * size)
    bob = t.spawn([ht.hail_cli(), "--json", "--account", "sip:bob@example.test",
                   "--no-register", "--no-history", "--listen", "127.0.0.1:%d" % port,
                   "listen", "--download-dir", dl, "--max-file-size", limit], name="bob")
    bob.expect_event("listening", timeout=10)
    ht.wait_until(lambda: ht.udp_port_bound(port, bob.pid), "bob's UDP socket", timeout=10)
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.monotonic()
    alice = t.spawn([ht.hail_cli(), "--json", "--account", "sip:alice@example.test",
                     "--no-register", "--proxy", "sip:127.0.0.1:%d" % port, "send-file",
                     "--max-file-size", limit, "sip:bob@127.0.0.1:%d" % port, src],
                    name="alice")
    first = alice.expect_event("file-progress", timeout=60)
    t1 = time.monotonic()
    # Its peak so far (hashing done), and again at the end if it still runs
    # (rusage would count the harness's own memory, inherited at fork).
    alice_rss = peak_rss_mb(alice.pid)
    sent = alice.expect_event("file-sent", timeout=300)
    t2 = time.monotonic()
    alice_rss = max(alice_rss, peak_rss_mb(alice.pid))
    assert sent["sha256"] == digest, sent
    alice.expect_exit(0, timeout=30)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    got = bob.expect_event("file-received", timeout=60)
    assert got["sha256"] == digest, got
    bob_cpu = cpu_of(bob.pid)
    bob_rss = peak_rss_mb(bob.pid)
    alice_cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    mb = size / 1e6
    print("msrp-path: %.0f MB file, hail-cli send-file -> hail-cli listen on loopback" % mb)
    print("  whole command (start, SHA-256, INVITE, transfer): %.2f s, %.1f MB/s"
          % (t2 - t0, mb / (t2 - t0)))
    print("  transfer (first acknowledged chunk to Success-Report): %.2f s, %.1f MB/s"
          % (t2 - t1, (mb - first["sent"] / 1e6) / max(t2 - t1, 1e-6)))
    print("  CPU: sender %.2f s, receiver %.2f s (receiver includes the file write)"
          % (alice_cpu, bob_cpu))
    print("  peak resident memory: sender %.0f MB, receiver %.0f MB" % (alice_rss, bob_rss))


if __name__ == "__main__":
    ht.run(main, name="bench-msrp-path")
