#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Self-test of hailtest.py's process helpers, with a small child that acts
like `hail-cli --json`: JSON events on stdout, a password read from stdin,
an exit status. expect_event must find events (skipping others, matching
fields), fail on a deadline or an early exit, and cleanup must stop a child
that ignores SIGTERM."""

import os
import socket
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import hailtest as ht  # noqa: E402

CHILD = r'''
import json, signal, sys
def ev(**kw): print(json.dumps(kw), flush=True)
mode = sys.argv[1]
if mode == "ignore-term":
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
ev(event="starting", version="0")
print("a line that is not JSON", flush=True)
ev(event="registering", account="alice@example.test")
pw = sys.stdin.readline().strip()
ev(event="registered" if pw == "alice-secret" else "error", account="alice@example.test")
if mode in ("hang", "ignore-term"):
    sys.stdin.readline()                     # until stdin closes or we are killed
    signal.pause() if mode == "ignore-term" else None
sys.exit(0 if pw == "alice-secret" else 1)
'''


def child(t, mode):
    return t.spawn([sys.executable, "-c", CHILD, mode], name="child-" + mode)


def raises(fn, what):
    try:
        fn()
    except AssertionError as e:
        return str(e)
    raise AssertionError("no AssertionError: " + what)


def alive(pid):
    try:
        with open("/proc/%d/stat" % pid) as f:
            return f.read().split()[2] != "Z"
    except FileNotFoundError:
        return False


def main(t):
    # Events in order, other events and text skipped, fields matched.
    p = child(t, "normal")
    ev = ht.expect_event(p, "registering", timeout=10, account="alice@example.test")
    assert ev["account"] == "alice@example.test"
    p.send_line("alice-secret")
    ht.expect_event(p, "registered", timeout=10)
    p.expect_exit(0, timeout=10)
    assert "a line that is not JSON" in p.text

    # A wrong password: the error event, then exit 1; expecting 0 fails.
    p = child(t, "normal")
    p.send_line("wrong")
    ht.expect_event(p, "error", timeout=10)
    msg = raises(lambda: p.expect_exit(0, timeout=10), "wrong exit status")
    assert "exited 1, expected 0" in msg, msg

    # Exit before the event: fails at once, not at the deadline.
    p = child(t, "normal")
    p.send_line("wrong")
    t0 = time.monotonic()
    msg = raises(lambda: ht.expect_event(p, "registered", timeout=20), "exit before event")
    assert "before event" in msg and time.monotonic() - t0 < 10, msg

    # A deadline: no such event while the process lives.
    p = child(t, "hang")
    p.send_line("alice-secret")
    t0 = time.monotonic()
    msg = raises(lambda: ht.expect_event(p, "never", timeout=0.5), "deadline")
    took = time.monotonic() - t0
    assert "no event 'never'" in msg and 0.5 <= took < 5, (msg, took)
    ht.log("expect_event deadline of 0.5 s took %.2f s" % took)
    p.close_stdin()
    p.expect_exit(0, timeout=10)

    # A child that ignores SIGTERM is killed by stop(), by its own PID.
    p = child(t, "ignore-term")
    p.send_line("alice-secret")
    ht.expect_event(p, "registered", timeout=10)
    t0 = time.monotonic()
    p.stop(grace=0.5)
    assert not alive(p.pid), "child still alive after stop()"
    ht.log("SIGTERM-ignoring child stopped in %.2f s" % (time.monotonic() - t0))

    # free_port: both UDP and TCP bindable, also for a span.
    port = ht.free_port("both", span=3)
    for p_ in range(port, port + 3):
        for kind in (socket.SOCK_DGRAM, socket.SOCK_STREAM):
            s = socket.socket(socket.AF_INET, kind)
            s.bind(("127.0.0.1", p_))
            s.close()

    # udp_port_bound() sees a bound port without binding one itself.
    port = ht.free_port("udp")
    assert not ht.udp_port_bound(port)
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind(("127.0.0.1", port))
    assert ht.udp_port_bound(port)
    # With a pid, only that process's own socket counts.
    assert ht.udp_port_bound(port, os.getpid())
    other = subprocess.Popen(["sleep", "10"])
    try:
        assert not ht.udp_port_bound(port, other.pid)
    finally:
        other.kill()
        other.wait()
    s.close()

    # isolated_env(): a fresh HOME and XDG dirs inside the work directory.
    env = t.isolated_env(HAIL_X="1")
    assert env["HOME"].startswith(t.workdir) and env["HAIL_X"] == "1"
    assert os.path.isdir(env["XDG_DATA_HOME"]) and env["XDG_CONFIG_HOME"].startswith(env["HOME"])

    # hail_cli() finds the hail-cli meson built (when run by meson).
    if "HAIL_CLI" in os.environ:
        p = t.spawn([ht.hail_cli(), "--help"], name="hail-cli-help", stdin=False)
        p.expect_exit(0, timeout=10)
        assert any("hail-cli" in line for line in p.text), p.output()

    # Test.close() stops what is still running, newest first.
    inner = ht.Test("inner")
    q = inner.spawn([sys.executable, "-c", CHILD, "hang"], name="left-running")
    inner.close(failed=False)
    assert not alive(q.pid) and not os.path.exists(inner.workdir)


if __name__ == "__main__":
    ht.run(main)
