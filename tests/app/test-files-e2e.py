#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
# test-files-e2e.py HAIL SOURCE_ROOT HAIL_CLI SEED_STORE: files in the real
# app (issue #8), with a real gnome-keyring and the test Kamailio on free
# ports, driven through AT-SPI and the app's D-Bus actions.
#  a) Alice (the app) sends a file to Bob, `hail-cli listen
#     --download-dir D`, from the conversation hail-seed-store wrote, through
#     app.send-file (what Send a File does, without the file dialog): the
#     row shows the file and reaches Delivered; Bob's copy has the same
#     SHA-256. The chat window with the
#     file row has no unnamed control; its screenshot goes to
#     BUILD_ROOT/screenshots/chat-window-file-sent.png.
#  b) Bob, one of Alice's contacts, sends her a file: taken without a
#     question, whole, into the download folder.
#  c) Carol, not a contact, runs `hail-cli send-file` to Alice: a notification
#     asks ("... wants to send you NAME (SIZE)") with Accept and Decline
#     bound to app.accept-offer and app.decline-offer; the conversation's
#     window asks the same, and its Accept writes the file whole into the
#     download folder (screenshot: chat-window-file-received.png).
#  d) Carol sends again; the notification's Decline (over D-Bus, as the shell
#     would) ends her command with a 603 failure, and the notification is
#     withdrawn.
# Exits 77 without a display, a session bus, a Secret Service or Kamailio.
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import atspi  # noqa: E402  (first: it keeps G_DEBUG away from this process)
from atspi import button, check_named, find_label, frame, poll, press, screenshot  # noqa: E402

atspi.require()
from gi.repository import Gio, GLib  # noqa: E402


hail, source_root, hail_cli, seed_store = sys.argv[1:5]
here = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(source_root, "tests", "e2e"))
import hailtest  # noqa: E402

if not atspi.name_has_owner("org.freedesktop.secrets"):
    atspi.skip("org.freedesktop.secrets is not owned: start an unlocked gnome-keyring "
               "(tests/run-all.sh does)")
if atspi.name_has_owner("org.freedesktop.Notifications"):
    atspi.skip("a notification server already runs on this bus")
if not shutil.which("kamailio") and not os.path.exists("/usr/sbin/kamailio"):
    atspi.skip("kamailio is not installed")
if not shutil.which("secret-tool"):
    atspi.skip("secret-tool (libsecret-tools) is not installed")


def sha256(path):
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


def make_file(path, size):
    """A file of @size bytes that no two runs share."""
    with open(path, "wb") as f:
        f.write(os.urandom(size))
    return sha256(path)


def offer_notes(recorder, after):
    """The offer notifications seen since line @after, oldest first."""
    notes = []
    for line in recorder.seen[after:]:
        try:
            ev = json.loads(line)
        except ValueError:
            continue
        if ev.get("event") == "notify" and "wants to send you" in ev.get("summary", ""):
            notes.append(ev)
    return notes


def closed(recorder, note_id):
    return any(line.startswith("{") and json.loads(line).get("event") == "close" and
               json.loads(line).get("id") == note_id for line in recorder.seen)


def offer_action(note, label):
    """The (action name, target) of the notification's @label button."""
    actions = dict((lbl, action) for action, lbl in note["actions"])
    if label not in actions:
        raise AssertionError(f"the offer notification has no {label}: {note['actions']}")
    ok, name, target = Gio.Action.parse_detailed_name(actions[label])
    if not ok or target is None:
        raise AssertionError(f"the {label} button is bound to {actions[label]!r}")
    return name, target


home = tempfile.mkdtemp(prefix="hail-files-e2e-")
kam_run = os.path.join(home, "kamailio")
env = atspi.app_env(os.path.join(home, "home"))
downloads = os.path.join(home, "downloads")
os.makedirs(downloads)
# The app's download folder is the XDG one unless Preferences say otherwise.
with open(os.path.join(env["XDG_CONFIG_HOME"], "user-dirs.dirs"), "w") as f:
    f.write(f'XDG_DOWNLOAD_DIR="{downloads}"\n')
