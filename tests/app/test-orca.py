#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
# test-orca.py HAIL SEED_STORE: runs the real Orca screen reader next to the
# real app and moves the keyboard focus with Tab through the account wizard,
# the main window, its dial pad and a chat window, as a blind user would.
# What Orca says is read from its debug log ("SPEECH OUTPUT" lines, written
# even with speech off, so no speech synthesiser is needed): each focused
# control must be spoken with its accessible name and role, and nothing may
# be spoken by its toolkit class name ("GtkListBox"), which is what GTK 4.8
# gives a screen reader for an unnamed widget.
# Needs DISPLAY, DBUS_SESSION_BUS_ADDRESS, orca and xdotool; exits 77
# without them.
import os
import pty
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import tty

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import atspi  # noqa: E402  (first: it keeps G_DEBUG away from this process)
from atspi import activate, app_of, button, find, find_label, frame, poll, press  # noqa: E402

atspi.require()
for tool in ("orca", "xdotool"):
    if not shutil.which(tool):
        atspi.skip(f"{tool} is not installed")
from gi.repository import GLib  # noqa: E402

SPEECH = re.compile(r"SPEECH OUTPUT: '(.*)'(?: voice=\w+)?\{")
FOCUS = re.compile(r"ORCA: Changing locusOfFocus from .* to \[(.*?) \| (.*)\]\. Notify")
CLASS_NAME = re.compile(r"\b(Gtk|Adw)[A-Z]\w*")
# Orca's words for the AT-SPI roles it announces where they differ.
ORCA_ROLE = {"text": ("text", "entry"), "password text": ("password text", "text"),
             "toggle button": ("toggle button",), "check box": ("check box", "switch"),
             # An item is announced by its list ("List with 3 items") when
             # the focus enters the list, then by its state alone.
             "list item": ("item", "selected")}
# Focusable parts that GTK 4.8 and libadwaita 1.2 build inside their own
# widgets and that Hail cannot reach to name: AdwPasswordEntryRow's "Show
# Text" button (described by its tooltip, named by its class) and the list
# box inside AdwPreferencesGroup, spoken as context when focus enters a row.
TOOLKIT_WORDS = ("GtkButton push button. Show Text.", "GtkListBox")


class OrcaLog:
    """The speech Orca logs. Orca writes its debug file through a buffered
    Python file that it never flushes: the lines would arrive in 8 KB
    blocks, long after the focus moved. A terminal is line-buffered, so the
    debug file is the slave side of a pseudo-terminal, drained here by a
    thread (a full terminal would block Orca) into a list and @path."""

    def __init__(self, path):
        self.master, self.slave = pty.openpty()
        tty.setraw(self.slave)
        self.tty = os.ttyname(self.slave)
        self.path = path
        self.lines = []
        self.read = 0
        self.lock = threading.Lock()
        self.thread = threading.Thread(target=self._drain, daemon=True)
        self.thread.start()

    def _drain(self):
        pending = b""
        with open(self.path, "wb") as out:
            while True:
                try:
                    data = os.read(self.master, 65536)
                except OSError:
                    return
                if not data:
                    return
                out.write(data)
                pending += data
                *whole, pending = pending.split(b"\n")
                with self.lock:
                    self.lines.extend(w.decode("utf-8", "replace") for w in whole)

    def contains(self, text):
        with self.lock:
            return any(text in line for line in self.lines)

    def new(self):
        """What Orca did since the last call: ("focus", role, name) when it
        moved its locus of focus, ("speech", text) for each utterance."""
        with self.lock:
            lines, self.read = self.lines[self.read:], len(self.lines)
        events = []
        for line in lines:
            if m := FOCUS.search(line):
                events.append(("focus", m.group(1), m.group(2)))
            elif m := SPEECH.search(line):
                events.append(("speech", m.group(1)))
        return events

    def close(self):
        os.close(self.slave)
        self.thread.join(timeout=30)
        os.close(self.master)


def window_id(title):
    ids = subprocess.run(["xdotool", "search", "--onlyvisible", "--name", f"^{title}$"],
                         capture_output=True, text=True, timeout=30).stdout.split()
    if not ids:
        raise AssertionError(f"xdotool finds no window '{title}'")
    return ids[-1]


def key(name):
    subprocess.run(["xdotool", "key", name], check=True, timeout=30)


