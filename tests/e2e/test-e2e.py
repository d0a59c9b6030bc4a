#!/usr/bin/python3
# test-e2e.py: the real oneflow-link, driven the way a screen-reader user
# drives it, through AT-SPI (the interface Orca uses).
#
#   test-e2e.py ONEFLOW_LINK FAKE_SERVER LOCALEDIR BUILD_LOCALEDIR [ONLY]
#   (under ofl-test-env --display --keyring)
#
# Every control is found by its role and accessible name, never by a widget
# path or coordinates. Buttons are pressed through their AT-SPI "click"
# action, text is typed through EditableText, and where no action is
# exposed (a check box) the key a person would press goes to the focused
# control. Every name a control is read by must be read once, without a
# mnemonic underscore; focus must reach AT-SPI as a FOCUSED state and a
# focus event; the events the app sends while it checks are recorded and
# asserted (Events). The token field is a "password text" whose Text
# interface, like every text-changed event, has only mask characters; the
# email field is a "text" that reads the email; each sends a focus event
# when focus moves to it. Scenarios:
#   1. first-time setup: Start, the four steps, Connect; the confirmation,
#      the accounts view and the keyring (secret-tool) agree;
#   2. a rejected token: the failure is exposed to AT-SPI (the failed check
#      is invalid, the message is readable text), "Change the Token" takes
#      focus back to the token field, nothing is stored;
#   3. re-link from the accounts view after Oneflow revoked the token;
#      Check Now's outcome and the re-link are announced
#      (gtk_accessible_announce, AT-SPI object:announcement events), and so
#      is the end of the check of every link (the desktop's Check Links)
#      in scenarios 1 and 4;
#   4. scenario 1 again with LANGUAGE=sv (and LC_ALL=sv_SE.UTF-8: glibc
#      2.41 ignores LANGUAGE under C.UTF-8), by the Swedish names. The binary
#      reads its catalogue from LOCALEDIR (config.h): the build's own po/
#      (BUILD_LOCALEDIR) in the builds build-aux makes, the prefix's once
#      installed. A build that has neither fails, or with
#      OFL_TEST_ALLOW_SKIP=1 (as ofl-test-env allows) skips, saying which.
#
# TAP on stdout. GTK only talks AT-SPI when NO_AT_BRIDGE and GTK_A11Y are
# unset, and needs the accessibility bus: this script starts
# at-spi-bus-launcher on the private session bus of ofl-test-env. Role
# names are GTK 4.18's and 4.24's ("button"; the token field is a
# "password text" on both, the email field a "text").

import os
import re
import subprocess
import sys
import time

ONEFLOW_LINK, FAKE_SERVER, LOCALEDIR, BUILD_LOCALEDIR = sys.argv[1:5]
ONLY = sys.argv[5] if len(sys.argv) > 5 else None
SOURCE_DIR = os.environ["ONEFLOW_LINK_SOURCE_DIR"]
sys.path.insert(0, os.path.join(SOURCE_DIR, "tests", "lib"))
import ofltest  # noqa: E402

# The client's settings, before pyatspi is imported.
os.environ["GTK_MODULES"] = "gail:atk-bridge"
os.environ.pop("NO_AT_BRIDGE", None)
os.environ.pop("GTK_A11Y", None)

import gi  # noqa: E402
gi.require_version("Atspi", "2.0")
import pyatspi  # noqa: E402
from gi.repository import Atspi, GLib  # noqa: E402

with open(os.path.join(SOURCE_DIR, "tests", "fake", "ofl-fake-server.h")) as header:
    FIXTURE = dict(re.findall(r'#define (OFL_FAKE_\w+)\s+"([^"]*)"', header.read()))

TOKEN = FIXTURE["OFL_FAKE_TOKEN_ACME"]
NEW_TOKEN = FIXTURE["OFL_FAKE_TOKEN_ACME_NEW"]
EMAIL = FIXTURE["OFL_FAKE_EMAIL_ANNA"]
SCHEMA = "org.example.OneflowLink"
TIMEOUT = 20          # seconds to wait for any one thing to appear

# Tools (secret-tool, gdbus) without the tests' fatal criticals.
TOOL_ENV = {k: v for k, v in os.environ.items() if k not in ("G_DEBUG", "ONEFLOW_LINK_API_URL")}

# The strings the test looks for, by language. The Swedish ones are what
# po/sv.po says; a screen-reader user hears these names.
STRINGS = {
    "en": {
        "start": "Start",
        "enabled": "The Custom Integration is enabled",
        "next": "Next",
        "token": "API Token",
        "email": "Email Address",
        "connect": "Connect",
        "linked": "Account Linked",
        "done": "Done",
        "accounts": "Linked accounts",
        "fix_token": "Change the Token",
        "token_failed": "Token not accepted",
        "relink": "Re-link",
        "stop": "Stop Checking",
        "check": "Check Now",
        "attention": "Needs attention",
        "relinking": "Re-linking",
        "open": "Open Oneflow",
        "works_again": "works again",
        "checked_attention": "it needs attention",
        "checked_all": "Checked 1 link. It works.",
        "attention_toast": "The link needs attention",
        "checks": "Checks",
        "token_checking": "Checking the token",
        "token_ok": "Token accepted",
        "passed": "Passed",
        "failed": "Failed",
    },
    "sv": {
        "start": "Börja",
        "enabled": "Custom Integration är aktiverad",
        "next": "Nästa",
        "token": "API-token",
        "email": "E-postadress",
        "connect": "Anslut",
        "linked": "Kontot är länkat",
        "done": "Klar",
        "accounts": "Länkade konton",
        "fix_token": "Ändra token",
        "token_failed": "Token godtogs inte",
        "relink": "Länka om",
        "stop": "Stoppa kontrollen",
        "check": "Testa nu",
        "attention": "Behöver åtgärdas",
        "relinking": "Länkar om",
        "open": "Öppna Oneflow",
        "works_again": "fungerar igen",
        "checked_attention": "den behöver åtgärdas",
        "checked_all": "Kontrollerade 1 länk. Den fungerar.",
        "attention_toast": "Länken behöver åtgärdas",
        "checks": "Kontroller",
        "token_checking": "Kontrollerar tokenen",
        "token_ok": "Token godtogs",
        "passed": "Godkänd",
        "failed": "Misslyckades",
    },
}