procs = []
failures = []
proc = None
kam_started = False
try:
    port, tls_port = atspi.start_kamailio(source_root, kam_run)
    kam_started = True
    proxy_uri = f"sip:127.0.0.1:{port};transport=tcp"
    recorder = hailtest.Proc(["/usr/bin/python3", os.path.join(here, "notification-recorder.py")],
                             home, "notifications")
    procs.append(recorder)
    recorder.expect_event("ready", timeout=15)

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

    # a) Alice sends a file to Bob from the conversation the store holds
    # (seeded with her account as the app names it).
    bob_dir = os.path.join(home, "bob")
    os.makedirs(bob_dir)
    listener = peer("bob", ["listen", "--download-dir", bob_dir, "--for", "120"])
    listener.expect_event("registered", timeout=15)
    report = os.path.join(home, "report.pdf")
    report_sha = make_file(report, 300000)
    atspi.activate("send-file", GLib.Variant("(ss)", ("sip:bob@example.test", report)))
    bob_win = frame(app, lambda n: n in ("Bob Builder", "sip:bob@example.test"), 20)
    find_label(bob_win, lambda n: n == "report.pdf", "the file's row in the conversation")
    got = listener.expect_event("file-received", timeout=30)
    if got.get("name") != "report.pdf" or got.get("sha256") != report_sha:
        failures.append(f"Bob got {got}, not report.pdf with SHA-256 {report_sha}")
    find_label(bob_win, lambda n: n == "Delivered", "the file delivered in its row", 30)
    check_named(bob_win, "Bob (a file sent)", failures)
    screenshot(bob_win.name, "chat-window-file-sent.png")
    listener.close_stdin()
    listener.stop()

    # b) Bob is a contact: his file is taken without asking.
    mark = len(recorder.seen)
    notes = os.path.join(home, "notes.txt")
    notes_sha = make_file(notes, 50000)
    bob = peer("bob", ["send-file", "sip:alice@example.test", notes])
    bob.expect_event("file-sent", timeout=30)
    bob.expect_exit(0, timeout=15)
    saved = os.path.join(downloads, "notes.txt")
    poll(lambda: os.path.exists(saved) and sha256(saved) == notes_sha,
         "the contact's file whole in the download folder", 30)
    if offer_notes(recorder, mark):
        failures.append(f"Alice was asked about her contact's file: {offer_notes(recorder, mark)}")

    # c) Carol, a stranger, offers a file: asked in a notification and in
    # the conversation's window, accepted there.
    mark = len(recorder.seen)
    invoice = os.path.join(home, "invoice.bin")
    invoice_sha = make_file(invoice, 120000)
    carol = peer("carol", ["send-file", "sip:alice@example.test", invoice])
    note = poll(lambda: (offer_notes(recorder, mark) or [None])[0], "the offer notification", 30)
    if "invoice.bin" not in note["summary"]:
        failures.append(f"the offer notification says {note['summary']!r}")
    for label, action in (("Accept", "app.accept-offer"), ("Decline", "app.decline-offer")):
        if offer_action(note, label)[0] != action:
            failures.append(f"the {label} button is not bound to {action}")
    atspi.activate("open-chat", GLib.Variant("s", "sip:carol@example.test"))
    carol_win = frame(app, lambda n: "carol" in n.lower(), 20)
    find_label(carol_win, lambda n: "wants to send you invoice.bin" in n,
               "the question in the conversation's window")
    press(button(carol_win, "Accept"))
    carol.expect_event("file-sent", timeout=30)
    carol.expect_exit(0, timeout=15)
    saved = os.path.join(downloads, "invoice.bin")
    poll(lambda: os.path.exists(saved) and sha256(saved) == invoice_sha,
         "the accepted file whole in the download folder", 30)
    poll(lambda: closed(recorder, note["id"]), "the offer notification withdrawn")
    find_label(carol_win, lambda n: n == "Received", "the received file in its row", 30)
    check_named(carol_win, "Carol (a file received)", failures)
    screenshot(carol_win.name, "chat-window-file-received.png")

    # d) Carol offers again; the notification's Decline refuses it with 603.
    mark = len(recorder.seen)
    carol = peer("carol", ["send-file", "sip:alice@example.test", invoice])
    note = poll(lambda: (offer_notes(recorder, mark) or [None])[0],
                "the second offer notification", 30)
    name, target = offer_action(note, "Decline")
    atspi.activate(name[len("app."):], GLib.Variant("s", target.unpack()))
    failed = carol.expect_event("file-failed", timeout=30)
    if failed.get("status") != 603:
        failures.append(f"Carol's declined file ended with {failed}, not 603")
    carol.expect_exit(1, timeout=15)
    poll(lambda: closed(recorder, note["id"]), "the declined offer's notification withdrawn")
except (AssertionError, subprocess.TimeoutExpired) as e:
    failures.append(str(e))
finally:
    atspi.end_e2e(procs, proc, source_root, kam_run, kam_started)
    shutil.rmtree(home, ignore_errors=True)

atspi.report(failures)
