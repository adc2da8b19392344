#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Chat end to end (issue #5): N messages (default 10,000) offered at a
rate (default 1,000/s) from `hail-cli message --each-line` through the
harness Kamailio (TCP) to a `hail-cli listen` peer, both writing their
history. Prints messages per second, the send-to-200 latency (p50, p99:
from the send, history write included, to the final response) and the
CPU both hail-cli processes used per thousand messages.

usage: bench-chat.py [N] [RATE]    (RATE 0: as fast as the window allows)
"""

import os
import resource
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "e2e"))
import hailtest as ht  # noqa: E402


def cpu_children():
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def main(t):
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 10000
    rate = int(sys.argv[2]) if len(sys.argv) > 2 else 1000
    ht.require("kamailio")
    kam = t.kamailio()
    env = t.isolated_env()
    proxy = "sip:%s;transport=tcp" % kam.address
    cpu0 = cpu_children()
    bob = t.spawn([ht.hail_cli(), "--json", "--account", "sip:bob@example.test", "--proxy", proxy,
                   "--password-stdin", "--db", t.path("bob.db"), "listen"], name="bob", env=env)
    bob.send_line("bob-secret")
    bob.expect_event("registered", timeout=15)
    argv = [ht.hail_cli(), "--json", "--account", "sip:alice@example.test", "--proxy", proxy,
            "--password-stdin", "--no-register", "--db", t.path("alice.db"),
            "message", "--each-line", "--rate", str(rate), "sip:bob@example.test", "-"]
    alice = t.spawn(argv, name="alice", env=env)
    alice.send_line("alice-secret")
    data = "".join("bench message %d with some text to carry\n" % i for i in range(n))
    t0 = time.monotonic()
    alice.proc.stdin.write(data.encode())
    alice.close_stdin()
    alice.expect_exit(0, timeout=n / max(rate, 100) * 4 + 60)
    sent_done = time.monotonic() - t0
    ht.wait_until(lambda: sum('"message-received"' in e for e in bob.seen) >= n,
                  "bob to receive %d" % n, timeout=60)
    received_done = time.monotonic() - t0
    bob.proc.terminate()
    bob.expect_exit(0, timeout=15)
    cpu = cpu_children() - cpu0
    lat = sorted(int(e.split('"elapsed_us":')[1].split(",")[0].split("}")[0])
                 for e in alice.seen if '"message-sent"' in e)
    assert len(lat) == n, "%d of %d sent" % (len(lat), n)

    def pct(p):
        return lat[min(len(lat) - 1, int(len(lat) * p / 100))] / 1000.0

    print("chat: %d messages offered at %s/s through Kamailio (TCP), history on both ends"
          % (n, rate if rate else "max"))
    print("  throughput   %.0f messages/s sent (all 2xx), %.0f/s received by the peer"
          % (n / sent_done, n / received_done))
    print("  latency      p50 %.2f ms, p99 %.2f ms, max %.2f ms (send to 200)"
          % (pct(50), pct(99), lat[-1] / 1000.0))
    print("  cpu          %.0f ms per 1000 messages (sender and receiver hail-cli)"
          % (cpu / n * 1000.0 * 1000.0))


ht.run(main, name="bench-chat")