class Fail(AssertionError):
    """A wrong state seen while waiting: no use waiting longer."""


def diag(text):
    for line in str(text).splitlines():
        print(f"# {line}", flush=True)


# What a screen reader is told: the AT-SPI events the app sends

class Events:
    """Records the events Orca listens to, with the role and name of their
    source read when they arrive. The test's waits pump the main context,
    so events are taken in while it waits."""

    TYPES = ("object:state-changed:focused", "object:state-changed:busy",
             "object:state-changed:invalid", "object:property-change:accessible-name",
             "object:property-change:accessible-description", "object:announcement",
             "object:text-changed:insert", "object:text-changed:delete")

    def __init__(self):
        self.seen = []
        self.listener = Atspi.EventListener.new(self._on_event)
        for kind in self.TYPES:
            self.listener.register(kind)

    def _on_event(self, event):
        try:
            source = event.source
            acc_role, name = source.get_role_name(), source.get_name()
        except Exception:
            acc_role, name = "?", ""
        try:
            data = event.any_data
            data = data if isinstance(data, str) else ""
        except Exception:
            data = ""
        self.seen.append((event.type, event.detail1, acc_role, name or "", data or ""))

    def pump(self):
        context = GLib.MainContext.default()
        while context.pending():
            context.iteration(False)

    def clear(self):
        self.pump()
        self.seen.clear()

    def mark(self):
        self.pump()
        return len(self.seen)

    def find(self, kind, predicate=lambda detail, acc_role, name, data: True, since=0):
        self.pump()
        return next((e for e in self.seen[since:] if e[0] == kind and predicate(*e[1:])), None)


EVENTS = None


# The keyring, as any other program sees it

def keyring_lookup(email):
    result = subprocess.run(["secret-tool", "lookup", "xdg:schema", SCHEMA, "email", email],
                            env=TOOL_ENV, capture_output=True, text=True, timeout=30)
    return result.stdout.strip() if result.returncode == 0 else None


def keyring_clear(email):
    subprocess.run(["secret-tool", "clear", "xdg:schema", SCHEMA, "email", email],
                   env=TOOL_ENV, capture_output=True, timeout=30)


# The accessibility bus

def name_has_owner(name):
    result = subprocess.run(["gdbus", "call", "--session", "--dest", "org.freedesktop.DBus",
                             "--object-path", "/org/freedesktop/DBus",
                             "--method", "org.freedesktop.DBus.NameHasOwner", name],
                            env=TOOL_ENV, capture_output=True, text=True, timeout=10)
    return "true" in result.stdout


def start_a11y_bus():
    if name_has_owner("org.a11y.Bus"):
        return None
    launcher = subprocess.Popen(["/usr/libexec/at-spi-bus-launcher"],
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                env=TOOL_ENV)
    deadline = time.monotonic() + 10
    while not name_has_owner("org.a11y.Bus"):
        if time.monotonic() > deadline:
            raise RuntimeError("at-spi-bus-launcher did not take org.a11y.Bus")
        time.sleep(0.1)
    return launcher


# The desktop's "Check Links" (what a systemd timer runs): the running
# app's check-links action, over the session bus.

def activate_check_links():
    path = "/" + SCHEMA.replace(".", "/")
    result = subprocess.run(["gdbus", "call", "--session", "--dest", SCHEMA, "--object-path", path,
                             "--method", "org.freedesktop.Application.ActivateAction",
                             "check-links", "[]", "{}"],
                            env=TOOL_ENV, capture_output=True, text=True, timeout=30)
    assert result.returncode == 0, f"check-links failed: {result.stderr.strip()}"


def wait_announcement(app, predicate, what, since=0):
    """An AT-SPI announcement (gtk_accessible_announce) went out after
    event number @since and says what @predicate wants."""
    def probe():
        return EVENTS.find("object:announcement", lambda d, r, n, data: predicate(data), since=since)
    try:
        return app.wait(probe, what)
    except AssertionError:
        seen = [e[4] for e in EVENTS.seen if e[0] == "object:announcement"]
        raise AssertionError(f"no announcement {what}; announcements seen: {seen}")


# Reading the tree

def role(acc):
    return acc.getRoleName()


# A text field. The token field must be a "password text" (a screen
# reader does not echo it): GTK 4.18 gives that role only to a
# GtkPasswordEntry, 4.24 also to an AdwPasswordEntryRow's text. Fields are
# found by either role, so that a wrong one is reported as such.
FIELD_ROLES = ("password text", "text")
TOKEN_ROLE = "password text"
EMAIL_ROLE = "text"
# What a hidden field shows, and what AT-SPI may read of it.
MASK_CHAR = "\u25cf"
# Controls whose names come from a label that may carry a mnemonic.
CONTROL_ROLES = {"button", "toggle button", "check box", "radio button", "menu item", "list item"}


def name_problem(acc_role, name):
    """What is wrong with a name a person would hear, or None. Left alone,
    GTK 4.8 names a button whose label has a mnemonic "_Start Start" and a
    check button "<label> <label>"; the app gives such controls explicit
    names (src/ofl-a11y.c), and this holds it to that."""
    if not name:
        return None
    half = len(name) // 2
    if len(name) % 2 == 1 and name[half] == " " and re.sub(r"_", "", name[:half]) == name[half + 1:]:
        return f"a {acc_role} is read twice: {name!r}"
    if acc_role in CONTROL_ROLES and re.search(r"_(?=\w)", name):
        return f"a {acc_role} is read with its mnemonic underscore: {name!r}"
    return None


