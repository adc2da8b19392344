#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
# test-a11y.py HAIL: starts the real app on a first run (the account wizard),
# drives it through AT-SPI like a screen reader user, and fails on any
# interactive control without an accessible name in any window (UX.md
# rule 5). Screenshots of each window go to BUILD_ROOT/screenshots, and
# those the AppStream metainfo shows must still match data/screenshots.
# Needs DISPLAY and DBUS_SESSION_BUS_ADDRESS; exits 77 without them.
import os
import shutil
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import atspi  # noqa: E402  (first: it keeps G_DEBUG away from this process)
from atspi import (APP_ID, activate, check_named, children, find, find_label,  # noqa: E402
                   frame, open_uri, poll, screenshot, text)

atspi.require()
import pyatspi  # noqa: E402
from gi.repository import GLib  # noqa: E402

# The metainfo's screenshots this run takes too (the call window's comes
# from test-call-e2e.py), and how much of one may differ (a clock, a
# date, a blinking cursor: up to 0.5% between runs) before it no longer
# shows the current window (stale ones differed by 3-4%).
METAINFO_SHOTS = ("account-wizard.png", "main-window.png", "history.png", "chat-window.png",
                  "preferences.png")
STALE_FRACTION = 0.02
# A label each Preferences page shows, to know it is the one on screen.
PAGE_LABELS = {"Audio": ("Devices", "Echo Cancellation"),
               "SIP Trace": ("Record SIP Messages", "Messages")}


def shipped_difference(name):
    """The fraction of the pixels of this run's screenshot @name that differ
    from data/screenshots' one, or an error text when they cannot be
    compared; None without ImageMagick or without this run's screenshot."""
    fresh = os.path.join(atspi.shot_dir(), name)
    if not shutil.which("compare") or not shutil.which("identify") or not os.path.exists(fresh):
        return None
    shipped = os.path.join(os.environ["HAIL_SOURCE_ROOT"], "data", "screenshots", name)
    size = subprocess.run(["identify", "-format", "%w %h", fresh], capture_output=True,
                          text=True, check=True, timeout=60).stdout.split()
    diff = subprocess.run(["compare", "-metric", "AE", "-fuzz", "5%", shipped, fresh, "null:"],
                          capture_output=True, text=True, timeout=60)
    if diff.returncode > 1:
        return f"cannot be compared with this run's {fresh}: {diff.stderr.strip()}"
    return float(diff.stderr.split()[0]) / (int(size[0]) * int(size[1]))


def metainfo_screenshot(title, name):
    """screenshot() for a window the metainfo shows. A page switched to a
    moment ago is in the AT-SPI tree before it is drawn, and a loaded
    machine draws it late: take the picture again, for a few seconds, while
    it differs from the shipped one; a stale one still differs after that."""
    end = time.monotonic() + 5
    while screenshot(title, name) is not None:
        fraction = shipped_difference(name)
        if not isinstance(fraction, float) or fraction <= STALE_FRACTION or \
           time.monotonic() > end:
            return
        time.sleep(0.5)


def check_metainfo_shots(failures):
    """The AppStream screenshots (data/screenshots, named in the metainfo)
    show these same windows: one that differs from this run's in more than
    STALE_FRACTION of its pixels is out of date; copy the new one over it."""
    if not shutil.which("compare") or not shutil.which("identify"):
        print("# no ImageMagick compare: metainfo screenshots not checked")
        return
    for name in METAINFO_SHOTS:
        fraction = shipped_difference(name)
        if fraction is None:
            continue
        if isinstance(fraction, str):
            failures.append(f"data/screenshots/{name} {fraction}")
            continue
        print(f"# data/screenshots/{name}: {fraction:.1%} of the pixels differ from this run's")
        if fraction > STALE_FRACTION:
            fresh = os.path.join(atspi.shot_dir(), name)
            failures.append(f"data/screenshots/{name} is out of date ({fraction:.0%} of the "
                            f"pixels differ): copy {fresh} over it")


home = tempfile.mkdtemp(prefix="hail-a11y-")
env = atspi.app_env(home)

failures = []
# A real store in the test's HOME, written through the store's API before
# the app starts: a conversation with Bob, a missed call, a contact.
conversation_id = None
if len(sys.argv) > 3:
    conversation_id = int(subprocess.run([sys.argv[2]], env=env, check=True, timeout=60,
                                         capture_output=True, text=True).stdout.split()[-1])
