#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
# test-call-e2e.py HAIL SOURCE_ROOT HAIL_CLI SEED_STORE: calls in the real
# app, with a real gnome-keyring, PulseAudio and the test Kamailio on free
# ports, driven through AT-SPI and the app's D-Bus actions.
#  a) Alice (the app, signed in through the wizard) clicks the call button
#     of her contact Bob Builder; Bob is `hail-cli listen --auto-answer
#     --record-dir D`. The call window shows the call established with its
#     duration ticking; keys do the rest (Ctrl+M mutes and unmutes, typed
#     digits reach Bob as DTMF, Ctrl+H holds and resumes, Ctrl+E hangs up);
#     Bob's events show it terminated; the history lists it, outgoing, with
#     its duration. The app sends a 1000 Hz sine instead of the microphone
#     (the HAIL_CALL_TEST_TONE test hook of src/app/hail-core-call.c:
#     PulseAudio's null sink has no voice), and Bob's recording has its peak
#     at 1000 Hz.
#  b) Carol (`hail-cli call`) calls Alice. No desktop shell runs here, so a
#     stand-in notification server (notification-recorder.py) records what
#     the app asks to show: "Incoming call from ..." with Answer and Decline
#     bound to app.answer-call and app.decline-call with the call's id. The
#     test activates the Answer button's action over D-Bus (org.gtk.Actions
#     Activate, as the shell would), the window shows the call established,
#     Carol hangs up after 3 s and the window shows the call ended.
#  c) Carol calls; the notification's Decline (app.decline-call over D-Bus)
#     declines it: the history says "Declined", and no "Missed call" is
#     notified for it.
#  d) Carol calls and gives up while it rings: the incoming notification is
#     withdrawn, "Missed call from ..." with Call Back appears, and the
#     history lists the missed call.
#  e) With "Run in Background" on (set in Preferences), closing every window
#     keeps the app running and registered: Carol's call raises the
#     notification, and its Answer (over D-Bus) opens the call window and
#     establishes the call.
#  f) app.quit during a call to Bob hangs it up (Bob's events show it).
#  g) A fresh app with the preference off (the default) quits when its last
#     window is closed and signs out: Carol's next call gets 480 from the
#     registrar.
#  h) (after a) Carol sends a message: "New message from ..." with its text
#     is notified, and her conversation window shows it.
# A screenshot of the call window during call (a) goes to
# BUILD_ROOT/screenshots/call-window-active.png. Exits 77 without a display,
# a session bus, a Secret Service, PulseAudio, Kamailio or numpy.
import glob
import importlib.util
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import atspi  # noqa: E402  (first: it keeps G_DEBUG away from this process)
from atspi import button, find, find_label, frame, poll, press, screenshot, text  # noqa: E402

atspi.require()
from gi.repository import Gio, GLib  # noqa: E402

TONE_HZ = 1000
SCHEMA = "io.github.hailphone.Hail.Account"
DURATION = re.compile(r"^(\d+):(\d\d)$")

hail, source_root, hail_cli, seed_store = sys.argv[1:5]
here = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(source_root, "tests", "e2e"))
import hailtest  # noqa: E402

# The audio check of the e2e call test, reused: dominant frequency by FFT.
_spec = importlib.util.spec_from_file_location(
    "e2e_call", os.path.join(source_root, "tests", "e2e", "test-call.py"))
e2e_call = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(e2e_call)

if not atspi.name_has_owner("org.freedesktop.secrets"):
    atspi.skip("org.freedesktop.secrets is not owned: start an unlocked gnome-keyring "
               "(tests/run-all.sh does)")
if atspi.name_has_owner("org.freedesktop.Notifications"):
    atspi.skip("a notification server already runs on this bus")
if not shutil.which("kamailio") and not os.path.exists("/usr/sbin/kamailio"):
    atspi.skip("kamailio is not installed")
if not shutil.which("secret-tool"):
    atspi.skip("secret-tool (libsecret-tools) is not installed")
if subprocess.run(["pactl", "info"], capture_output=True).returncode != 0:
    atspi.skip("no PulseAudio server (tests/run-all.sh starts one)")