def spoken_name(name, acc_role=""):
    """The name a person hears; a doubled name or a mnemonic underscore in
    it fails the test."""
    if name is None:
        return ""
    problem = name_problem(acc_role, name)
    if problem:
        raise Fail(problem)
    return name


def check_names(app, where):
    """Every control showing now is read once, without an underscore."""
    problems = []
    for acc in walk(app.root):
        try:
            if not has(acc, pyatspi.STATE_SHOWING):
                continue
            problem = name_problem(role(acc), acc.name)
            # GTK 4.8 falls back to the type name for a control with no
            # name. Not fixed: a toast's close button (libadwaita 1.2's).
            if (not problem and role(acc) in CONTROL_ROLES and re.fullmatch(r"(Gtk|Adw)[A-Z]\w+", acc.name or "")
                    and acc.parent is not None and acc.parent.name != "AdwToastWidget"):
                problem = f"a {role(acc)} has no name but its type: {acc.name!r}"
        except Exception:
            continue
        if problem:
            try:
                where_it_is = " in ".join(f"{role(a)} {a.name!r}" for a in (acc.parent, acc.parent.parent) if a)
            except Exception:
                where_it_is = "?"
            problems.append(f"{problem} (in {where_it_is})")
    if problems:
        raise Fail(f"{where}: " + "; ".join(sorted(set(problems))))


def states(acc):
    return acc.getState()


def has(acc, state):
    return acc.getState().contains(state)


def on_screen(acc):
    try:
        box = acc.queryComponent().getExtents(pyatspi.DESKTOP_COORDS)
        return box.width > 0 and box.height > 0
    except Exception:
        return False


def alert_text(app, ignore=()):
    """What a visible alert (the connect page's failure box) reads. An
    AdwAlertDialog and a toast are alerts too (libadwaita 1.7): those
    named, or reading first, one of @ignore are not failures."""
    for acc in walk(app.root):
        if role(acc) == "alert" and has(acc, pyatspi.STATE_VISIBLE) and spoken_name(acc.name) not in ignore:
            words = [w for w in (text_of(label) for label in walk(acc) if role(label) == "label") if w.strip()]
            if words and any(name in words[0] for name in ignore):
                continue
            return acc, words
    return None, []


walk = ofltest.walk


def query_text(acc):
    """The Text interface of a label or field. An entry row's text box
    (its inner GtkText, made the text box so that its focus reaches AT-SPI)
    has none in GTK 4.8, which gives the interface only to an editable that
    delegates to a GtkText: the row around it (a group, a "panel" to
    AT-SPI) has it."""
    try:
        return acc.queryText()
    except NotImplementedError:
        if role(acc) not in ("text", "password text"):
            raise
    row = acc.parent
    for _ in range(4):
        if row is None:
            break
        try:
            return row.queryText()
        except NotImplementedError:
            row = row.parent
    raise NotImplementedError


def text_of(acc):
    """The text of a label or field, as a screen reader reads it."""
    try:
        text = query_text(acc)
    except NotImplementedError:
        return acc.name or ""
    # getText (0, -1) returns '' on GTK 4.8.
    return text.getText(0, text.characterCount)


def dump(acc, depth=0, out=None):
    out = [] if out is None else out
    try:
        flags = [s for s, v in (("visible", pyatspi.STATE_VISIBLE), ("focused", pyatspi.STATE_FOCUSED),
                                ("sensitive", pyatspi.STATE_SENSITIVE), ("invalid", pyatspi.STATE_INVALID_ENTRY))
                 if has(acc, v)]
        out.append("  " * depth + f"{role(acc)} {acc.name!r} {flags}")
        for child in acc:
            if child is not None:
                dump(child, depth + 1, out)
    except Exception as e:
        out.append("  " * depth + f"(gone: {e})")
    return out


