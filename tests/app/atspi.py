# SPDX-License-Identifier: GPL-3.0-or-later
# atspi.py: what the app tests share to drive the real app through AT-SPI,
# as a screen reader user would, and through its D-Bus actions. Import it
# before anything that loads GLib (see APP_G_DEBUG), then call require().
import os
import re
import shutil
import subprocess
import sys
import time

# G_DEBUG=fatal-warnings is for the app under test, not for libatspi in this
# process: its harmless "dbind-WARNING" would kill the test with SIGTRAP and
# leave the app running. GLib reads G_DEBUG when loaded, so drop it first;
# app_env() gives it back to the app.
APP_G_DEBUG = os.environ.pop("G_DEBUG", None)

APP_ID = "io.github.hailphone.Hail"
APP_PATH = "/io/github/hailphone/Hail"

_import_error = None
try:
    import pyatspi
    import gi
    gi.require_version("Gio", "2.0")
    from gi.repository import Gio, GLib
except (ImportError, ValueError) as e:
    _import_error = e
    pyatspi = Gio = GLib = None


def skip(reason):
    print(f"SKIP: {reason}")
    sys.exit(77)


def require():
    """Exits 77 without a display, a session bus or pyatspi."""
    if not os.environ.get("DISPLAY") or not os.environ.get("DBUS_SESSION_BUS_ADDRESS"):
        skip("needs DISPLAY and DBUS_SESSION_BUS_ADDRESS (tests/run-all.sh starts them)")
    if _import_error is not None:
        skip(str(_import_error))


def session_bus():
    return Gio.bus_get_sync(Gio.BusType.SESSION, None)


def name_has_owner(name):
    return session_bus().call_sync("org.freedesktop.DBus", "/org/freedesktop/DBus",
                                   "org.freedesktop.DBus", "NameHasOwner",
                                   GLib.Variant("(s)", (name,)), None,
                                   Gio.DBusCallFlags.NONE, 5000, None).unpack()[0]


def app_env(home):
    """The environment for the app: its own XDG dirs under @home, memory
    GSettings (hermetic), the cairo renderer (no GPU under Xvfb)."""
    env = dict(os.environ)
    for var in ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME", "XDG_STATE_HOME"):
        env[var] = os.path.join(home, var.lower())
        os.makedirs(env[var], exist_ok=True)
    env["GSETTINGS_BACKEND"] = "memory"
    if APP_G_DEBUG:
        env["G_DEBUG"] = APP_G_DEBUG
    env["GSK_RENDERER"] = "cairo"
    return env


def poll(f, what, timeout=20):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        r = f()
        if r:
            return r
        time.sleep(0.05)
    raise AssertionError("timed out waiting for " + what)


def children(acc):
    try:
        return [acc.getChildAtIndex(i) for i in range(acc.childCount)]
    except Exception:
        return []


def walk(acc, depth=0):
    if depth > 60:
        return
    for child in children(acc):
        if child is not None:
            yield child
            yield from walk(child, depth + 1)


def find(root, pred, what, timeout=20):
    def look():
        for a in walk(root):
            try:
                if pred(a):
                    return a
            except Exception:
                pass
        return None
    return poll(look, what, timeout)


def text(a):
    t = a.queryText()
    return t.getText(0, t.characterCount)


def labels(root):
    out = []
    for a in walk(root):
        try:
            if a.getRoleName() == "label" and a.name:
                out.append(a.name)
        except Exception:
            pass
    return out


def find_label(root, pred, what, timeout=20):
    try:
        return find(root, lambda a: a.getRoleName() == "label" and pred(a.name), what, timeout)
    except AssertionError:
        raise AssertionError(f"{what}; labels shown: {labels(root)}")


def button(root, name, timeout=20):
    return find(root, lambda a: a.getRoleName() == "push button" and a.name == name,
                f"{name} button", timeout)


def press(acc):
    acc.queryAction().doAction(0)


def sensitive(acc):
    return acc.getState().contains(pyatspi.STATE_SENSITIVE)


def app_of(proc, timeout=60):
    """The accessible application of a started process."""
    def look():
        if proc.poll() is not None:
            raise AssertionError(f"the process exited with {proc.returncode} at start-up")
        return next((a for a in pyatspi.Registry.getDesktop(0)
                     if a is not None and a.get_process_id() == proc.pid), None)
    return poll(look, "the app on the accessibility bus", timeout)


