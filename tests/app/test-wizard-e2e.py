#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
# test-wizard-e2e.py HAIL SOURCE_ROOT: the real app, a real gnome-keyring and
# the test Kamailio on free ports. Through AT-SPI, as a user would: the
# wizard with a wrong password shows the wrong-password message; with
# alice-secret the account signs in over TCP to 127.0.0.1:PORT, the main window shows it
# online, the password is in the keyring and in no file under the test
# HOME; a chat message reaches a hail-cli peer through the engine's
# HailChat and is marked sent; a server with an untrusted certificate is named with the
# certificate's subject and issuer; app.quit signs out and ends the app. Screenshots of both states go
# to BUILD_ROOT/screenshots. Exits 77 without a display, a session bus, a
# Secret Service or Kamailio.
import os
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import atspi  # noqa: E402  (first: it keeps G_DEBUG away from this process)
from atspi import (activate, button, children, find, find_label, frame, poll,  # noqa: E402
                   screenshot)

atspi.require()
import pyatspi  # noqa: E402
from gi.repository import GLib  # noqa: E402

SCHEMA = "io.github.hailphone.Hail.Account"
GOOD, WRONG = "alice-secret", "wrong-secret-Q7"

hail, source_root = sys.argv[1], sys.argv[2]
hail_cli = sys.argv[3] if len(sys.argv) > 3 else None
procs = []
sys.path.insert(0, os.path.join(source_root, "tests", "e2e"))
import hailtest  # noqa: E402

if not atspi.name_has_owner("org.freedesktop.secrets"):
    print("SKIP: org.freedesktop.secrets is not owned: start an unlocked gnome-keyring "
          "(tests/run-all.sh does)")
    sys.exit(77)
if not shutil.which("kamailio") and not os.path.exists("/usr/sbin/kamailio"):
    print("SKIP: kamailio is not installed")
    sys.exit(77)
if not shutil.which("secret-tool"):
    print("SKIP: secret-tool (libsecret-tools) is not installed")
    sys.exit(77)


def bindings():
    """The AORs Kamailio holds bindings for (kamcmd ul.dump)."""
    dump = atspi.kamailio_rpc(kam_run, "ul.dump")
    return {line.split(":", 1)[1].strip() for line in dump.splitlines()
            if line.strip().startswith("AoR:")}


home = tempfile.mkdtemp(prefix="hail-wizard-e2e-")
kam_run = os.path.join(home, "kamailio")
# The real dconf would write under the test HOME too; the memory backend
# (atspi.app_env) keeps the run hermetic and the grep below still covers
# everything Hail writes itself (its database, caches).
env = atspi.app_env(os.path.join(home, "home"))
env["HOME"] = os.path.join(home, "home")