class App:
    """One run of the real binary, and the ways a person reaches into it."""

    def __init__(self, server, language=None):
        env = dict(os.environ)
        for key in ("NO_AT_BRIDGE", "GTK_A11Y", "GTK_MODULES"):
            env.pop(key, None)
        env["ONEFLOW_LINK_API_URL"] = server.url
        if language:
            env["LANGUAGE"] = language
            # glibc 2.41 ignores LANGUAGE under C.UTF-8: a real locale.
            env["LC_ALL"] = {"sv": "sv_SE.UTF-8"}.get(language, "C.UTF-8")
        if EVENTS is not None:
            EVENTS.clear()
        self.process = subprocess.Popen([ONEFLOW_LINK], env=env)
        self.root = self.wait(self.find_app, "the application on the accessibility bus")

    def find_app(self):
        desktop = pyatspi.Registry.getDesktop(0)
        for app in desktop:
            if app is not None and app.get_process_id() == self.process.pid:
                return app
        return None

    def wait(self, probe, what, timeout=TIMEOUT):
        deadline = time.monotonic() + timeout
        while True:
            if EVENTS is not None:
                EVENTS.pump()
            if self.process.poll() is not None:
                raise AssertionError(f"oneflow-link exited ({self.process.returncode}) waiting for {what}")
            try:
                found = probe()
            except Fail:
                raise
            except Exception:
                found = None
            if found:
                return found
            if time.monotonic() > deadline:
                focus = [f"{role(f)} {f.name!r}" for f in self.focused()]
                diag("\n".join(dump(self.root)))
                raise AssertionError(f"timed out waiting for {what} (focus is on: {focus or 'nothing'})")
            time.sleep(0.1)

    def all(self, want_role, name, visible=True, scope=None):
        """@want_role is a role name, or a tuple of them."""
        roles = (want_role,) if isinstance(want_role, str) else want_role
        found = []
        for acc in walk(scope or self.root):
            if role(acc) in roles and spoken_name(acc.name, role(acc)) == name:
                if not visible or has(acc, pyatspi.STATE_VISIBLE):
                    found.append(acc)
        return found

    def find(self, want_role, name, timeout=TIMEOUT, scope=None):
        def probe():
            found = self.all(want_role, name, scope=scope)
            # A message dialog has its buttons twice (a row and a column
            # layout); the one on screen is the one with focus or a size.
            if len(found) > 1:
                found = [acc for acc in found if has(acc, pyatspi.STATE_FOCUSED)] or \
                        [acc for acc in found if has(acc, pyatspi.STATE_SHOWING)] or \
                        [acc for acc in found if on_screen(acc)]
            if len(found) > 1:
                raise AssertionError(f"{len(found)} controls are a {want_role} named {name!r}")
            return found[0] if found else None
        return self.wait(probe, f"a {want_role} named {name!r}", timeout)

    def gone(self, want_role, name, timeout=TIMEOUT):
        self.wait(lambda: not self.all(want_role, name), f"no {want_role} named {name!r}", timeout)

    def focused(self):
        return [acc for acc in walk(self.root) if has(acc, pyatspi.STATE_FOCUSED)]

    def click(self, acc):
        action = acc.queryAction()
        for i in range(action.nActions):
            if action.getName(i) == "click":
                assert has(acc, pyatspi.STATE_SENSITIVE), f"{acc.name!r} is not sensitive"
                action.doAction(i)
                return
        raise AssertionError(f"{role(acc)} {acc.name!r} has no click action")

    def press(self, keysym):
        pyatspi.Registry.generateKeyboardEvent(keysym, None, pyatspi.KEY_SYM)

    def type_keys(self, text):
        pyatspi.Registry.generateKeyboardEvent(0, text, pyatspi.KEY_STRING)

    def press_alt(self, keysym):
        Atspi.generate_keyboard_event(ALT_MASK, None, Atspi.KeySynthType.LOCKMODIFIERS)
        try:
            self.press(keysym)
        finally:
            Atspi.generate_keyboard_event(ALT_MASK, None, Atspi.KeySynthType.UNLOCKMODIFIERS)

    def type_into(self, acc, text):
        acc.queryEditableText().setTextContents(text)

    def quit(self):
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


KEY_SPACE = 0x20
KEY_RETURN = 0xff0d
KEY_TAB = 0xff09
KEY_LEFT = 0xff51
KEY_N = 0x6e
ALT_MASK = 1 << 3       # Mod1


def wait_for(predicate, what, timeout=TIMEOUT):
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.1)


def is_focused(app, acc):
    return any(f == acc for f in app.focused())


def wait_keyboard_focus(app, field, what, since=0):
    """Focus is in this field, the way a screen reader learns it: the
    field is FOCUSED, and a focus event for it went out (after event number
    @since). libadwaita 1.2's entry rows sent none under GTK 4.8; the app
    makes their inner text the text box (src/ofl-a11y.c)."""
    app.wait(lambda: is_focused(app, field), f"the {what} to be FOCUSED")
    name = field.name
    app.wait(lambda: EVENTS.find("object:state-changed:focused",
                                 lambda d, r, n, data: d == 1 and r in ("text", "password text") and n == name,
                                 since=since),
             f"a focus event from the {what}")


def inside_page(acc, title):
    """@acc is part of the assistant page named @title."""
    while acc is not None:
        if role(acc) == "grouping" and spoken_name(acc.name, role(acc)) == title:
            return True
        acc = acc.parent
    return False


def focus_moved(since):
    """A control gained the focus (the event a screen reader follows)
    after event number @since."""
    return EVENTS.find("object:state-changed:focused", lambda d, r, n, data: d == 1, since=since)


def press_tab(app):
    """Tab, and wait until the focus has moved on."""
    mark = EVENTS.mark()
    app.press(KEY_TAB)
    app.wait(lambda: focus_moved(mark), "the focus to move on Tab")


def tab_to(app, acc, what, presses=40):
    """Tab, as a keyboard user does, until focus is on @acc (GTK 4.8 has
    no AT-SPI grabFocus)."""
    for _ in range(presses):
        if has(acc, pyatspi.STATE_FOCUSED):
            return
        press_tab(app)
    raise AssertionError(f"Tab never reached {what}")


def wait_first_instruction(app):
    """Generate Token has nothing to type: focus lands on its first
    instruction (a list item a screen reader reads), not on Open Oneflow,
    where Enter would open a browser instead of going on."""
    def probe():
        focused = app.focused()
        if any(role(f) == "button" and "Oneflow" in (f.name or "") for f in focused):
            raise Fail("focus is on Open Oneflow: Enter would open the browser")
        return next((f for f in focused if role(f) == "list item" and "Admin" in (f.name or "")), None)
    return app.wait(probe, "focus on the first instruction of Generate Token")


def tab_until(app, predicate, what, presses=40):
    """Tab until the focused control is what @predicate wants."""
    for _ in range(presses):
        if any(predicate(f) for f in app.focused()):
            return
        press_tab(app)
    raise AssertionError(f"Tab never reached {what}")


def find_token_field(app, s):
    """The token field, which must be a password text (a screen reader
    then says "bullet", not the token, as it is typed)."""
    field = app.find(FIELD_ROLES, s["token"])
    assert role(field) == TOKEN_ROLE, f"the token field is a {role(field)!r}, not a {TOKEN_ROLE!r}"
    assert field.getRole() == pyatspi.ROLE_PASSWORD_TEXT
    return field


def find_email_field(app, s):
    field = app.find(FIELD_ROLES, s["email"])
    assert role(field) == EMAIL_ROLE, f"the email field is a {role(field)!r}, not a {EMAIL_ROLE!r}"
    return field


