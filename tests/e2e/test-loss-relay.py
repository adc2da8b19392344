#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Loss without kernel support: sipp pings and registers with Kamailio
through hailtest.LossyUdpRelay, which drops 30 % of datagrams each way. All
transactions must complete by retransmission, and the relay must have
dropped packets both ways. Runs everywhere (netns.sh needs netem or
iptables); the drop pattern comes from a fixed seed."""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import hailtest as ht  # noqa: E402


def sent(result, method):
    """How many times sipp sent a `method` request (retransmissions too)."""
    lines = result.messages().splitlines()
    return sum(1 for i, line in enumerate(lines) if "message sent" in line
               and any(x.startswith(method + " ") for x in lines[i + 1:i + 3]))


def main(t):
    ht.require("kamailio", "sipp")
    kam = t.kamailio()
    relay = t.relay((kam.ip, kam.port), loss=0.3, seed=4)
    # The requests name Kamailio (it refuses to relay for other URIs) but
    # go to the relay (-rsa); replies come back from the relay's port.
    remote = kam.address
    # 30 % each way loses half the round trips: allow 15 retransmissions.
    more = ["-max_non_invite_retrans", "15", "-rsa", "127.0.0.1:%d" % relay.port]

    pings = 10
    r = t.sipp("options.xml", remote, timeout=90, calls=pings, extra=more)
    assert r.rc == 0, "OPTIONS through the relay: sipp %d\n%s" % (r.rc, r.logs())
    n = sent(r, "OPTIONS")
    ht.log("%d OPTIONS through 30 %% loss: %d sent (%d retransmissions) in %.0f ms"
           % (pings, n, n - pings, r.elapsed_ms))
    assert n > pings, "no retransmission: is the relay dropping?"

    regs = 5
    r = t.sipp("register.xml", remote, timeout=90, calls=regs,
               extra=more + ["-s", "bob", "-au", "bob", "-ap", "bob-secret", "-key", "cport", "9",
                             "-key", "ctransport", "udp", "-key", "expires", "60"])
    assert r.rc == 0, "REGISTER through the relay: sipp %d\n%s" % (r.rc, r.logs())
    n = sent(r, "REGISTER")
    ht.log("%d REGISTERs with challenge through 30 %% loss: %d requests for %d transactions"
           " in %.0f ms" % (regs, n, regs * 2, r.elapsed_ms))
    s = relay.stats
    ht.log("relay: up %d (%d dropped), down %d (%d dropped)"
           % (s["up"], s["up_dropped"], s["down"], s["down_dropped"]))
    assert s["up_dropped"] > 0 and s["down_dropped"] > 0, s
    for way in ("up", "down"):
        rate = s[way + "_dropped"] / s[way]
        assert 0.1 < rate < 0.5, "%s loss %.2f is far from 0.3" % (way, rate)


if __name__ == "__main__":
    ht.run(main)
