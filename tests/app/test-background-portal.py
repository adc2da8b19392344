#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
# test-background-portal.py HAIL: "Start at Login" goes through the
# Background portal when Hail runs sandboxed (issue #7). On a private
# session bus this script answers as org.freedesktop.portal.Desktop and
# records RequestBackground; Hail runs with HAIL_TEST_SANDBOXED=1 (its
# Flatpak path) and the keyfile GSettings backend, whose file the test
# rewrites as the Preferences switch would. Turning the key on asks the
# portal for autostart with Hail's service command line, off asks it to
# drop it; when the user refuses, the key turns back off; no XDG autostart
# file is written. Exits 77 without a display or dbus-daemon.
import os
import shutil
import subprocess
import sys
import tempfile
import time

import gi
gi.require_version("Gio", "2.0")
from gi.repository import Gio, GLib  # noqa: E402

APP_ID = "io.github.hailphone.Hail"
XML = """
<node>
  <interface name="org.freedesktop.portal.Background">
    <method name="RequestBackground">
      <arg type="s" direction="in"/><arg type="a{sv}" direction="in"/>
      <arg type="o" direction="out"/>
    </method>
  </interface>
</node>
"""

if not os.environ.get("DISPLAY"):
    print("1..0 # SKIP no display")
    sys.exit(77)
if not shutil.which("dbus-daemon"):
    print("1..0 # SKIP dbus-daemon is not installed")
    sys.exit(77)

hail = sys.argv[1]
home = tempfile.mkdtemp(prefix="hail-background-portal-")
procs = []
failures = []
requests = []
refuse = False


def wait_for(pred, what, timeout=20):
    """Runs the main context until @pred holds, at most @timeout s (a
    50 ms tick wakes it to look at files and the clock)."""
    ctx = GLib.MainContext.default()
    tick = GLib.timeout_add(50, lambda: True)
    end = time.monotonic() + timeout
    try:
        while time.monotonic() < end:
            if pred():
                return
            ctx.iteration(True)
    finally:
        GLib.source_remove(tick)
    raise AssertionError("timed out waiting for " + what)


def request_background(conn, sender, path, iface, method, params, invocation):
    """Answers for the portal, and records what Hail asked."""
    parent, options = params.unpack()
    requests.append(options)
    token = options.get("handle_token", "t")
    handle = f"/org/freedesktop/portal/desktop/request/{sender[1:].replace('.', '_')}/{token}"
    invocation.return_value(GLib.Variant("(o)", (handle,)))
    # What a real portal answers once the user has decided: agreed, or
    # refused (response 1) while `refuse` is set.
    conn.emit_signal(sender, handle, "org.freedesktop.portal.Request", "Response",
                     GLib.Variant("(ua{sv})", (1 if refuse else 0, {} if refuse else {
                         "background": GLib.Variant("b", True),
                         "autostart": GLib.Variant("b", options["autostart"]),
                     })))


def write_start_at_login(on):
    # Written in place: the keyfile backend reloads on the file's change
    # events, and ignores deletions (a rename over it is one).
    with open(keyfile, "w", encoding="utf-8") as f:
        f.write(f"[io/github/hailphone/Hail]\nstart-at-login={'true' if on else 'false'}\n")


try:
    bus_proc = subprocess.Popen(["dbus-daemon", "--session", "--nofork", "--nopidfile",
                                 "--print-address=1"], stdout=subprocess.PIPE, text=True)
    procs.append(bus_proc)
    address = bus_proc.stdout.readline().strip()
    conn = Gio.DBusConnection.new_for_address_sync(
        address, Gio.DBusConnectionFlags.AUTHENTICATION_CLIENT |
        Gio.DBusConnectionFlags.MESSAGE_BUS_CONNECTION, None, None)
    node = Gio.DBusNodeInfo.new_for_xml(XML)
    conn.register_object("/org/freedesktop/portal/desktop", node.interfaces[0],
                         request_background, None, None)
    owned = []
    Gio.bus_own_name_on_connection(conn, "org.freedesktop.portal.Desktop",
                                   Gio.BusNameOwnerFlags.NONE,
                                   lambda *a: owned.append(True), None)
    wait_for(lambda: owned, "the portal name")

    env = dict(os.environ)
    for var in ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME", "XDG_STATE_HOME"):
        env[var] = os.path.join(home, var.lower())
        os.makedirs(env[var], exist_ok=True)
    settings_dir = os.path.join(env["XDG_CONFIG_HOME"], "glib-2.0", "settings")
    os.makedirs(settings_dir)
    keyfile = os.path.join(settings_dir, "keyfile")
    write_start_at_login(False)
    env.update({"DBUS_SESSION_BUS_ADDRESS": address, "GSETTINGS_BACKEND": "keyfile",
                "HAIL_TEST_SANDBOXED": "1", "GTK_A11Y": "none", "GSK_RENDERER": "cairo"})
    app = subprocess.Popen([hail], env=env)
    procs.append(app)

    def app_started():
        """Its actions are exported once its startup ran, and with it the
        settings it watches: a change before that would go unseen."""
        try:
            reply = conn.call_sync(APP_ID, "/" + APP_ID.replace(".", "/"), "org.gtk.Actions",
                                   "List", None, GLib.VariantType("(as)"),
                                   Gio.DBusCallFlags.NONE, 5000, None)
        except GLib.Error:
            return False
        return "quit" in reply.unpack()[0]
    wait_for(app_started, "Hail started", 30)

    def asked(autostart, after=0):
        return next((r for r in requests[after:] if r.get("autostart") is autostart), None)

    # The backend may first see the file emptied (the key back to its
    # default) and ask once more: only what the last value asks counts.
    write_start_at_login(True)
    wait_for(lambda: asked(True), "RequestBackground when the key turns on")
    on = asked(True)
    if on.get("autostart") is not True:
        failures.append(f"autostart not asked for: {on}")
    if on.get("commandline") != ["hail", "--gapplication-service"]:
        failures.append(f"the portal would start {on.get('commandline')!r}")
    if not on.get("reason"):
        failures.append("no reason given to the user")

    mark = len(requests)
    write_start_at_login(False)
    wait_for(lambda: asked(False, mark), "RequestBackground when the key turns off")
    # The user refuses: the setting turns back off (Hail writes it).
    refuse = True
    mark = len(requests)
    write_start_at_login(True)
    wait_for(lambda: asked(True, mark), "RequestBackground asked again")

    def key_off():
        with open(keyfile, encoding="utf-8") as f:
            return "start-at-login=false" in f.read()
    wait_for(key_off, "Start at Login turned back off after the refusal")

    entry = os.path.join(env["XDG_CONFIG_HOME"], "autostart", APP_ID + ".desktop")
    if os.path.exists(entry):
        failures.append("an XDG autostart file was written inside the sandbox")

    conn.call_sync(APP_ID, "/" + APP_ID.replace(".", "/"), "org.gtk.Actions", "Activate",
                   GLib.Variant("(sava{sv})", ("quit", [], {})), None,
                   Gio.DBusCallFlags.NONE, 10000, None)
    rc = app.wait(timeout=30)
    if rc != 0:
        failures.append(f"hail exited with {rc} after app.quit")
except (AssertionError, subprocess.TimeoutExpired, GLib.Error) as e:
    failures.append(str(e))
finally:
    for p in reversed(procs):
        if p.poll() is None:
            p.terminate()
            p.wait(timeout=10)
    shutil.rmtree(home, ignore_errors=True)

print(f"# portal requests: {requests}")
for f in failures:
    print(f"# FAIL: {f}")
print("ok" if not failures else "FAILED")
sys.exit(1 if failures else 0)
