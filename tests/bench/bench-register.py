#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Benchmark: authenticated REGISTER against the harness Kamailio.

Starts Kamailio on free ports, runs bench-register (the SIP stack alone:
first registration, sequential and 100 parallel bindings) over UDP and TCP,
then times `hail-cli register` from process start to its `registered`
event. Prints the figures; compares with baresip when it is installed.
Environment: HAIL_CLI, HAIL_BENCH_REGISTER (set by meson).
"""

import os
import shutil
import statistics
import subprocess
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "e2e"))
import hailtest as ht  # noqa: E402


def main(t):
    ht.require("kamailio")
    kam = t.kamailio()
    bench = os.environ["HAIL_BENCH_REGISTER"]
    for transport in ("udp", "tcp"):
        r = subprocess.run([bench, kam.address, transport, "1000", "100"], capture_output=True,
                           text=True, timeout=300)
        sys.stdout.write(r.stdout)
        if r.returncode != 0:
            raise AssertionError("bench-register %s failed:\n%s" % (transport, r.stderr))

    times = []
    for i in range(10):
        t0 = ht.now_ms()
        p = t.spawn([ht.hail_cli(), "--json", "--account", "sip:alice@example.test",
                     "--proxy", "sip:%s;transport=udp" % kam.address, "--password-stdin",
                     "register"], name="hail-cli-%d" % i, env=t.isolated_env())
        p.send_line("alice-secret")
        p.expect_event("registered", timeout=15)
        times.append(ht.now_ms() - t0)
        p.expect_exit(0, timeout=15)
    print("hail-cli register over udp: process start to `registered`: median %.1f ms, "
          "min %.1f, max %.1f (10 runs)" % (statistics.median(times), min(times), max(times)))
    if shutil.which("baresip"):
        print("baresip is installed; its figures are not scripted here yet")
    else:
        print("baresip: not installed on this machine (Debian package baresip): no comparison")


ht.run(main, name="bench-register")