proc = subprocess.Popen([sys.argv[1]], env=env)
try:
    app = poll(lambda: next((a for a in pyatspi.Registry.getDesktop(0)
                             if a is not None and a.get_process_id() == proc.pid), None),
               "the app on the accessibility bus", 30)

    # 1. A first run opens the wizard, and only the wizard.
    wizard = frame(app, "Add Account")
    if [w.name for w in children(app)] != ["Add Account"]:
        failures.append("first run shows more than the wizard: %s"
                        % [w.name for w in children(app)])
    check_named(wizard, "Add Account", failures)

    # 2. The address is shown back as read.
    address = find(wizard, lambda a: a.getRoleName() == "text" and a.name == "SIP Address",
                   "SIP Address field")
    address.queryEditableText().setTextContents("alice@")
    poll(lambda: address.description == "The server after “@” is missing.",
         "the address error read out with the field")
    address.queryEditableText().setTextContents("sip:alice@127.0.0.1:5070;transport=tcp")
    for shown in ("alice", "127.0.0.1", "5070", "TCP"):
        find(wizard, lambda a, s=shown: a.getRoleName() == "label" and a.name == s,
             f"parsed value {shown}")
    password = find(wizard, lambda a: a.getRoleName() in ("password text", "text") and
                    a.name == "Password", "Password field")
    password.queryEditableText().setTextContents("secret")
    # Before the Advanced page: a screenshot taken after the slide back
    # sometimes still caught the Advanced page.
    metainfo_screenshot("Add Account", "account-wizard.png")
    # The advanced overrides are one button away, and Back keeps what was typed.
    adv = find(wizard, lambda a: a.getRoleName() == "push button" and
               a.name == "Advanced Settings", "Advanced Settings button")
    adv.queryAction().doAction(0)
    proxy = find(wizard, lambda a: a.getRoleName() == "text" and
                 a.name == "Registrar or Outbound Proxy", "proxy field")
    proxy.queryEditableText().setTextContents("proxy.example.test:99999")
    find(wizard, lambda a: a.description == "proxy-error" and "65535" in a.name,
         "proxy port error")
    check_named(wizard, "Add Account (advanced)", failures)
    screenshot("Add Account", "account-advanced.png")
    proxy.queryEditableText().setTextContents("")
    back = find(wizard, lambda a: a.getRoleName() == "push button" and a.name == "Back", "Back")
    back.queryAction().doAction(0)
    if text(address) != "sip:alice@127.0.0.1:5070;transport=tcp":
        failures.append(f"the address changed on the way back: {text(address)!r}")

    # 3. Next saves and checks; the result stays on screen with Retry and Edit.
    nxt = find(wizard, lambda a: a.getRoleName() == "push button" and a.name == "Next", "Next")
    poll(lambda: nxt.getState().contains(pyatspi.STATE_SENSITIVE), "Next enabled")
    nxt.queryAction().doAction(0)
    # Nothing listens on 127.0.0.1:5070, and the real engine says so.
    find(wizard, lambda a: a.getRoleName() == "label" and a.name == "Could Not Sign In",
         "check result")
    find(wizard, lambda a: a.getRoleName() == "label" and
         a.name.startswith("Nothing is answering at 127.0.0.1:5070."), "the cause of the failure")
    for button in ("Retry", "Edit", "Continue"):
        find(wizard, lambda a, b=button: a.getRoleName() == "push button" and a.name == b,
             f"{button} button")
    check_named(wizard, "Add Account (result)", failures)
    screenshot("Add Account", "account-check.png")
    cont = find(wizard, lambda a: a.getRoleName() == "push button" and a.name == "Continue",
                "Continue")
    cont.queryAction().doAction(0)

    # 4. The main window tells the truth about the account and about calling.
    main = frame(app, "Hail")
    find(main, lambda a: a.getRoleName() == "label" and
         a.name.startswith("Not connected: Nothing is answering at 127.0.0.1:5070."),
         "account state")
    find(main, lambda a: a.getRoleName() == "push button" and a.name.startswith("Retry"),
         "Retry button")
    check_named(main, "Hail", failures)
    # The removal question is a dialog of its own; Cancel keeps the account.
    find(main, lambda a: a.getRoleName() == "push button" and
         (a.name or "").startswith("Remove sip:alice@"), "Remove button").queryAction().doAction(0)
    question = find_label(app, lambda n: n.startswith("Remove sip:alice@") and n.endswith("?"),
                          "the removal question")
    dialog = question
    while dialog.parent is not None and dialog.parent.getRoleName() != "application":
        dialog = dialog.parent
    check_named(dialog, "Remove account dialog", failures)
    find(dialog, lambda a: a.getRoleName() == "push button" and
         a.name in ("Cancel", "_Cancel Cancel"), "the Cancel response").queryAction().doAction(0)
    poll(lambda: dialog.name not in [w.name for w in children(app) if w is not None]
         or dialog.getState().contains(pyatspi.STATE_DEFUNCT), "the dialog closed")
    find(main, lambda a: a.getRoleName() == "label" and
         a.name.startswith("Not connected: Nothing is answering"), "the account kept")
    dial = find(main, lambda a: a.getRoleName() == "push button" and a.name == "Dial Pad",
                "Dial Pad button")
    dial.queryAction().doAction(0)
    entry = find(main, lambda a: a.getRoleName() == "text" and a.name == "Address to call",
                 "dial pad entry")
    entry.queryEditableText().setTextContents("bob@127.0.0.1")
    find(main, lambda a: a.getRoleName() == "label" and a.name == "sip:bob@127.0.0.1",
         "parsed dial address")
    call = find(main, lambda a: a.getRoleName() == "push button" and a.name == "Call", "Call")
    poll(lambda: not call.getState().contains(pyatspi.STATE_SENSITIVE),
         "Call disabled while the account is not online")
    reason = find(main, lambda a: a.description == "dialpad-reason", "reason label")
    if "online" not in text(reason):
        failures.append(f"dial pad reason does not name the cause: {text(reason)!r}")
    check_named(main, "Hail (dial pad)", failures)
    metainfo_screenshot("Hail", "main-window.png")

    # 5. sip: links (org.freedesktop.Application.Open) and app.dial fill the dial pad.
    open_uri("sip:carol@127.0.0.1")
    poll(lambda: text(entry) == "sip:carol@127.0.0.1", "sip: link in the dial pad")
    open_uri("sips:dave@127.0.0.1")
    poll(lambda: text(entry) == "sips:dave@127.0.0.1", "sips: link in the dial pad")
    activate("dial", GLib.Variant("s", "tel:+1-555-0100"))
    poll(lambda: text(entry) == "tel:+1-555-0100", "app.dial in the dial pad")
    find(main, lambda a: a.getRoleName() == "label" and
         a.name == "sip:+15550100@127.0.0.1;user=phone", "tel: number read with the server")

    if conversation_id is not None:
        # 5b. Contacts, conversations and history come from the store.
        find(main, lambda a: a.getRoleName() == "label" and a.name == "Bob Builder", "contact")
        call_bob = find(main, lambda a: a.getRoleName() == "push button" and
                        a.name == "Call Bob Builder", "contact call button")
        if call_bob.getState().contains(pyatspi.STATE_SENSITIVE):
            failures.append("calling a contact is enabled without an engine")
        if "online" not in (call_bob.description or ""):
            failures.append(f"contact call button does not say why: {call_bob.description!r}")
        find(main, lambda a: a.getRoleName() == "push button" and
             a.name == "Chat with Bob Builder", "contact chat button")
        find(main, lambda a: a.getRoleName() == "label" and a.name == "sip:bob@example.test",
             "conversation")
        history = find(main, lambda a: a.getRoleName() == "push button" and a.name == "History",
                       "History button")
        history.queryAction().doAction(0)
        find(main, lambda a: a.getRoleName() == "label" and a.name.startswith("Missed · "),
             "missed call in the history")
        find(main, lambda a: a.getRoleName() == "push button" and
             a.name == "Call sip:carol@example.test back", "call-back button")
        check_named(main, "Hail (history)", failures)
        metainfo_screenshot("Hail", "history.png")
        # The history's chat action opens that conversation's window.
        find(main, lambda a: a.getRoleName() == "push button" and
             a.name == "Chat with sip:carol@example.test",
             "chat button in the history").queryAction().doAction(0)
        carol_chat = frame(app, "sip:carol@example.test")
        find(carol_chat, lambda a: a.getRoleName() == "text" and
             a.name == "Message to sip:carol@example.test", "Carol's message entry")
        find(carol_chat, lambda a: a.getRoleName() == "push button" and a.name == "Close",
             "Close").queryAction().doAction(0)
        poll(lambda: "sip:carol@example.test" not in [w.name for w in children(app)
                                                      if w is not None],
             "Carol's chat window closed")

        # 5c. The conversation opens in its own window with each message's state.
        def open_chat():
            activate("open-conversation", GLib.Variant("x", conversation_id))
            return next((w for w in children(app) if w is not None and
                         w.name in ("sip:bob@example.test", "Bob Builder")), None)
        chat = poll(open_chat, "chat window (the store opens after the main window)")
        # The title becomes the contact's name once the store has found it.
        poll(lambda: chat.name == "Bob Builder", "the contact's name as the chat title")
        for body in ("Hello Bob, the notes are at https://example.test/notes",
                     "This one could not go", "Hi Alice"):
            find(chat, lambda a, b=body: a.description == "message-body" and text(a) == b,
                 f"message {body!r}")
        for state in ("Delivered", "Not sent: Bob is not registered", "Received"):
            find(chat, lambda a, s=state: a.description == "message-state" and
                 text(a).endswith(s), f"state {state!r}")
        find(chat, lambda a: a.getRoleName() == "push button" and a.name == "Retry", "Retry")
        find(chat, lambda a: a.getRoleName() == "link" or
             (a.getRoleName() == "label" and "https://example.test/notes" in a.name), "link")
        entry = find(chat, lambda a: a.getRoleName() == "text" and
                     a.name == "Message to Bob Builder", "message entry")
        entry.queryEditableText().setTextContents("Are you there?")
        send = find(chat, lambda a: a.getRoleName() == "push button" and a.name == "Send",
                    "Send")
        poll(lambda: send.getState().contains(pyatspi.STATE_SENSITIVE), "Send enabled")
        send.queryAction().doAction(0)
        err = find(chat, lambda a: a.description == "chat-error" and "not online" in text(a),
                   "the reason the message was not sent")
        if text(entry) != "Are you there?":
            failures.append(f"typed text lost after a refused send: {text(entry)!r}")
        check_named(chat, "Bob Builder", failures)
        metainfo_screenshot("Bob Builder", "chat-window.png")

    if len(sys.argv) > 3:
        # 5d. The call window, with an active call and a waiting one.
        preview = subprocess.Popen([sys.argv[3]], env=env)
        try:
            papp = poll(lambda: next((a for a in pyatspi.Registry.getDesktop(0)
                                      if a is not None and a.get_process_id() == preview.pid),
                                     None), "the call window preview", 30)
            cwin = frame(papp, "Carol Jones")
            find(cwin, lambda a: a.description == "call-state" and text(a) == "1:23",
                 "call duration")
            find(cwin, lambda a: a.description == "other-call" and
                 text(a) == "Bob Builder is calling", "call waiting")
            for name in ("Mute", "Hold", "Keypad", "Hang Up", "Answer", "Microphone",
                         "Speaker", "Call Details"):
                find(cwin, lambda a, n=name: a.name == n and a.getRoleName() != "label",
                     f"call control {name}")
            # The poor link's warning is an alert, which screen readers speak.
            find(cwin, lambda a: a.name == "Poor connection" and
                 a.getRoleName() in ("notification", "alert"), "poor connection alert")
            check_named(cwin, "Carol Jones", failures)
            screenshot("Carol Jones", "call-window.png")
        finally:
            preview.terminate()
            preview.wait(timeout=10)

    # 6. Preferences, shortcuts and about, opened through the app actions.
    for action, title, shot in (("preferences", "Preferences", "preferences.png"),
                                ("shortcuts", "Keyboard Shortcuts", "shortcuts.png"),
                                ("about", "About", "about.png")):
        activate(action)
        win = frame(app, title)
        check_named(win, title, failures)
        (metainfo_screenshot if shot in METAINFO_SHOTS else screenshot)(title, shot)
        if title == "Preferences":
            # "Start at Login" really writes and removes the XDG autostart entry.
            entry = os.path.join(env["XDG_CONFIG_HOME"], "autostart", APP_ID + ".desktop")
            login = find(win, lambda a: a.getRoleName() == "check box" and
                         a.name == "Start at Login", "Start at Login switch")
            login.queryAction().doAction(0)
            poll(lambda: os.path.exists(entry), "autostart entry written")
            with open(entry, encoding="utf-8") as f:
                if "Exec=hail --gapplication-service" not in f.read():
                    failures.append("autostart entry does not start the service")
            login.queryAction().doAction(0)
            poll(lambda: not os.path.exists(entry), "autostart entry removed")
            # Every page, not only the first one shown.
            for page in ("Audio", "SIP Trace"):
                find(win, lambda a, p=page: a.name == p and a.getRoleName() in
                     ("toggle button", "radio button", "push button", "page tab"),
                     f"the {page} page switch").queryAction().doAction(0)
                find_label(win, lambda n, p=page: n in PAGE_LABELS[p], f"the {page} page")
                check_named(win, f"Preferences ({page})", failures)

    activate("quit")
    rc = proc.wait(timeout=30)
    if rc != 0:
        failures.append(f"hail exited with {rc} after app.quit")
    check_metainfo_shots(failures)
except AssertionError as e:
    failures.append(str(e))
finally:
    if proc.poll() is None:
        proc.terminate()
        proc.wait(timeout=10)
    shutil.rmtree(home, ignore_errors=True)

atspi.report(failures)