def field_text(field, what):
    """The text of a field through its own AT-SPI Text interface (not a
    parent's), as a screen reader reads it."""
    try:
        text = field.queryText()
    except NotImplementedError:
        raise AssertionError(f"the {what} has no AT-SPI Text interface") from None
    return text.getText(0, text.characterCount)


def assert_token_hidden(app, field, token, since=0):
    """The token field's Text interface has one mask character a character
    of the token, and no text in the application, nor any text-changed
    event it sent (from event number @since), has the token in clear."""
    shown = field_text(field, "token field")
    assert shown == MASK_CHAR * len(token), \
        f"AT-SPI reads the token field as {len(shown)} characters, not {len(token)} mask characters"
    head = token[:12]
    for acc in walk(app.root):
        try:
            text = acc.queryText()
            contents = text.getText(0, text.characterCount)
        except Exception:
            continue
        assert head not in contents, f"the {role(acc)} {acc.name!r} has the token in clear"
    EVENTS.pump()
    changes = [e for e in EVENTS.seen[since:] if e[0].startswith("object:text-changed")]
    leaked = [e[:4] for e in changes if head in e[4]]
    assert not leaked, f"text-changed events carry the token in clear, from {leaked}"
    heard = [e[4] for e in changes if e[2] == TOKEN_ROLE]
    diag(f"the token field sent {len(heard)} text-changed events, with {sum(map(len, heard))} characters, "
         f"all {MASK_CHAR!r}" if all(set(h) <= {MASK_CHAR} for h in heard) else f"token field events: {heard}")


def fill_token_and_email(app, s, token, email):
    mark = EVENTS.mark()
    field = find_token_field(app, s)
    wait_keyboard_focus(app, field, "token field", since=mark)
    app.type_into(field, token)
    next_button = app.find("button", s["next"])
    app.wait(lambda: has(next_button, pyatspi.STATE_SENSITIVE), "Next to become sensitive")
    assert_token_hidden(app, field, token, since=mark)
    check_names(app, "the token page")
    app.click(next_button)

    field = find_email_field(app, s)
    wait_keyboard_focus(app, field, "email field", since=mark)
    app.type_into(field, email)
    app.wait(lambda: field_text(field, "email field") == email, f"the email field to read {email!r}")
    app.click(app.find("button", s["next"]))


def click_connect(app, s):
    """Connect, once its page is showing: the button is in the tree (and
    visible) while the page before it is still on screen, and the page
    puts the focus on it when it shows."""
    connect = app.find("button", s["connect"])
    app.wait(lambda: has(connect, pyatspi.STATE_FOCUSED), "focus on Connect")
    app.click(connect)


def connect_and_confirm(app, s, email, relink=False):
    click_connect(app, s)

    def failed():
        alert, words = alert_text(app, ignore=(s["linked"], s["attention_toast"], s["works_again"]))
        if words:
            raise Fail("the check failed: " + " / ".join(words))

    if relink:
        # A re-link ends with a toast on the accounts view, not a dialog.
        def toast():
            failed()
            return next((acc for acc in walk(app.root)
                         if role(acc) == "label" and s["works_again"] in text_of(acc)), None)
        label = app.wait(toast, f"the {s['works_again']!r} toast")
        diag(f"the re-link confirmation is a toast ({role(label.parent)} {label.parent.name!r}) "
             f"reading {text_of(label)!r}")
        return label

    # The confirmation, as the documentation describes it.
    def confirmation():
        failed()
        return next((acc for acc in walk(app.root)
                     if role(acc) == "alert" and spoken_name(acc.name) == s["linked"]), None)

    dialog = app.wait(confirmation, f"the {s['linked']!r} confirmation")
    check_names(app, "the confirmation")
    body = [text_of(acc) for acc in walk(dialog) if role(acc) == "label" and email in text_of(acc)]
    assert body, f"the confirmation does not name {email}"
    app.click(app.find("button", s["done"], scope=dialog))
    return dialog


def check_accounts_list(app, s, email):
    accounts = app.find("list", s["accounts"])
    rows = app.wait(lambda: [acc for acc in walk(accounts)
                             if email in (acc.name or "") or (role(acc) == "label" and email in text_of(acc))],
                    f"{email} in the accounts list")
    return rows


# Scenario 1 (and 4): first-time setup

def scenario_first_time(server, language="en"):
    s = STRINGS[language]
    keyring_clear(EMAIL)
    if language != "en":
        catalogue = os.path.join(LOCALEDIR, language, "LC_MESSAGES", "oneflow-link.mo")
        if not os.path.exists(catalogue):
            ofltest.cannot_run(f"this build reads its translations from {LOCALEDIR}, which has no "
                               f"{catalogue}: install it first, or configure it with "
                               f"-Dlocaledir={BUILD_LOCALEDIR} (build-aux/run-tests.sh does)")
    app = App(server, language if language != "en" else None)
    try:
        if language != "en":
            app.wait(lambda: app.all("button", s["start"]) or app.all("button", "Start"),
                     "the welcome page")
            assert app.all("button", s["start"]), f"the app is in English, with {catalogue} there"
        start = app.find("button", s["start"])
        check_names(app, "the welcome page")
        app.click(start)

        # Step 1: the tick box has no AT-SPI action in GTK 4.8: Space, as a
        # person would press it, on the focused box.
        box = app.find("check box", s["enabled"])
        app.wait(lambda: has(box, pyatspi.STATE_FOCUSED), "focus on the first control of step 1")
        check_names(app, "step 1")
        next_button = app.find("button", s["next"])
        assert not has(next_button, pyatspi.STATE_SENSITIVE), "Next is active before step 1 is done"
        app.press(KEY_SPACE)
        app.wait(lambda: has(box, pyatspi.STATE_CHECKED), "the box to be ticked")
        app.wait(lambda: has(next_button, pyatspi.STATE_SENSITIVE), "Next to become sensitive")
        app.click(next_button)

        # Step 2: nothing to type; focus is on the first instruction.
        wait_first_instruction(app)
        check_names(app, "step 2")
        app.click(app.find("button", s["next"]))

        # Steps 3 and 4.
        fill_token_and_email(app, s, TOKEN, EMAIL)
        check_names(app, "the connect page")
        connect_and_confirm(app, s, EMAIL)
        check_accounts_list(app, s, EMAIL)
        check_names(app, "the accounts view")
        stored = keyring_lookup(EMAIL)
        assert stored == TOKEN, f"secret-tool found {stored!r}, not the token"

        # The desktop's Check Links checks every link; when the run is
        # over, a screen reader is told how it went, not only the rows.
        mark = EVENTS.mark()
        activate_check_links()
        told = wait_announcement(app, lambda data: data == s["checked_all"],
                                 f"that every link was checked ({s['checked_all']!r})", since=mark)
        diag(f"the check of every link is announced by the {told[2]} {told[3]!r}: {told[4]!r}")
    finally:
        app.quit()


