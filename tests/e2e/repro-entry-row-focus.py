#!/usr/bin/python3
# repro-entry-row-focus.py: which text fields tell AT-SPI they have the
# focus, with GTK 4.8 and libadwaita 1.2 (not run by meson; README,
# "Languages and accessibility"). Run it in a world of its own:
#
#   tests/ofl-test-env --display /usr/bin/python3 tests/e2e/repro-entry-row-focus.py
#
# A small GTK app moves the focus between a button and each kind of field;
# this script, as an AT-SPI client (like Orca), prints every focus event
# it receives and the interfaces of its source. Seen on Debian 12: an
# AdwEntryRow or AdwPasswordEntryRow sends none; GtkEntry and
# GtkPasswordEntry do (with Text and EditableText); an entry row whose
# inner GtkText was given the text-box role (what src/ofl-a11y.c does)
# does too, but has no Text interface.
import os
import subprocess
import sys
import time

FIELDS = ["entry row", "password row", "entry row, inner text a text box",
          "password row, inner text a text box", "GtkEntry", "GtkPasswordEntry"]

if len(sys.argv) > 1 and sys.argv[1] == "--app":
    import gi
    gi.require_version("Gtk", "4.0")
    gi.require_version("Adw", "1")
    from gi.repository import Adw, GLib, Gtk

    def activate(app):
        window = Adw.ApplicationWindow(application=app, title="repro")
        box = Gtk.Box(orientation=Gtk.Orientation.VERTICAL)
        button = Gtk.Button(label="A button")
        box.append(button)
        fields = []
        for name in FIELDS:
            if "row" in name:
                row = (Adw.PasswordEntryRow if "password" in name else Adw.EntryRow)(title=name)
                if "inner" in name:
                    text = row.get_delegate()
                    text.set_property("accessible-role", Gtk.AccessibleRole.TEXT_BOX)
                    text.update_property([Gtk.AccessibleProperty.LABEL], [name])
                listbox = Gtk.ListBox()
                listbox.append(row)
                box.append(listbox)
                fields.append(row)
            else:
                entry = Gtk.PasswordEntry() if "Password" in name else Gtk.Entry()
                entry.update_property([Gtk.AccessibleProperty.LABEL], [name])
                box.append(entry)
                fields.append(entry)
        window.set_content(box)
        window.present()
        steps = [w for field in fields for w in (button, field)] + [button]

        def step():
            if not steps:
                app.quit()
                return False
            widget = steps.pop(0)
            widget.grab_focus()
            print(f"focus -> {FIELDS[fields.index(widget)] if widget in fields else 'A button'}", flush=True)
            return True
        GLib.timeout_add(1000, step)

    app = Adw.Application(application_id="org.example.ReproEntryRowFocus")
    app.connect("activate", activate)
    app.run([])
    sys.exit(0)

os.environ["GTK_MODULES"] = "gail:atk-bridge"
for key in ("NO_AT_BRIDGE", "GTK_A11Y"):
    os.environ.pop(key, None)
bus = subprocess.Popen(["/usr/libexec/at-spi-bus-launcher"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
time.sleep(1)
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
            pass    # the app's first window, gone before it was read

listener = Atspi.EventListener.new(on_event)
listener.register("object:state-changed:focused")
env = {k: v for k, v in os.environ.items() if k != "GTK_MODULES"}
app = subprocess.Popen([sys.executable, __file__, "--app"], env=env)
context = GLib.MainContext.default()
while app.poll() is None:
    while context.pending():
        context.iteration(False)
    time.sleep(0.05)
bus.terminate()