if importlib.util.find_spec("numpy") is None:     # e2e_call.peak needs it
    atspi.skip("python3-numpy is not installed")
if not shutil.which("xdotool"):
    atspi.skip("xdotool is not installed")


def seconds(label_text):
    m = DURATION.match(label_text)
    return int(m.group(1)) * 60 + int(m.group(2)) if m else None


def call_state(win):
    return find(win, lambda a: a.description == "call-state", "the call state label")


def wait_ticking(win, what):
    """Waits for the state label to show a duration, then for it to move on."""
    label = call_state(win)
    first = poll(lambda: seconds(text(label)) is not None and text(label), what, 30)
    poll(lambda: (seconds(text(label)) or 0) > seconds(first),
         f"the duration moving on from {first}", 15)
    return label


def xdotool(*args):
    subprocess.run(["xdotool", *args], check=True, timeout=30)


def focus_by_click(title):
    """Focuses a window by clicking its header bar: no window manager runs
    here, so windowactivate cannot."""
    wid = subprocess.run(["xdotool", "search", "--onlyvisible", "--name", f"^{title}$"],
                         check=True, timeout=30, capture_output=True, text=True).stdout.split()
    if len(wid) != 1:
        raise AssertionError(f"{len(wid)} visible windows named {title!r}")
    xdotool("mousemove", "--window", wid[0], "200", "20", "click", "1")


def checked(acc):
    states = acc.getState()
    return states.contains(atspi.pyatspi.STATE_CHECKED) or \
        states.contains(atspi.pyatspi.STATE_PRESSED)


def window_names(app):
    """The app's window titles, or None once the app has left the bus (or a
    window went away while they were read: ask again)."""
    try:
        return [w.name or "" for w in atspi.children(app) if w is not None]
    except Exception:
        return None


def set_background(app, on):
    """Sets "Run in Background" in the Preferences window, then closes it."""
    atspi.activate("preferences")
    prefs = frame(app, "Preferences")
    switch = find(prefs, lambda a: a.getRoleName() == "check box" and
                  a.name == "Run in Background", "the Run in Background switch")
    if checked(switch) != on:
        press(switch)
    poll(lambda: checked(switch) == on, f"Run in Background turned {'on' if on else 'off'}")
    press(button(prefs, "Close"))
    poll(lambda: "Preferences" not in (window_names(app) or ["Preferences"]),
         "the Preferences window closed")


def fewer_windows(app, n):
    names = window_names(app)
    return names is None or len(names) < n


def close_all_windows(app):
    """Presses the Close button of every window, as a user would; returns
    when none is left (or the app has gone)."""
    for _ in range(10):     # bounded: each round closes one window
        names = window_names(app) or window_names(app)  # twice: a window may be going away
        if not names:
            return
        win = frame(app, names[0], 5)
        press(button(win, "Close", 5))
        # One read per check: the app may leave the bus between two reads.
        poll(lambda: fewer_windows(app, len(names)), f"window {names[0]!r} closed", 10)
    raise AssertionError("windows still open after closing ten")


class Recorder:
    """notification-recorder.py, its JSON lines read by a hailtest.Proc."""

    def __init__(self, workdir):
        self.proc = hailtest.Proc(["/usr/bin/python3", os.path.join(here,
                                   "notification-recorder.py")], workdir, "notifications")
        self.proc.expect_event("ready", timeout=15)

    def mark(self):
        """Where the next expect(after=...) starts: past what was seen."""
        return len(self.proc.seen)

    def expect(self, pred, what, timeout=20, after=0):
        def match():
            for line in self.proc.seen[after:]:
                try:
                    ev = json.loads(line)
                except ValueError:
                    continue
                if ev.get("event") == "notify" and pred(ev):
                    return ev
            return None
        try:
            return poll(match, what, timeout)
        except AssertionError:
            raise AssertionError(f"{what}; notifications: {self.proc.seen}")


