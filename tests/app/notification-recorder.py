#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
# notification-recorder.py: a stand-in org.freedesktop.Notifications server
# for the app tests, where no desktop shell runs. It owns the name on the
# session bus, prints "ready" once it does, then one JSON line per Notify
# (summary, body, actions as [id, label] pairs, hints' category and urgency)
# and per CloseNotification. It shows nothing; the test reads what Hail
# asked to show and answers through the app's own actions. Exits when
# stdin closes.
import json
import sys
import threading

import gi
gi.require_version("Gio", "2.0")
from gi.repository import Gio, GLib  # noqa: E402

XML = """
<node>
  <interface name="org.freedesktop.Notifications">
    <method name="Notify">
      <arg type="s" direction="in"/><arg type="u" direction="in"/>
      <arg type="s" direction="in"/><arg type="s" direction="in"/>
      <arg type="s" direction="in"/><arg type="as" direction="in"/>
      <arg type="a{sv}" direction="in"/><arg type="i" direction="in"/>
      <arg type="u" direction="out"/>
    </method>
    <method name="CloseNotification"><arg type="u" direction="in"/></method>
    <method name="GetCapabilities"><arg type="as" direction="out"/></method>
    <method name="GetServerInformation">
      <arg type="s" direction="out"/><arg type="s" direction="out"/>
      <arg type="s" direction="out"/><arg type="s" direction="out"/>
    </method>
    <signal name="NotificationClosed"><arg type="u"/><arg type="u"/></signal>
    <signal name="ActionInvoked"><arg type="u"/><arg type="s"/></signal>
  </interface>
</node>
"""

loop = GLib.MainLoop()
last_id = 0


def emit(obj):
    print(json.dumps(obj), flush=True)


def on_call(conn, sender, path, iface, method, params, invocation):
    global last_id
    if method == "Notify":
        app, replaces, _icon, summary, body, actions, hints, _timeout = params.unpack()
        last_id = replaces or last_id + 1
        emit({"event": "notify", "id": last_id, "app": app, "summary": summary, "body": body,
              "actions": [actions[i:i + 2] for i in range(0, len(actions) - 1, 2)],
              "category": hints.get("category"), "urgency": hints.get("urgency")})
        invocation.return_value(GLib.Variant("(u)", (last_id,)))
    elif method == "CloseNotification":
        emit({"event": "close", "id": params.unpack()[0]})
        invocation.return_value(None)
    elif method == "GetCapabilities":
        invocation.return_value(GLib.Variant("(as)", (["actions", "body"],)))
    else:
        invocation.return_value(GLib.Variant("(ssss)", ("hail-test", "Hail", "1", "1.2")))


def main():
    bus = Gio.bus_get_sync(Gio.BusType.SESSION, None)
    info = Gio.DBusNodeInfo.new_for_xml(XML).interfaces[0]
    bus.register_object("/org/freedesktop/Notifications", info, on_call, None, None)

    def acquired(*_):
        emit({"event": "ready"})

    def lost(*_):
        emit({"event": "error", "message": "org.freedesktop.Notifications is taken"})
        loop.quit()

    Gio.bus_own_name_on_connection(bus, "org.freedesktop.Notifications",
                                   Gio.BusNameOwnerFlags.DO_NOT_QUEUE, acquired, lost)

    def wait_stdin():
        sys.stdin.read()
        GLib.idle_add(loop.quit)
    threading.Thread(target=wait_stdin, daemon=True).start()
    loop.run()


main()