def frame(app, title, timeout=20):
    """The window called @title (a string, or a predicate on the name)."""
    match = title if callable(title) else (lambda n: n == title)

    def look():
        return next((w for w in children(app) if w is not None and match(w.name or "")), None)
    try:
        return poll(look, f"window '{title}'", timeout)
    except AssertionError:
        raise AssertionError(f"no window '{title}'; windows: "
                             f"{[w.name for w in children(app) if w is not None]}")


def shot_dir():
    d = os.path.join(os.environ.get("HAIL_BUILD_ROOT", os.getcwd()), "screenshots")
    os.makedirs(d, exist_ok=True)
    return d


def screenshot(title, name):
    """Saves the window called @title to BUILD_ROOT/screenshots/@name;
    returns the path, or None without xdotool and ImageMagick."""
    if not shutil.which("xdotool") or not shutil.which("import"):
        print(f"# no xdotool/import: screenshot {name} skipped")
        return None
    ids = subprocess.run(["xdotool", "search", "--onlyvisible", "--name", f"^{title}$"],
                         capture_output=True, text=True).stdout.split()
    if not ids:
        print(f"# window '{title}' not found by xdotool: screenshot {name} skipped")
        return None
    out = os.path.join(shot_dir(), name)
    subprocess.run(["import", "-window", ids[-1], out], check=True, timeout=30)
    print(f"# screenshot {out}")
    return out


def activate(action, param=None):
    """Activates app.@action over D-Bus (org.gtk.Actions), as a
    notification's button or `gapplication action` does."""
    session_bus().call_sync(APP_ID, APP_PATH, "org.gtk.Actions", "Activate",
                            GLib.Variant("(sava{sv})", (action, [param] if param else [], {})),
                            None, Gio.DBusCallFlags.NONE, 10000, None)


def open_uri(uri):
    session_bus().call_sync(APP_ID, APP_PATH, "org.freedesktop.Application", "Open",
                            GLib.Variant("(asa{sv})", ([uri], {})), None,
                            Gio.DBusCallFlags.NONE, 10000, None)


# ---- accessible names (UX.md rule 5) ----

INTERACTIVE = {
    "push button", "toggle button", "check box", "radio button", "text", "password text",
    "entry", "spin button", "combo box", "slider", "switch", "link", "menu item",
    "check menu item", "radio menu item", "page tab",
}


# Controls built inside GTK 4.8 / libadwaita 1.2 windows that Hail cannot
# name (no template child to reach): the hidden search entries of
# AdwPreferencesWindow and GtkShortcutsWindow, the shortcuts window's search
# toggle and section switcher, and the About window's read-only text views
# and version button. They are counted and listed, not failed; every control
# Hail builds itself must be named. (The search toggle was "GtkImage", its
# icon, until Hail stopped GTK labelling icon buttons by their image.)
LIBRARY_INTERNAL = {
    ("Preferences", "entry", "GtkSearchEntry"),
    ("Keyboard Shortcuts", "entry", "GtkSearchEntry"),
    ("Keyboard Shortcuts", "push button", "GtkToggleButton"),
    ("Keyboard Shortcuts", "push button", "GtkMenuButton"),
    ("About", "text", "GtkTextView"),
    ("About", "push button", "GtkButton"),
}
CLASS_NAME = re.compile(r"(Gtk|Adw)[A-Z]\w*")


def unnamed(window, title):
    bad, internal = [], []
    for a in walk(window):
        try:
            role = a.getRoleName()
            if role not in INTERACTIVE:
                continue
            name = (a.name or "").strip()
            # GTK 4.8 reports the class name ("GtkImage") for a widget with
            # no name; that is unnamed unless a description (its tooltip)
            # gives the screen reader something to say.
            if name and not CLASS_NAME.fullmatch(name):
                continue
            if name and (a.description or "").strip():
                continue
            if (title, role, name) in LIBRARY_INTERNAL:
                internal.append(f"{role} {name}")
                continue
            parent = a.parent
            where = f"{parent.getRoleName()} '{parent.name}'" if parent else "?"
            bad.append(f"{role} '{name}' (in {where})")
        except Exception:
            continue
    return bad, internal


def check_named(window, title, failures):
    bad, internal = unnamed(window, title.split(" (")[0])
    print(f"# {title}: {len(bad)} unnamed interactive controls"
          f" (+{len(internal)} inside the toolkit: {', '.join(internal) or 'none'})")
    for b in bad:
        failures.append(f"{title}: unnamed {b}")