# Scenario 1b: the keyboard alone

def scenario_keyboard(server):
    """Real key presses (XTest, through AT-SPI), nothing clicked: Enter,
    Space, the Alt+N mnemonic, Alt+Left, typing."""
    s = STRINGS["en"]
    keyring_clear(EMAIL)
    app = App(server)

    def on_page(title, since):
        # The header bar names the page that is showing; and the page has
        # put the focus where it goes (after event number @since, taken
        # before the key that went there), inside that page: a page that
        # is sliding away still shows its title for a moment.
        app.wait(lambda: app.all("label", title), f"the {title!r} page")
        app.wait(lambda: focus_moved(since) and any(inside_page(acc, title) for acc in app.focused()),
                 f"the focus to land on the {title!r} page")

    def typed(field, text, what):
        app.wait(lambda: field.queryText().characterCount == len(text),
                 f"{len(text)} characters typed into the {what}")

    try:
        start = app.find("button", s["start"])
        app.wait(lambda: has(start, pyatspi.STATE_FOCUSED), "focus on Start")
        app.press(KEY_RETURN)

        box = app.find("check box", s["enabled"])
        app.wait(lambda: has(box, pyatspi.STATE_FOCUSED), "focus on the box of step 1")
        app.press(KEY_SPACE)
        app.wait(lambda: has(box, pyatspi.STATE_CHECKED), "the box to be ticked")
        mark = EVENTS.mark()
        app.press(KEY_RETURN)
        on_page("Generate Token", mark)

        # Focus is on the first instruction: Enter goes on. Tab goes round
        # to Open Oneflow and back first, so the button is reachable.
        first = wait_first_instruction(app)
        tab_until(app, lambda f: role(f) == "button" and spoken_name(f.name, role(f)) == s["open"],
                  "Open Oneflow")
        tab_to(app, first, "the first instruction")
        mark = EVENTS.mark()
        app.press(KEY_RETURN)
        on_page("Paste Token", mark)
        field = find_token_field(app, s)
        wait_keyboard_focus(app, field, "token field", since=mark)
        app.type_keys(TOKEN)
        typed(field, TOKEN, "token field")
        # Typed key by key: the field and its events have only the mask.
        assert_token_hidden(app, field, TOKEN, since=mark)
        mark = EVENTS.mark()
        app.press(KEY_RETURN)
        on_page("User Email", mark)
        field = find_email_field(app, s)
        wait_keyboard_focus(app, field, "email field", since=mark)
        app.type_keys(EMAIL)
        typed(field, EMAIL, "email field")

        # Alt+Left goes back, and keeps what was typed; Alt+N goes on.
        mark = EVENTS.mark()
        app.press_alt(KEY_LEFT)
        on_page("Paste Token", mark)
        mark = EVENTS.mark()
        app.press_alt(KEY_N)
        on_page("User Email", mark)
        field = find_email_field(app, s)
        assert field_text(field, "email field") == EMAIL, f"the email field has {text_of(field)!r}"

        # Quick hands: Alt+N while the pages still slide after Alt+Left.
        # The page sliding away has a Next of its own; it must not make
        # Alt+N ambiguous (GTK would then only move the focus).
        mark = EVENTS.mark()
        app.press_alt(KEY_LEFT)
        app.press_alt(KEY_N)
        on_page("User Email", mark)
        field = find_email_field(app, s)
        app.press(KEY_RETURN)

        connect = app.find("button", s["connect"])
        app.wait(lambda: has(connect, pyatspi.STATE_FOCUSED), "focus on Connect")
        app.press(KEY_RETURN)
        app.wait(lambda: next((acc for acc in app.focused()
                               if spoken_name(acc.name, role(acc)) == s["done"]), None), "focus on Done")
        app.press(KEY_RETURN)
        app.wait(lambda: not any(role(acc) == "dialog" for acc in walk(app.root)), "the confirmation to close")
        check_accounts_list(app, s, EMAIL)
        stored = keyring_lookup(EMAIL)
        assert stored == TOKEN, f"secret-tool found {stored!r}, not the token"
    finally:
        app.quit()


# Scenario 1c: what a screen reader is told while the check runs

