#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
# test-files-a11y.py CHAT_PREVIEW: the chat window with files in it, walked
# through AT-SPI as a screen reader user would: hail-chat-preview shows a
# conversation with a file being sent, one that failed, one received and
# one a phone could not take, and a question about an offered file. Every control is named (the file
# buttons say which file they act on), the buttons each state allows are
# there and work, and the question goes once answered. The screenshot goes
# to BUILD_ROOT/screenshots/chat-window-files.png. Exits 77 without a
# display or a session bus.
import os
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import atspi  # noqa: E402  (first: it keeps G_DEBUG away from this process)
from atspi import button, check_named, find_label, frame, poll, press, screenshot  # noqa: E402

atspi.require()

preview = sys.argv[1]
home = tempfile.mkdtemp(prefix="hail-files-a11y-")
env = atspi.app_env(home)
failures = []
proc = None
try:
    proc = subprocess.Popen([preview], env=env)
    app = atspi.app_of(proc)
    win = frame(app, "Bob Builder", 30)
    find_label(win, lambda n: n == "1.2\u00a0MB of 5.0\u00a0MB", "the progress of report.pdf")
    find_label(win, lambda n: n == "Failed: the other side stopped answering",
               "the reason slides.odp failed")
    find_label(win, lambda n: n == "Bob Builder wants to send you notes.txt (12.0\u00a0kB)",
               "the question about notes.txt")
    find_label(win, lambda n: n == "Failed: Bob Builder's app cannot take this file",
               "why song.flac failed, naming the peer")
    for name in ("Cancel sending report.pdf", "Send slides.odp again", "Open photo.jpg",
                 "Open the folder of photo.jpg", "Send song.flac again", "Accept", "Decline",
                 "Send a File"):
        button(win, name)
    check_named(win, "Bob Builder (files)", failures)
    screenshot("Bob Builder", "chat-window-files.png")

    # Each button does what it says, on its own file.
    press(button(win, "Cancel sending report.pdf"))
    find_label(win, lambda n: n == "Cancelled", "report.pdf cancelled")
    button(win, "Send report.pdf again")
    press(button(win, "Send slides.odp again"))
    find_label(win, lambda n: n == "Preparing…", "slides.odp sent again")
    press(button(win, "Decline"))
    poll(lambda: not any(a.name == "Accept" and atspi.sensitive(a) and
                         a.getState().contains(atspi.pyatspi.STATE_SHOWING)
                         for a in atspi.walk(win) if a.getRoleName() == "push button"),
         "the question withdrawn once declined")
except (AssertionError, subprocess.TimeoutExpired) as e:
    failures.append(str(e))
finally:
    if proc is not None and proc.poll() is None:
        proc.terminate()
        proc.wait(timeout=10)
    shutil.rmtree(home, ignore_errors=True)

atspi.report(failures)