# ---- Hail's own windows ----

def wizard_fill(wizard, address, proxy_uri=None, ca_file=None):
    """Types @address in the account wizard and, when given, the registrar
    and the certificate authority file on the Advanced page."""
    field = find(wizard, lambda a: a.getRoleName() == "text" and a.name == "SIP Address",
                 "SIP Address field")
    field.queryEditableText().setTextContents(address)
    if proxy_uri is None and ca_file is None:
        return
    press(button(wizard, "Advanced Settings"))
    if proxy_uri is not None:
        proxy = find(wizard, lambda a: a.getRoleName() == "text" and
                     a.name == "Registrar or Outbound Proxy", "proxy field")
        proxy.queryEditableText().setTextContents(proxy_uri)
    if ca_file is not None:
        ca = find(wizard, lambda a: a.getRoleName() == "text" and
                  a.name == "Certificate Authority File", "CA file field")
        ca.queryEditableText().setTextContents(ca_file)
        button(wizard, "Choose Certificate Authority File")
    press(button(wizard, "Back"))


def wizard_submit(wizard, password):
    """Types the password and starts the live check with Next."""
    field = find(wizard, lambda a: a.getRoleName() in ("password text", "text") and
                 a.name == "Password", "Password field")
    field.queryEditableText().setTextContents(password)
    nxt = button(wizard, "Next")
    poll(lambda: sensitive(nxt), "Next enabled")
    press(nxt)


def add_account(app, address, proxy_uri, password):
    """Runs the first-run wizard to a signed-in account; returns the main
    window once it shows the account online."""
    wizard = frame(app, "Add Account")
    wizard_fill(wizard, address, proxy_uri)
    wizard_submit(wizard, password)
    find_label(wizard, lambda n: n == "Account Ready", "the account ready", 30)
    press(button(wizard, "Continue"))
    main = frame(app, "Hail")
    find_label(main, lambda n: n == "Online", "the account online in the main window", 30)
    return main


# ---- the test Kamailio (tests/e2e/kamailio) ----

def start_kamailio(source_root, rundir):
    """Starts the test Kamailio on free ports with its state in @rundir;
    returns (port for UDP and TCP, TLS port). Stop it with stop_kamailio()."""
    sys.path.insert(0, os.path.join(source_root, "tests", "e2e"))
    import hailtest
    port = hailtest.free_port("both")
    tls_port = hailtest.free_port("tcp")
    started = subprocess.run([os.path.join(source_root, "tests", "e2e", "kamailio",
                                           "run-kamailio.sh"),
                              "-p", str(port), "-t", str(tls_port), rundir],
                             capture_output=True, text=True, timeout=60)
    if started.returncode != 0:
        raise AssertionError(f"Kamailio did not start: {started.stderr.strip()}")
    return port, tls_port


def kamailio_rpc(rundir, *command):
    """Runs a kamcmd RPC on the Kamailio started in @rundir; its output."""
    with open(os.path.join(rundir, "kamailio.env")) as f:
        rpc = next(line.split("=", 1)[1].strip() for line in f
                   if line.startswith("HAIL_KAM_RPC="))
    done = subprocess.run(["kamcmd", "-s", rpc] + list(command),
                          capture_output=True, text=True, timeout=10)
    if done.returncode != 0:
        raise AssertionError(f"kamcmd {' '.join(command)} failed: {done.stderr.strip()}")
    return done.stdout


def stop_kamailio(source_root, rundir):
    subprocess.run([os.path.join(source_root, "tests", "e2e", "kamailio", "stop-kamailio.sh"),
                    rundir], timeout=30)


def end_e2e(procs, app, source_root, kam_rundir, kam_started,
            account="sip:alice@example.test"):
    """The common end of an end-to-end app test: the hail-cli peers and the
    app stopped, the account's keyring entry removed, Kamailio stopped
    when the test started it."""
    for p in procs:
        p.close_stdin()
        p.stop()
    if app is not None and app.poll() is None:
        app.terminate()
        app.wait(timeout=10)
    subprocess.run(["secret-tool", "clear", "xdg:schema", "io.github.hailphone.Hail.Account",
                    "account", account], timeout=15)
    if kam_started:
        stop_kamailio(source_root, kam_rundir)


def report(failures):
    """Prints each failure and exits 1 if there is any, else 0."""
    for f in failures:
        print("FAIL:", f)
    sys.exit(1 if failures else 0)