def scenario_status(server):
    """Connect against a slow Oneflow: the page says it is busy, focus is
    on a control that is showing (Stop Checking), and the outcome takes
    focus (the confirmation's Done)."""
    s = STRINGS["en"]
    keyring_clear(EMAIL)
    app = App(server)
    try:
        app.click(app.find("button", "I Already Have a Token"))
        fill_token_and_email(app, s, TOKEN, EMAIL)
        click_connect(app, s)
        # Wait (pumping the events in as they come, so their sources are
        # read while they exist) until the focus moved on from Connect.
        focused = app.wait(lambda: [f for f in app.focused() if spoken_name(f.name, role(f)) != s["connect"]],
                           "the focus to move on from Connect")
        focus = [f"{role(f)} {f.name!r}" for f in focused]

        busy = app.wait(lambda: next((acc for acc in walk(app.root) if has(acc, pyatspi.STATE_BUSY)), None),
                        "a busy state while checking")
        diag(f"busy while checking: {role(busy)} {busy.name!r}")
        app.wait(lambda: any(has(acc, pyatspi.STATE_BUSY) for acc in app.all("list", s["checks"])),
                 f"the {s['checks']!r} list to be busy while checking")
        # The focus may first be reported on an unnamed control for an
        # instant as Connect hides (1 run in 4, both stacks; not found yet,
        # see the session note); it must settle on Stop Checking while the
        # check runs.
        if not any(role(f) == "button" and spoken_name(f.name, role(f)) == s["stop"] for f in focused):
            diag(f"the focus passed through {focus} first")
            app.wait(lambda: any(role(f) == "button" and spoken_name(f.name, role(f)) == s["stop"]
                                 for f in app.focused()),
                     f"while checking, the focus to settle on {s['stop']!r} (it was on {focus or 'nothing'})")

        app.wait(lambda: next((acc for acc in app.focused() if spoken_name(acc.name, role(acc)) == s["done"]), None),
                 "focus on the confirmation's Done")

        # What a screen reader was told while the checks ran. GTK 4.8 has
        # no announcements: these events are what Orca hears.
        def told(kind, predicate, what):
            found = EVENTS.find(kind, predicate)
            if not found:
                seen = [e for e in EVENTS.seen if e[2] in ("list", "list item", "button")]
                raise AssertionError(f"no event {what}; seen: {seen}")
            return found
        # The assistant leaves the tree as the confirmation shows, right
        # after the list's last event: its name may no longer be readable
        # then (the busy list named above is the only list on the page).
        told("object:state-changed:busy", lambda d, r, n, data: d == 0 and r == "list" and n in (s["checks"], ""),
             f"that the {s['checks']!r} list is done")
        renamed = told("object:property-change:accessible-name",
                       lambda d, r, n, data: r == "list item" and data == s["token_ok"],
                       f"that the token check's row now reads {s['token_ok']!r}")
        # The app renames the row, then describes it, then describes Stop
        # Checking, one after the other. Their sources' names are read
        # when the events are handled, by when a fast check may have left
        # the tree: what follows the rename is what was said of that row.
        after = EVENTS.seen.index(renamed) + 1
        following = [e for e in EVENTS.seen[after:] if e[0] == "object:property-change:accessible-description"]
        row_said = next((e for e in following if e[2] == "list item"), None)
        assert row_said and row_said[4].startswith(s["passed"]), \
            f"the token check's row is not described {s['passed']!r}, but {row_said}; seen: {following}"
        stop_said = next((e for e in following if e[2] == "button"), None)
        assert stop_said and stop_said[4] == s["token_ok"] and stop_said[3] in (s["stop"], ""), \
            f"the focused {s['stop']!r} is not described {s['token_ok']!r}, but {stop_said}; seen: {following}"
    finally:
        app.quit()


# Scenario 2: a rejected token

def scenario_rejected(server):
    s = STRINGS["en"]
    keyring_clear(EMAIL)
    server.post("revoke", token=TOKEN)
    app = App(server)
    try:
        app.click(app.find("button", "I Already Have a Token"))
        fill_token_and_email(app, s, TOKEN, EMAIL)
        click_connect(app, s)

        # The failed check says so in its state and in words.
        failed = app.find("list item", s["token_failed"])
        assert has(failed, pyatspi.STATE_INVALID_ENTRY) or has(failed, pyatspi.STATE_INVALID), \
            "the failed check is not marked invalid"
        alert, words = app.wait(lambda: alert_text(app)[1] and alert_text(app), "an alert with the failure")
        assert words, "the alert has no readable text"
        diag(f"the alert is named {alert.name!r}, described {alert.description!r}, and reads: " + " / ".join(words))
        assert any("token" in w.lower() for w in words), "the message does not mention the token"

        # The fix-it control has focus, and takes it back to the token field.
        fix = app.find("button", s["fix_token"])
        app.wait(lambda: has(fix, pyatspi.STATE_FOCUSED), "focus on the fix-it button")
        # What a screen reader reads with that focus: the failure, as the
        # button's description.
        assert words[0] in (fix.description or ""), \
            f"the fix-it button is described {fix.description!r}, not by {words[0]!r}"
        assert alert.name == words[0], f"the alert is named {alert.name!r}, not {words[0]!r}"
        # The failed check's row says so in its description too (the state
        # icon is not text). Its events went out before any AT-SPI client
        # had looked at the list (shown as the check starts; a rejection
        # is quick), so GTK 4.8 sent none: the state read back is what
        # counts here, and scenario 3 hears the events of a slower check.
        assert (failed.description or "").startswith(s["failed"]), \
            f"the failed check is described {failed.description!r}"
        mark = EVENTS.mark()
        app.click(fix)
        field = find_token_field(app, s)
        wait_keyboard_focus(app, field, "token field", since=mark)
        # The token typed before is still there, still masked.
        assert_token_hidden(app, field, TOKEN)

        assert keyring_lookup(EMAIL) is None, "a rejected token was stored"
    finally:
        app.quit()


# Scenario 3: re-link after Oneflow revoked the token