home = tempfile.mkdtemp(prefix="hail-call-e2e-")
kam_run = os.path.join(home, "kamailio")
env = atspi.app_env(os.path.join(home, "home"))
env["HOME"] = os.path.join(home, "home")
env["HAIL_CALL_TEST_TONE"] = str(TONE_HZ)
procs = []
failures = []
proc = None
kam_started = False
try:
    port, tls_port = atspi.start_kamailio(source_root, kam_run)
    kam_started = True
    proxy_uri = f"sip:127.0.0.1:{port};transport=tcp"
    recorder = Recorder(home)
    procs.append(recorder.proc)

    # Alice's history holds the contact Bob Builder (sip:bob@example.test).
    subprocess.run([seed_store], env=env, check=True, timeout=60, capture_output=True)
    proc = subprocess.Popen([hail], env=env)
    app = atspi.app_of(proc)
    main = atspi.add_account(app, "alice@example.test", proxy_uri, "alice-secret")

    def peer(user, command):
        p = hailtest.Proc([hail_cli, "--json", "--account", f"sip:{user}@example.test",
                           "--proxy", proxy_uri, "--password-stdin", "--no-history"] + command,
                          home, user)
        procs.append(p)
        p.send_line(f"{user}-secret")
        return p

    def carol_rings(what):
        """Carol calls Alice (3 s once answered); returns her and the
        incoming call's notification, a new one."""
        mark = recorder.mark()
        p = peer("carol", ["call", "sip:alice@example.test", "--duration", "3"])
        p.expect_event("call-state", timeout=15, state="ringing")
        return p, recorder.expect(lambda ev: ev["summary"].startswith("Incoming call from"),
                                  what, after=mark)

    # a) One click on the contact's call button; Bob answers by himself.
    records = os.path.join(home, "records")
    os.makedirs(records)
    bob = peer("bob", ["listen", "--auto-answer", "--record-dir", records, "--for", "120"])
    bob.expect_event("registered", timeout=15)
    call_bob = button(main, "Call Bob Builder")
    poll(lambda: atspi.sensitive(call_bob), "calling Bob enabled once Alice is online")
    press(call_bob)
    win = frame(app, lambda n: n in ("Bob Builder", "sip:bob@example.test"), 20)
    bob.expect_event("call-state", timeout=15, state="incoming")
    bob.expect_event("call-state", timeout=15, state="established")
    label = wait_ticking(win, "the call established in the window")
    poll(lambda: win.name == "Bob Builder", "the contact's name as the window title")
    if not atspi.sensitive(button(win, "Hang Up")):
        failures.append("Hang Up is not available during the call")
    screenshot("Bob Builder", "call-window-active.png")
    # Long enough for a clear spectrum in Bob's recording.
    poll(lambda: (seconds(text(label)) or 0) >= 3, "three seconds of call", 15)
    # The keyboard: Ctrl+M mutes, typed digits reach Bob as DTMF, Ctrl+H
    # holds (Bob's media turns recvonly) and resumes, Ctrl+E hangs up.
    focus_by_click("Bob Builder")
    mute = button(win, "Mute")
    xdotool("key", "ctrl+m")
    poll(lambda: checked(mute), "Ctrl+M turning Mute on")
    xdotool("key", "ctrl+m")
    poll(lambda: not checked(mute), "Ctrl+M turning Mute off")
    xdotool("type", "--delay", "50", "19#")
    for digit in "19#":
        bob.expect_event("dtmf-received", timeout=15, digit=digit)
    xdotool("key", "ctrl+h")
    bob.expect_event("call-media", timeout=15, direction="recvonly")
    xdotool("key", "ctrl+h")
    bob.expect_event("call-media", timeout=15, direction="sendrecv")
    xdotool("key", "ctrl+e")
    bob.expect_event("call-state", timeout=15, state="terminated")
    poll(lambda: text(label).startswith("Call ended"), "the window showing the call ended")
    wavs = poll(lambda: glob.glob(os.path.join(records, "*.wav")), "Bob's recording", 15)
    freq, rate = e2e_call.peak(wavs[0])
    print(f"# Bob's recording: peak {freq:.1f} Hz at {rate} Hz")
    if abs(freq / TONE_HZ - 1) > 0.02:
        failures.append(f"Bob heard a peak at {freq:.1f} Hz, not the app's {TONE_HZ} Hz tone")

    press(button(main, "History"))
    row = find_label(main, lambda n: n.startswith("Outgoing · ") and
                     (seconds(n.rsplit(" · ", 1)[-1]) or 0) >= 3,
                     "the call in the history with its duration")
    print(f"# history: {row.name}")
    find(main, lambda a: a.getRoleName() == "push button" and
         a.name == "Call sip:bob@example.test back", "the call-back button in the history")

    # h) Carol sends a message: "New message from" her, with its text, is
    # notified, and the conversation shows it.
    mark = recorder.mark()
    note_text = "Call me back when you can"
    peer("carol", ["message", "sip:alice@example.test", note_text]).expect_event(
        "message-sent", timeout=15)
    note = recorder.expect(lambda ev: ev["summary"] == "New message from sip:carol@example.test"
                           and ev["body"] == note_text, "the new message notification", after=mark)
    print(f"# notified: {note['summary']}: {note['body']}")
    atspi.activate("open-chat", GLib.Variant("s", "sip:carol@example.test"))
    chat = frame(app, lambda n: "carol" in n.lower(), 20)
    find(chat, lambda a: a.description == "message-body" and text(a) == note_text,
         "Carol's message in her conversation")
    press(button(chat, "Close"))
    poll(lambda: not any("carol" in n.lower() for n in (window_names(app) or ["carol"])),
         "the chat window closed")

    # b) Carol calls; the notification's Answer action answers it.
    carol = peer("carol", ["call", "sip:alice@example.test", "--duration", "3"])
    note = recorder.expect(lambda ev: ev["summary"].startswith("Incoming call from") and
                           "carol" in ev["summary"], "the incoming call notification")
    actions = dict((label, action) for action, label in note["actions"])
    if set(actions) != {"Answer", "Decline"}:
        failures.append(f"the notification offers {sorted(actions)}, not Answer and Decline")
    ok, name, target = Gio.Action.parse_detailed_name(actions["Answer"])
    if not ok or name != "app.answer-call" or target is None:
        raise AssertionError(f"the Answer button is bound to {actions['Answer']!r}")
    ok, decline, decline_target = Gio.Action.parse_detailed_name(actions["Decline"])
    if not ok or decline != "app.decline-call" or decline_target != target:
        failures.append(f"the Decline button is bound to {actions['Decline']!r}")
    win = frame(app, lambda n: "carol" in n.lower(), 20)
    find_label(win, lambda n: n == "Incoming call", "the window in the incoming state")
    carol.expect_event("call-state", timeout=15, state="ringing")
    atspi.activate(name[len("app."):], GLib.Variant("s", target.unpack()))
    carol.expect_event("call-state", timeout=15, state="established")
    label = wait_ticking(win, "the answered call established in the window")
    carol.expect_event("call-state", timeout=20, state="terminated")
    poll(lambda: text(label).startswith("Call ended"), "the window showing the call ended")
    carol.expect_exit(0, timeout=15)

    # c) Carol calls again; the notification's Decline declines it (603): the
    # history says "Declined" and no missed-call notification follows (case
    # d's missed-call notification comes later on the same connection, so
    # counting there is bounded).
    carol, note = carol_rings("the incoming call notification to decline")
    find_label(win, lambda n: n == "Incoming call", "the call to decline ringing in the window")
    actions = dict((label, action) for action, label in note["actions"])
    ok, decline, decline_target = Gio.Action.parse_detailed_name(actions["Decline"])
    atspi.activate(decline[len("app."):], GLib.Variant("s", decline_target.unpack()))
    carol.expect_event("call-state", timeout=15, state="terminated")
    find_label(main, lambda n: n.startswith("Declined · "), "the declined call in the history")

    # d) Carol calls again and gives up before Alice answers: the incoming
    # call's notification is withdrawn and a missed-call one replaces it.
    carol, note = carol_rings("the second incoming call notification")
    # The window shows it ringing: a round trip through the app's main loop,
    # which has then also taken the notification server's reply (GLib's
    # backend can only withdraw a notification whose id it was told).
    find_label(win, lambda n: n == "Incoming call", "the second call ringing in the window")
    carol.proc.terminate()      # hail-cli CANCELs on SIGTERM
    carol.expect_event("call-state", timeout=15, state="terminated")
    missed = recorder.expect(lambda ev: ev["summary"] == "Missed call from sip:carol@example.test",
                             "the missed-call notification")
    buttons = [Gio.Action.parse_detailed_name(a)[1:] for a, _ in missed["actions"]
               if a != "default"]
    if buttons != [("app.call", GLib.Variant("s", "sip:carol@example.test"))]:
        failures.append(f"the missed-call notification offers {missed['actions']}")
    poll(lambda: any(json.loads(line).get("event") == "close" and
                     json.loads(line).get("id") == note["id"]
                     for line in recorder.proc.seen if line.startswith("{")),
         f"the incoming call notification withdrawn; notifications: {recorder.proc.seen}")
    find_label(main, lambda n: n.startswith("Missed · "), "the missed call in the history")
    missed_notes = [line for line in recorder.proc.seen if line.startswith("{") and
                    json.loads(line).get("summary", "").startswith("Missed call")]
    if len(missed_notes) != 1:
        failures.append(f"{len(missed_notes)} missed-call notifications, not 1 (the declined "
                        f"call must not notify): {missed_notes}")

    # e) Run in background: with the preference on, closing every window
    # keeps the app running and registered; Carol's call raises the
    # notification, whose Answer opens the call window and establishes it.
    set_background(app, True)
    close_all_windows(app)
    carol, note = carol_rings("the incoming call notification in the background")
    if proc.poll() is not None:
        raise AssertionError(f"hail exited with {proc.returncode} with the window closed")
    actions = dict((label, action) for action, label in note["actions"])
    ok, name, target = Gio.Action.parse_detailed_name(actions["Answer"])
    atspi.activate(name[len("app."):], GLib.Variant("s", target.unpack()))
    win = frame(app, lambda n: "carol" in n.lower(), 20)
    carol.expect_event("call-state", timeout=15, state="established")
    label = wait_ticking(win, "the call answered in the background established")
    carol.expect_event("call-state", timeout=20, state="terminated")
    carol.expect_exit(0, timeout=15)
    # Back to the default for (f); the main window comes back for Bob's call.
    set_background(app, False)
    atspi.activate("show-history")
    main = frame(app, "Hail")
    call_bob = button(main, "Call Bob Builder")

    # f) Quitting during a call hangs it up: Bob is not left talking alone.
    poll(lambda: atspi.sensitive(call_bob), "calling Bob enabled in the reopened window")
    press(call_bob)
    bob.expect_event("call-state", timeout=15, state="established")
    atspi.activate("quit")
    bob.expect_event("call-state", timeout=15, state="terminated")
    rc = proc.wait(timeout=30)
    if rc != 0:
        failures.append(f"hail exited with {rc} after app.quit")

    # g) With the preference off (the default), closing the last window
    # quits and signs out: the registrar then answers Carol's call with 480
    # (known but unregistered), not by relaying it to a dead contact.
    proc = subprocess.Popen([hail], env=env)
    app = atspi.app_of(proc)
    atspi.add_account(app, "alice@example.test", proxy_uri, "alice-secret")
    close_all_windows(app)
    rc = proc.wait(timeout=30)
    if rc != 0:
        failures.append(f"hail exited with {rc} after its last window closed")
    carol = peer("carol", ["call", "sip:alice@example.test"])
    ended = carol.expect_event("call-state", timeout=15, state="terminated")
    if ended.get("status") != 480:
        failures.append(f"Carol's call after the app quit ended with {ended}, not 480")
except (AssertionError, subprocess.TimeoutExpired) as e:
    failures.append(str(e))
finally:
    for p in procs:
        p.close_stdin()
        p.stop()
    if proc is not None and proc.poll() is None:
        proc.terminate()
        proc.wait(timeout=10)
    subprocess.run(["secret-tool", "clear", "xdg:schema", SCHEMA, "account",
                    "sip:alice@example.test"], timeout=15)
    if kam_started:
        atspi.stop_kamailio(source_root, kam_run)
    shutil.rmtree(home, ignore_errors=True)

atspi.report(failures)