def in_window(win, role, name):
    """Whether the window @win shows a control @role named @name (one walk,
    no waiting)."""
    for a in atspi.walk(win):
        try:
            if a.name == name and a.getRoleName() == role and \
                    a.getState().contains(atspi.pyatspi.STATE_SHOWING):
                return True
        except Exception:
            pass
    return False


def tour(log, win, title, tabs, spoken, failures, want=()):
    """Presses Tab @tabs times in the window @title and checks what Orca
    says about each control it reports focused; adds "name role" to
    @spoken. Orca drops a focus event that the next one overtakes (seen
    under load), so while something in @want (patterns of "name role") is
    still unspoken the tour goes on round the window, for at most @tabs
    more Tabs. Returns how many Tabs Orca said nothing about."""
    # Without a window manager, a click gives the window the keyboard
    # (xdotool windowfocus did not: GTK did not move the focus on Tab).
    # The top left corner is the header bar's empty edge.
    subprocess.run(["xdotool", "mousemove", "--window", window_id(title), "3", "3",
                    "click", "1"], check=True, timeout=30)
    events = log.new()
    silent = 0
    pressed = 0

    def missing():
        return [w for w in want if not any(re.fullmatch(w, s) for s in spoken)]
    while pressed < tabs or (missing() and pressed < 2 * tabs):
        pressed += 1
        key("Tab")
        # A Tab onto the text of a libadwaita 1.2 AdwEntryRow sends Orca no
        # focus event at all (GTK 4.8 reports the focus on no accessible
        # object); Hail's fields are GtkEntry in rows for that reason, but a
        # Tab may still be answered by nothing: give up on it after a while,
        # and only count it. Correctness does not hang on this wait: a late
        # focus event is read and checked with the next Tab's.
        try:
            poll(lambda: events.extend(log.new()) or
                 any(e[0] == "focus" for e in events), "Orca to follow the focus", 3)
        except AssertionError:
            silent += 1
            continue
        while any(e[0] == "focus" for e in events):
            start = next(i for i, e in enumerate(events) if e[0] == "focus")
            _, role, name = events[start]
            del events[:start + 1]
            if role == "frame":
                continue
            # The focus of the window closed just before (the wizard's
            # Continue) may reach Orca after this tour began, when the
            # control is gone: Orca then reads no name and says its role.
            if not name.strip() and not in_window(win, role, name):
                print(f"# {title}: focus on a gone {role} of another window, skipped")
                continue

            def said():
                events.extend(log.new())
                return any(e[0] == "speech" and name in e[1] for e in events)
            try:
                poll(said, f"Orca to say '{name}'", 15)
            except AssertionError:
                # The same, with the name read before the control went.
                if not in_window(win, role, name):
                    print(f"# {title}: focus on {role} '{name}' of another window, skipped")
                    continue
                failures.append(f"{title}: Orca did not say the focused {role} '{name}'; "
                                f"it said {events}")
                continue
            # What it said for this focus: up to the next focus change.
            end = next((i for i, e in enumerate(events) if e[0] == "focus"), len(events))
            heard = [e[1] for e in events[:end] if e[0] == "speech"]
            utterance = " ".join(heard)
            print(f"# {title}: focus on {role} '{name}': Orca says {heard}")
            words = ORCA_ROLE.get(role, (role,))
            if not any(w in utterance for w in words):
                failures.append(f"{title}: Orca said {heard} for the {role} '{name}', without "
                                "its role")
            toolkit, ours = [], []
            for m in CLASS_NAME.finditer(utterance):
                (toolkit if utterance.startswith(TOOLKIT_WORDS, m.start()) else ours).append(
                    m.group(0))
            if toolkit:
                print(f"# {title}: the toolkit's own unnamed parts: {toolkit}")
            if ours:
                failures.append(f"{title}: Orca speaks a class name for a control "
                                f"without an accessible name: {heard}")
            elif not name.strip() or (CLASS_NAME.fullmatch(name) and name not in toolkit):
                failures.append(f"{title}: Orca's focus is on a {role} without a name"
                                f" ('{name}')")
            spoken.append(f"{name} {role}")
    print(f"# {title}: {silent} of {pressed} Tabs got no word from Orca")
    for w in missing():
        failures.append(f"{title}: Orca never spoke '{w}' on focus in {pressed} Tabs; "
                        f"it spoke {spoken}")
    return silent