def scenario_relink(server):
    s = STRINGS["en"]
    keyring_clear(EMAIL)
    # A working link first, the way a person makes one.
    app = App(server)
    try:
        app.click(app.find("button", "I Already Have a Token"))
        fill_token_and_email(app, s, TOKEN, EMAIL)
        connect_and_confirm(app, s, EMAIL)
        check_accounts_list(app, s, EMAIL)
    finally:
        app.quit()
    assert keyring_lookup(EMAIL) == TOKEN

    server.post("revoke", token=TOKEN)
    app = App(server)
    try:
        # The row of the link, and the buttons inside it.
        accounts = app.find("list", s["accounts"])
        header = app.wait(lambda: next((acc for acc in walk(accounts)
                                        if role(acc) == "list item" and acc.name == EMAIL), None),
                          f"the row of {EMAIL}")
        # Its buttons are inside the collapsed row, and are not in the
        # tree until it opens (GTK 4.18 exports no hidden widget): open it
        # the way a keyboard user does, with focus on the row and Enter.
        tab_to(app, header, "the row")
        app.press(KEY_RETURN)

        def opened_row():
            # The expander row around that header holds the row's buttons.
            row = header.parent
            while row is not None and row != accounts:
                if app.all("button", s["check"], scope=row):
                    return row
                row = row.parent
            return None
        row = app.wait(opened_row, f"the row of {EMAIL} to open with its {s['check']!r} button")
        mark = EVENTS.mark()
        app.click(app.find("button", s["check"], scope=row))

        # The row now says it needs attention, in words.
        def status_words():
            words = [text_of(acc) for acc in walk(row) if role(acc) == "label"]
            return any(s["attention"] in w for w in words) and words
        words = app.wait(status_words, f"the row to say {s['attention']!r}")
        diag("the row reads: " + " / ".join(w for w in words if w.strip()))
        # …and a screen reader is told the outcome of that check, whose
        # link it is, and why (not only the toast).
        told = wait_announcement(app, lambda data: EMAIL in data and s["checked_attention"] in data,
                                 f"that the check of {EMAIL} found it needs attention", since=mark)
        diag(f"Check Now is announced by the {told[2]} {told[3]!r}: {told[4]!r}")

        app.click(app.find("button", s["relink"], scope=row))

        # The assistant opens with the email filled in. For a revoked token
        # the re-link flow (issue 4/7) starts at "Generate an API Token",
        # with a note that says what is being re-linked; the note is
        # readable text.
        def note():
            return next((text_of(acc) for acc in walk(app.root)
                         if role(acc) in ("label", "note", "alert", "panel", "section")
                         and has(acc, pyatspi.STATE_VISIBLE) and EMAIL in text_of(acc)
                         and s["relinking"] in text_of(acc)), None)
        diag("the re-link note reads: " + app.wait(note, "the re-link note"))

        # It starts at Generate Token, focus on the first instruction, and
        # Enter goes on.
        wait_first_instruction(app)
        mark = EVENTS.mark()
        app.press(KEY_RETURN)
        field = find_token_field(app, s)
        wait_keyboard_focus(app, field, "token field", since=mark)
        app.type_into(field, NEW_TOKEN)
        next_button = app.find("button", s["next"])
        app.wait(lambda: has(next_button, pyatspi.STATE_SENSITIVE), "Next to become sensitive")
        assert_token_hidden(app, field, NEW_TOKEN, since=mark)
        app.click(next_button)
        email_field = find_email_field(app, s)
        wait_keyboard_focus(app, email_field, "email field", since=mark)
        assert field_text(email_field, "email field") == EMAIL, f"the email field has {text_of(email_field)!r}"
        app.click(app.find("button", s["next"]))
        connect_and_confirm(app, s, EMAIL, relink=True)
        # The re-linked row takes the focus, and a screen reader is told
        # that the link works again, and whose it is: the app's own
        # announcement, not only the toast's.
        row = app.wait(lambda: next((f for f in app.focused() if role(f) == "list item" and f.name == EMAIL), None),
                       "focus on the re-linked row")
        told = wait_announcement(app, lambda data: EMAIL in data and s["works_again"] in data,
                                 f"that the link for {EMAIL} {s['works_again']}")
        diag(f"the re-linked row has the focus; announced by the {told[2]} {told[3]!r}: {told[4]!r}")
        check_accounts_list(app, s, EMAIL)
        stored = keyring_lookup(EMAIL)
        assert stored == NEW_TOKEN, f"secret-tool found {stored!r}, not the new token"
    finally:
        app.quit()


def with_server(function, *args, server_args=()):
    """The scenario @function, against a fake server of its own: revoking
    a token is for good."""
    def case():
        server = ofltest.FakeServer(FAKE_SERVER, *server_args)
        try:
            function(server, *args)
        finally:
            server.stop()
    return case


# The check must still be running when the test has walked the
# accessible tree to look at it, which takes seconds on a loaded machine;
# a sanitizer build is slower still.
SLOWDOWN = float(os.environ.get("OFL_TEST_SLOWDOWN", "1"))


def main():
    global EVENTS
    launcher = start_a11y_bus()
    EVENTS = Events()
    try:
        return ofltest.run_tap([
            ("first-time setup by role and name; confirmation, accounts view, keyring",
             with_server(scenario_first_time)),
            ("the same with the keyboard alone: Enter, Space, Alt+N, Alt+Left, typing",
             with_server(scenario_keyboard)),
            ("status while checking: busy, focus on a control that shows, the outcome takes focus",
             with_server(scenario_status, server_args=("--latency", str(int(min(8000 * SLOWDOWN, 15000)))))),
            ("a rejected token: invalid state, readable message, focus back on the token, nothing stored",
             with_server(scenario_rejected)),
            ("re-link from the accounts view after the token was revoked", with_server(scenario_relink)),
            ("first-time setup in Swedish, by the Swedish names", with_server(scenario_first_time, "sv")),
        ], only=ONLY)
    finally:
        if launcher:
            launcher.terminate()
            launcher.wait(10)


if __name__ == "__main__":
    sys.exit(main())
