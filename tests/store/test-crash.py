#!/usr/bin/python3
# test-crash.py STORE-WRITER: kills store-writer with SIGKILL mid-stream,
# several rounds on the same database, and checks after each round that
# the database is intact, that every acknowledged write is there, and that
# no message is half-written. Prints TAP.
# SPDX-License-Identifier: GPL-3.0-or-later
import os
import sqlite3
import subprocess
import sys
import tempfile
import time

ROUNDS = 6
ACKS_BEFORE_KILL = (40, 150, 7, 300, 90, 500)   # varied kill points, in output lines
INFLIGHT = (1, 32, 1, 64, 8, 256)          # messages in flight: batched commits when > 1
DEADLINE = 30.0                             # seconds per round, a bound not a timing

writer = sys.argv[1]
failures = 0


def check(ok, what):
    global failures
    if not ok:
        failures += 1
        print(f"# FAILED: {what}")
    return ok


def run_round(db, n, target, inflight):
    with tempfile.TemporaryFile(mode="w+") as out:
        proc = subprocess.Popen([writer, db, "1000000", str(inflight)], stdout=out,
                                stderr=subprocess.PIPE)
        end = time.monotonic() + DEADLINE
        lines = 0
        while lines < target and proc.poll() is None and time.monotonic() < end:
            time.sleep(0.005)   # polling the output file; the bound is DEADLINE
            out.seek(0)
            lines = len(out.readlines())
        alive = proc.poll() is None
        proc.kill()             # SIGKILL: no cleanup, no checkpoint
        proc.wait()
        if not check(alive, f"round {n}: writer still running at the kill "
                            f"(stderr: {proc.stderr.read().decode()!r})"):
            return
        if not check(lines >= target, f"round {n}: only {lines} acknowledgements in {DEADLINE}s"):
            return
        out.seek(0)
        acks = [line.split() for line in out.read().splitlines()]

    # Only complete lines count: the kill may cut the last one.
    queued = {int(a[1]) for a in acks if len(a) == 2 and a[0] == "queued" and a[1].isdigit()}
    sent = {int(a[1]) for a in acks if len(a) == 2 and a[0] == "sent" and a[1].isdigit()}

    con = sqlite3.connect(db)
    try:
        check(con.execute("PRAGMA integrity_check").fetchone()[0] == "ok",
              f"round {n}: integrity_check")
        con.execute("INSERT INTO messages_fts (messages_fts) VALUES ('integrity-check')")
        rows = dict(con.execute("SELECT id, state FROM messages").fetchall())
        missing = sorted(queued - rows.keys())
        check(not missing, f"round {n}: acknowledged ids missing: {missing[:10]}")
        unsent = sorted(i for i in sent if rows.get(i) != 2)
        check(not unsent, f"round {n}: acknowledged SENT ids not SENT: {unsent[:10]}")
        odd = sorted(i for i, s in rows.items() if s not in (0, 2))
        check(not odd, f"round {n}: messages in a state the writer never wrote: {odd[:10]}")
        orphans = con.execute("SELECT count(*) FROM messages m LEFT JOIN conversations c"
                              " ON c.id = m.conversation_id WHERE c.id IS NULL").fetchone()[0]
        check(orphans == 0, f"round {n}: {orphans} messages without a conversation")
        stale = con.execute("SELECT count(*) FROM conversations c WHERE last_activity <"
                            " (SELECT max(time_sent) FROM messages m"
                            "  WHERE m.conversation_id = c.id)").fetchone()[0]
        check(stale == 0, f"round {n}: {stale} conversations behind their messages")
    except sqlite3.DatabaseError as e:
        check(False, f"round {n}: {e}")
    finally:
        con.close()

    # Reopening through the store (migration check, WAL replay) must work.
    res = subprocess.run([writer, "--check", db], capture_output=True, text=True, timeout=DEADLINE)
    check(res.returncode == 0 and res.stdout.startswith("pending "),
          f"round {n}: reopening failed: {res.stderr.strip()}")
    print(f"# round {n} ({inflight} in flight): {len(queued)} queued and {len(sent)} sent"
          f" acknowledged, "
          f"{len(rows)} rows, {res.stdout.strip()}")


def main():
    print(f"1..{ROUNDS}")
    with tempfile.TemporaryDirectory() as tmp:
        db = os.path.join(tmp, "hail.db")
        for n in range(1, ROUNDS + 1):
            before = failures
            run_round(db, n, ACKS_BEFORE_KILL[n - 1], INFLIGHT[n - 1])
            result = "ok" if failures == before else "not ok"
            print(f"{result} {n} /store/crash/sigkill-round-{n}")
    return 1 if failures else 0


sys.exit(main())
