#!/usr/bin/python3
# gui-flatpak.py: the sandboxed app's assistant, from Start to a saved
# link, driven through AT-SPI from outside the sandbox, the way Orca
# reaches it: flatpak run gives the app a proxy of the accessibility bus.
#
#   gui-flatpak.py SCREENSHOT_DIR DISPLAY   (in a World of test-flatpak.py)
#
# Every control is found by role and accessible name; each page is
# screenshotted (import -window root) into SCREENSHOT_DIR. Exits 0 when
# the link was saved and shows in the accounts list; prints what it did.

import os
import re
import signal
import subprocess
import sys
import time

SHOTS, DISPLAY = sys.argv[1:3]
SOURCE_DIR = os.environ["ONEFLOW_LINK_SOURCE_DIR"]
sys.path.insert(0, os.path.join(SOURCE_DIR, "tests", "lib"))
from ofltest import walk  # noqa: E402
APP = "org.example.OneflowLink"
TIMEOUT = 40

import gi  # noqa: E402
gi.require_version("Atspi", "2.0")
import pyatspi  # noqa: E402

with open(os.path.join(SOURCE_DIR, "tests", "fake", "ofl-fake-server.h")) as header:
    FIXTURE = dict(re.findall(r'#define (OFL_FAKE_\w+)\s+"([^"]*)"', header.read()))
TOKEN = FIXTURE["OFL_FAKE_TOKEN_ACME"]
EMAIL = FIXTURE["OFL_FAKE_EMAIL_ANNA"]
KEY_SPACE = 0x20


def say(text):
    print(text, flush=True)


# Roles by their AT-SPI number: this machine's libatspi may name them
# otherwise than the app's (Debian 12's says "push button" for "button").
ROLES = {
    "button": pyatspi.ROLE_PUSH_BUTTON,
    "check box": pyatspi.ROLE_CHECK_BOX,
    "label": pyatspi.ROLE_LABEL,
    "password text": pyatspi.ROLE_PASSWORD_TEXT,
    "text": pyatspi.ROLE_TEXT,
    "list": pyatspi.ROLE_LIST,
    "alert": pyatspi.ROLE_ALERT,
}


def is_role(acc, role):
    return acc.getRole() == ROLES[role]




def has(acc, state):
    return acc.getState().contains(state)


def text_of(acc):
    try:
        text = acc.queryText()
        return text.getText(0, text.characterCount)
    except Exception:
        return acc.name or ""


class App:
    def __init__(self):
        self.process = subprocess.Popen(["flatpak", "run", "--user", APP], start_new_session=True)
        self.root = self.wait(self.find_app, "the sandboxed app on the accessibility bus")
        say(f"on the accessibility bus as {self.root.name!r} (pid {self.root.get_process_id()} "
            f"as the bus sees it; flatpak run is {self.process.pid})")

    def find_app(self):
        for app in pyatspi.Registry.getDesktop(0):
            if app is not None and app.name and "oneflow" in app.name.lower():
                return app
        return None

    def wait(self, probe, what, timeout=TIMEOUT):
        deadline = time.monotonic() + timeout
        while True:
            if self.process.poll() is not None:
                raise AssertionError(f"the app exited ({self.process.returncode}) waiting for {what}")
            try:
                found = probe()
            except Exception:
                found = None
            if found:
                return found
            if time.monotonic() > deadline:
                raise AssertionError(f"timed out waiting for {what}")
            time.sleep(0.1)

    def find(self, role, name):
        def probe():
            found = [acc for acc in walk(self.root)
                     if is_role(acc, role) and acc.name == name and has(acc, pyatspi.STATE_SHOWING)]
            return found[0] if found else None
        return self.wait(probe, f"a {role} named {name!r}")

    def click(self, acc):
        self.wait(lambda: has(acc, pyatspi.STATE_SENSITIVE), f"{acc.name!r} to be sensitive")
        action = acc.queryAction()
        for i in range(action.nActions):
            if action.getName(i) == "click":
                action.doAction(i)
                return
        raise AssertionError(f"{acc.getRoleName()} {acc.name!r} has no click action")

    def page(self, title, wait_title=True):
        """Waits for a page by its title (a label showing), lets it draw,
        and screenshots it."""
        if wait_title:
            self.wait(lambda: any(is_role(acc, "label") and text_of(acc) == title
                                  and has(acc, pyatspi.STATE_SHOWING) for acc in walk(self.root)),
                      f"the {title!r} page")
        # The title shows as soon as the page is mapped; the screenshot
        # waits for the frame after it (a round trip to the X server).
        subprocess.run(["xdpyinfo", "-display", DISPLAY], capture_output=True)
        number = len(os.listdir(SHOTS)) if os.path.isdir(SHOTS) else 0
        os.makedirs(SHOTS, exist_ok=True)
        path = os.path.join(SHOTS, f"{number + 1:02d}-{title.lower().replace(' ', '-')}.png")
        subprocess.run(["import", "-display", DISPLAY, "-window", "root", path], check=True,
                       capture_output=True)
        say(f"page {title!r}: {path}")

    def quit(self):
        """Its process group, by id: flatpak runs bwrap in bwrap, and the
        sandboxed app dies with the inner one."""
        for sig in (signal.SIGTERM, signal.SIGKILL):
            try:
                os.killpg(self.process.pid, sig)
            except ProcessLookupError:
                break
            deadline = time.monotonic() + 10
            while time.monotonic() < deadline:
                self.process.poll()
                try:
                    os.killpg(self.process.pid, 0)
                except ProcessLookupError:
                    break
                time.sleep(0.05)
        self.process.wait()


