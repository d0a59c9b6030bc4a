#!/usr/bin/python3
# repro-a11y-names.py: what AT-SPI hears from plain GTK and libadwaita
# widgets, the measurement behind what src/ does for accessibility (not run
# by meson; README, "Languages and accessibility"). Run it in a world of
# its own, on the stack to measure:
#
#   tests/ofl-test-env --display /usr/bin/python3 tests/e2e/repro-a11y-names.py
#
# A small app shows a button and a check box with mnemonics, a password
# entry row with a mnemonic title and a plain entry row, then moves the
# focus between them; this script, as an AT-SPI client (like Orca), prints
# the tree it sees and every focus event with its source's interfaces.
# Seen on Debian 13 (GTK 4.18, libadwaita 1.7) and sid (GTK 4.24,
# libadwaita 1.10), 2026-12-06:
#   - the button is read "Start" once (GTK 4.8 read "_Start Start");
#   - the check box is read "I _enabled it", underscore and all, on GTK
#     4.18, and "I enabled it" on GTK 4.24;
#   - an entry row's text takes the focus, with Text and EditableText
#     (GTK 4.8 sent no focus event at all); on sid the password row's text
#     is a "password text";
#   - each entry row's list item is named by its title twice ("API Token
#     API Token") on both stacks.
import os
import subprocess
import sys
import time

if len(sys.argv) > 1 and sys.argv[1] == "--app":
    import gi
    gi.require_version("Gtk", "4.0")
    gi.require_version("Adw", "1")
    from gi.repository import Adw, GLib, Gtk

    def activate(app):
        window = Adw.ApplicationWindow(application=app, title="repro")
        box = Gtk.Box(orientation=Gtk.Orientation.VERTICAL)
        button = Gtk.Button(label="_Start", use_underline=True)
        box.append(button)
        box.append(Gtk.CheckButton(label="I _enabled it", use_underline=True))
        rows = Gtk.ListBox()
        token = Adw.PasswordEntryRow(title="API _Token", use_underline=True)
        email = Adw.EntryRow(title="Email Address")
        rows.append(token)
        rows.append(email)
        box.append(rows)
        window.set_content(box)
        window.present()
        steps = [button, token, button, email, button]

        def step():
            if not steps:
                app.quit()
                return False
            widget = steps.pop(0)
            widget.grab_focus()
            print(f"focus -> {type(widget).__name__}", flush=True)
            return True
        GLib.timeout_add(700, step)

    app = Adw.Application(application_id="org.example.ReproA11yNames")
    app.connect("activate", activate)
    app.run([])
    sys.exit(0)

for key in ("NO_AT_BRIDGE", "GTK_A11Y"):
    os.environ.pop(key, None)
bus = subprocess.Popen(["/usr/libexec/at-spi-bus-launcher"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
# The accessibility bus is there once its launcher owns org.a11y.Bus.
deadline = time.monotonic() + 10
while "true" not in subprocess.run(["gdbus", "call", "--session", "--dest", "org.freedesktop.DBus",
                                    "--object-path", "/org/freedesktop/DBus",
                                    "--method", "org.freedesktop.DBus.NameHasOwner", "org.a11y.Bus"],
                                   capture_output=True, text=True, timeout=10).stdout:
    if time.monotonic() > deadline:
        sys.exit("at-spi-bus-launcher did not take org.a11y.Bus")
    time.sleep(0.05)
import gi  # noqa: E402
gi.require_version("Atspi", "2.0")
from gi.repository import Atspi, GLib  # noqa: E402


def on_event(event):
    if event.detail1 == 1:
        try:
            source = event.source
            print(f"   AT-SPI focus event: {source.get_role_name()} {source.get_name()!r} "
                  f"({', '.join(source.get_interfaces())})", flush=True)
        except GLib.Error:
            pass


def dump(acc, depth=0):
    try:
        print("  " * depth + f"{acc.get_role_name()} {acc.get_name()!r}")
    except GLib.Error:
        return
    for i in range(acc.get_child_count()):
        dump(acc.get_child_at_index(i), depth + 1)


def window_shown():
    desktop = Atspi.get_desktop(0)
    try:
        return any(app.get_child_at_index(j).get_name() == "repro"
                   for app in (desktop.get_child_at_index(i) for i in range(desktop.get_child_count()))
                   for j in range(app.get_child_count()))
    except GLib.Error:
        return False


listener = Atspi.EventListener.new(on_event)
listener.register("object:state-changed:focused")
app = subprocess.Popen([sys.executable, __file__, "--app"])
context = GLib.MainContext.default()
dumped = False
while app.poll() is None:
    while context.pending():
        context.iteration(False)
    # The tree once the app's window is in it.
    if not dumped and window_shown():
        desktop = Atspi.get_desktop(0)
        for i in range(desktop.get_child_count()):
            dump(desktop.get_child_at_index(i))
        dumped = True
    time.sleep(0.05)
bus.terminate()