failures = []
proc = None
kam_started = False
address = None
try:
    port, tls_port = atspi.start_kamailio(source_root, kam_run)
    kam_started = True
    # The AOR's domain is the one Kamailio serves; the server is named as
    # the registrar, with TCP, on the Advanced page.
    address = "sip:alice@example.test"
    proxy_uri = f"sip:127.0.0.1:{port};transport=tcp"

    proc = subprocess.Popen([hail], env=env)
    app = atspi.app_of(proc)
    wizard = frame(app, "Add Account")
    atspi.wizard_fill(wizard, "alice@example.test", proxy_uri)
    find_label(wizard, lambda n: n == "example.test", "the server read from the address")

    # 1. A wrong password: the cause, in words, with Retry and Edit.
    atspi.wizard_submit(wizard, WRONG)
    find_label(wizard, lambda n: n == "Could Not Sign In", "the failed check")
    find_label(wizard, lambda n: n.startswith("Wrong password: 127.0.0.1:"),
               "the wrong-password message")
    button(wizard, "Retry")
    screenshot("Add Account", "wizard-wrong-password.png")
    button(wizard, "Edit").queryAction().doAction(0)

    # 2. The right password: signed in, stored, and online in the main window.
    atspi.wizard_submit(wizard, GOOD)
    find_label(wizard, lambda n: n == "Account Ready", "the account ready", 30)
    button(wizard, "Continue").queryAction().doAction(0)
    main = frame(app, "Hail")
    find_label(main, lambda n: n == "Online", "the account online in the main window", 30)
    screenshot("Hail", "main-account-online.png")

    # 3. The password is in the keyring, under the account, and nowhere else.
    stored = subprocess.run(["secret-tool", "lookup", "xdg:schema", SCHEMA, "account", address,
                             "auth-user", "alice"], capture_output=True, text=True, timeout=15)
    if stored.stdout != GOOD:
        failures.append(f"keyring holds {stored.stdout!r} for {address}, not the password")
    for secret in (GOOD, WRONG):
        leaked = subprocess.run(["grep", "-raF", "-l", secret, env["HOME"]],
                                capture_output=True, text=True)
        if leaked.returncode == 0:
            failures.append(f"password found in files: {leaked.stdout.split()}")

    # 4. A chat message goes out through the engine's HailChat and reaches
    # a real peer (hail-cli registered as bob).
    if hail_cli:
        bob = hailtest.Proc([hail_cli, "--json", "--account", "sip:bob@example.test",
                             "--proxy", proxy_uri, "--password-stdin", "--no-history",
                             "listen", "--for", "60"], home, "bob")
        procs.append(bob)
        bob.send_line("bob-secret")
        bob.expect_event("registered", timeout=15)
        activate("open-chat", GLib.Variant("s", "sip:bob@example.test"))
        chat = poll(lambda: next((w for w in children(app) if w is not None and
                                  "bob" in (w.name or "")), None), "the chat window")
        entry = find(chat, lambda a: a.getRoleName() == "text" and
                     (a.name or "").startswith("Message to"), "message entry")
        entry.queryEditableText().setTextContents("Hello Bob from the wizard test")
        send = button(chat, "Send")
        poll(lambda: send.getState().contains(pyatspi.STATE_SENSITIVE), "Send enabled")
        send.queryAction().doAction(0)
        bob.expect_event("message-received", timeout=15,
                         body="Hello Bob from the wizard test")
        find(chat, lambda a: a.description == "message-state" and
             (a.name or "").endswith(("Sent", "Delivered")), "the message marked sent")
        screenshot(chat.name, "chat-sent.png")

    # 5. A server whose certificate is not trusted: said so, with subject
    # and issuer, beside the account (the test CA is not installed).
    activate("new-account")
    wizard = frame(app, "Add Account")
    atspi.wizard_fill(wizard, "bob@example.test", f"sip:127.0.0.1:{tls_port};transport=tls")
    atspi.wizard_submit(wizard, "bob-secret")
    tls = find_label(wizard, lambda n: n.startswith(f"The TLS certificate of 127.0.0.1:{tls_port}"
                                                    " is not trusted"), "the TLS failure")
    if "Subject: CN=localhost" not in tls.name or "Issuer: CN=Hail Test CA" not in tls.name:
        failures.append(f"TLS failure without subject and issuer: {tls.name!r}")
    screenshot("Add Account", "wizard-tls-untrusted.png")
    button(wizard, "Continue").queryAction().doAction(0)
    find_label(main, lambda n: n.startswith("Not connected: The TLS certificate of"),
               "the TLS failure beside the account")
    find_label(main, lambda n: n == "Online", "alice still online")

    # 6. app.quit signs out (bounded) and ends the process: the registrar
    # forgets alice's binding.
    if "alice" not in bindings():
        failures.append("Kamailio has no binding for alice while she is online")
    activate("quit")
    rc = proc.wait(timeout=30)
    if rc != 0:
        failures.append(f"hail exited with {rc} after app.quit")
    if "alice" in bindings():
        failures.append("alice's binding is still at the registrar after app.quit")

    # 7. A fresh start (the memory GSettings backend forgot the accounts):
    # the TLS server again, now with the test CA chosen under Advanced, is
    # online. Removing the account asks first, then signs it out and
    # deletes its password from the keyring.
    carol = "sip:carol@example.test"
    try:
        proc = subprocess.Popen([hail], env=env)
        app = atspi.app_of(proc, 60)
        wizard = frame(app, "Add Account")
        atspi.wizard_fill(wizard, "carol@example.test", f"sip:127.0.0.1:{tls_port};transport=tls",
                          ca_file=os.path.join(kam_run, "certs", "ca.crt"))
        atspi.wizard_submit(wizard, "carol-secret")
        find_label(wizard, lambda n: n == "Account Ready", "carol ready with the CA", 30)
        button(wizard, "Continue").queryAction().doAction(0)
        main = frame(app, "Hail")
        find_label(main, lambda n: n == "Online", "carol online over TLS", 30)
        if "carol" not in bindings():
            failures.append("Kamailio has no binding for carol while she is online")

        button(main, f"Remove {carol}").queryAction().doAction(0)
        find_label(app, lambda n: n == f"Remove {carol}?", "the removal question")
        find_label(app, lambda n: "stay in the history" in n, "the history kept, said so")
        # libadwaita 1.2 names the response buttons "_Remove Remove".
        find(app, lambda a: a.getRoleName() == "push button" and
             a.name in ("Remove", "_Remove Remove"),
             "the Remove response").queryAction().doAction(0)
        find_label(main, lambda n: n == "No accounts yet", "the account list empty")
        poll(lambda: "carol" not in bindings(), "carol's binding gone from the registrar")
        left = subprocess.run(["secret-tool", "search", "--all", "xdg:schema", SCHEMA,
                               "account", carol], capture_output=True, text=True, timeout=15)
        if left.stdout.strip():
            failures.append(f"the keyring still holds carol's password: {left.stdout!r}")
        activate("quit")
        rc = proc.wait(timeout=30)
        if rc != 0:
            failures.append(f"hail exited with {rc} after app.quit (second run)")
    finally:
        subprocess.run(["secret-tool", "clear", "xdg:schema", SCHEMA, "account", carol],
                       timeout=15)
except (AssertionError, subprocess.TimeoutExpired) as e:
    failures.append(str(e))
finally:
    for p in procs:
        p.stop()
    if proc is not None and proc.poll() is None:
        proc.terminate()
        proc.wait(timeout=10)
    if address is not None:
        for account in (address, "sip:bob@example.test"):
            subprocess.run(["secret-tool", "clear", "xdg:schema", SCHEMA, "account", account],
                           timeout=15)
    if kam_started:
        atspi.stop_kamailio(source_root, kam_run)
    shutil.rmtree(home, ignore_errors=True)

atspi.report(failures)