def main():
    for old in os.listdir(SHOTS) if os.path.isdir(SHOTS) else ():
        if old.endswith(".png") and old[:2].isdigit():
            os.unlink(os.path.join(SHOTS, old))
    app = App()
    try:
        start = app.find("button", "Start")
        app.page("Welcome", wait_title=False)
        app.click(start)

        box = app.find("check box", "The Custom Integration is enabled")
        app.wait(lambda: has(box, pyatspi.STATE_FOCUSED), "focus on the box")
        app.page("Enable Integration")
        pyatspi.Registry.generateKeyboardEvent(KEY_SPACE, None, pyatspi.KEY_SYM)
        app.wait(lambda: has(box, pyatspi.STATE_CHECKED), "the box to be ticked (Space)")
        app.click(app.find("button", "Next"))

        app.page("Generate Token")
        app.click(app.find("button", "Next"))

        field = app.wait(lambda: next((acc for acc in walk(app.root) if is_role(acc, "password text")
                                       and acc.name == "API Token"), None), "the token field")
        field.queryEditableText().setTextContents(TOKEN)
        app.wait(lambda: text_of(field) == "\u25cf" * len(TOKEN), "the token field to read masked")
        # With the token in it: the page shows that it looks right.
        app.page("Paste Token")
        app.click(app.find("button", "Next"))

        field = app.find("text", "Email Address")
        field.queryEditableText().setTextContents(EMAIL)
        app.wait(lambda: text_of(field) == EMAIL, "the email field")
        app.page("User Email")
        app.click(app.find("button", "Next"))

        connect = app.find("button", "Connect")
        app.wait(lambda: has(connect, pyatspi.STATE_FOCUSED), "focus on Connect")
        app.page("Connect")
        app.click(connect)

        dialog = app.wait(lambda: next((acc for acc in walk(app.root) if is_role(acc, "alert")
                                        and acc.name == "Account Linked"), None), "the confirmation")
        app.page("Account Linked")
        done = next(acc for acc in walk(dialog) if is_role(acc, "button") and acc.name == "Done")
        app.click(done)
        app.wait(lambda: not any(is_role(acc, "alert") and acc.name == "Account Linked"
                                 for acc in walk(app.root)), "the confirmation to close")
        accounts = app.find("list", "Linked accounts")
        app.wait(lambda: any(EMAIL in (acc.name or "") or EMAIL in text_of(acc) for acc in walk(accounts)),
                 f"{EMAIL} in the accounts list")
        app.page("Linked Accounts", wait_title=False)
        say("the link is in the accounts list")
    finally:
        app.quit()
    return 0


if __name__ == "__main__":
    sys.exit(main())
