#!/usr/bin/python3
# notification-server.py: a notification server (org.freedesktop.Notifications)
# on the test's session bus, standing in for the desktop's. It prints one
# JSON line a notification: its summary, body, the caller's unique name and
# that caller's program (/proc/PID/exe), so a test can tell who sent it.

import json
import os
import sys

from gi.repository import Gio, GLib

XML = """
<node>
  <interface name="org.freedesktop.Notifications">
    <method name="Notify">
      <arg type="s" direction="in"/><arg type="u" direction="in"/><arg type="s" direction="in"/>
      <arg type="s" direction="in"/><arg type="s" direction="in"/><arg type="as" direction="in"/>
      <arg type="a{sv}" direction="in"/><arg type="i" direction="in"/><arg type="u" direction="out"/>
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

counter = 0


def sender_program(connection, sender):
    try:
        reply = connection.call_sync("org.freedesktop.DBus", "/org/freedesktop/DBus", "org.freedesktop.DBus",
                                     "GetConnectionUnixProcessID", GLib.Variant("(s)", (sender,)),
                                     None, Gio.DBusCallFlags.NONE, 5000, None)
        return os.readlink(f"/proc/{reply.unpack()[0]}/exe")
    except Exception as error:
        return f"? ({error})"


def on_call(connection, sender, path, interface, method, parameters, invocation):
    global counter
    if method == "Notify":
        app_name, _, _, summary, body, actions, _, _ = parameters.unpack()
        counter += 1
        print(json.dumps({"app_name": app_name, "summary": summary, "body": body, "actions": actions,
                          "sender": sender, "program": sender_program(connection, sender)}), flush=True)
        invocation.return_value(GLib.Variant("(u)", (counter,)))
    elif method == "GetCapabilities":
        invocation.return_value(GLib.Variant("(as)", (["body", "actions"],)))
    elif method == "GetServerInformation":
        invocation.return_value(GLib.Variant("(ssss)", ("ofl-test", "Oneflow Link tests", "1", "1.2")))
    else:
        invocation.return_value(None)


def main():
    bus = Gio.bus_get_sync(Gio.BusType.SESSION, None)
    info = Gio.DBusNodeInfo.new_for_xml(XML).interfaces[0]
    bus.register_object("/org/freedesktop/Notifications", info, on_call, None, None)
    loop = GLib.MainLoop()

    def acquired(*_):
        print(json.dumps({"ready": True}), flush=True)

    Gio.bus_own_name_on_connection(bus, "org.freedesktop.Notifications", Gio.BusNameOwnerFlags.NONE,
                                   acquired, lambda *_: loop.quit())
    loop.run()
    return 0


if __name__ == "__main__":
    sys.exit(main())