home = tempfile.mkdtemp(prefix="hail-orca-")
env = atspi.app_env(home)
# GTK 4.8 answers Orca's questions about a control's place on the screen
# with g_warning ("Screen coordinates not supported, reported positions will
# be wrong": X11 has no such coordinates for a GTK 4 widget). That is the
# toolkit's, not Hail's; criticals stay fatal.
env["G_DEBUG"] = "gc-friendly,fatal-criticals"
failures = []
spoken = []
conversation_id = int(subprocess.run([sys.argv[2]], env=env, check=True, timeout=60,
                                     capture_output=True, text=True).stdout.split()[-1])
proc = subprocess.Popen([sys.argv[1]], env=env)
orca = None
log = None
try:
    app = app_of(proc)
    wizard = frame(app, "Add Account")

    # Orca keeps its settings in its own directory (-u); speech and braille
    # off: the debug log still records every utterance. It refuses to start
    # next to another Orca of the same user, and says so.
    log = OrcaLog(os.path.join(home, "orca-debug.out"))
    orca_out = open(os.path.join(home, "orca.out"), "w")
    orca = subprocess.Popen(["orca", "--disable", "speech", "--disable", "braille",
                             "--disable", "key-echo", "--user-prefs",
                             os.path.join(home, "orca-prefs"), "--debug",
                             "--debug-file", log.tty],
                            env=env, stdout=orca_out, stderr=subprocess.STDOUT)

    def orca_started():
        if orca.poll() is not None:
            with open(os.path.join(home, "orca.out")) as f:
                said = f.read().strip()
            # Orca runs once per user (pgrep -x orca): not next to a
            # screen reader someone is using.
            if "Another screen reader process is already running" in said:
                atspi.skip(said)
            raise AssertionError(f"orca exited with {orca.returncode}: {said}")
        return log.contains("ORCA: Starting ATSPI registry.")
    poll(orca_started, "Orca to start", 60)

    # 1. The account wizard, as the first run shows it.
    tour(log, wizard, "Add Account", 8, spoken, failures, ["Advanced Settings push button"])
    find(wizard, lambda a: a.getRoleName() == "text" and a.name == "SIP Address",
         "SIP Address field").queryEditableText().setTextContents(
             "sip:alice@127.0.0.1:5070;transport=tcp")
    atspi.wizard_submit(wizard, "secret")
    find_label(wizard, lambda n: n == "Could Not Sign In", "the check result", 30)
    press(button(wizard, "Continue"))

    # 2. The main window with a contact, and its dial pad.
    main = frame(app, "Hail")
    find(main, lambda a: a.getRoleName() == "push button" and a.name == "Call Bob Builder",
         "contact call button")
    tour(log, main, "Hail", 14, spoken, failures,
         ["Dial Pad push button", "Chat with Bob Builder push button",
          "Search contacts and calls entry", "Retry push button"])
    press(button(main, "Dial Pad"))
    find(main, lambda a: a.getRoleName() == "text" and a.name == "Address to call",
         "dial pad entry")
    # Which key comes first depends on where the click left the focus.
    tour(log, main, "Hail", 4, spoken, failures, [r"[0-9] push button"])

    # 3. A chat window.
    def open_chat():
        activate("open-conversation", GLib.Variant("x", conversation_id))
        return next((w for w in atspi.children(app) if w is not None and
                     w.name == "Bob Builder"), None)
    chat = poll(open_chat, "the chat window with Bob Builder")
    find(chat, lambda a: a.getRoleName() == "text" and a.name == "Message to Bob Builder",
         "message entry")
    tour(log, chat, "Bob Builder", 8, spoken, failures, ["Send a File push button"])

    # Calling Bob is disabled without a registered account, so its button
    # is no Tab stop here; its name is checked by test-a11y.py.
    print(f"# {len(spoken)} focused controls spoken by Orca")
    activate("quit")
    proc.wait(timeout=30)
except AssertionError as e:
    failures.append(str(e))
finally:
    # Orca's SIGTERM handler waits on its own main loop and did not return in
    # 10 s: kill it, nothing it holds outlives it (its settings are in @home).
    if orca is not None and orca.poll() is None:
        orca.kill()
        orca.wait(timeout=30)
    if log is not None:
        log.close()
    if proc.poll() is None:
        proc.terminate()
        proc.wait(timeout=10)
    if failures and os.path.exists(os.path.join(home, "orca-debug.out")):
        kept = os.path.join(os.environ.get("HAIL_BUILD_ROOT", os.getcwd()), "orca-debug.out")
        shutil.copy(os.path.join(home, "orca-debug.out"), kept)
        print(f"# Orca's debug log: {kept}")
    shutil.rmtree(home, ignore_errors=True)

atspi.report(failures)
