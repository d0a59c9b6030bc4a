#!/usr/bin/python3
# test-dbus.py: org.example.OneflowLink.Links1, the integrations API, with
# a real D-Bus client (a GDBusProxy) on a private session bus, as an
# integration on the desktop would use it (issue 16). D-Bus starts the
# app; the fake Oneflow server answers; gnome-keyring keeps the tokens.
#
#   test-dbus.py ONEFLOW_LINK FAKE_SERVER   (under ofl-test-env --display --keyring)

import os
import re
import subprocess
import sys
import time

import gi

gi.require_version("Gio", "2.0")
from gi.repository import Gio, GLib  # noqa: E402

ONEFLOW_LINK, FAKE_SERVER = sys.argv[1:3]

sys.path.insert(0, os.path.join(os.environ["ONEFLOW_LINK_SOURCE_DIR"], "tests", "lib"))
from ofltest import (ACME_ID, ANNA, BETA_ID, CARL, DORA, TOKEN_ACME, TOKEN_BETA, FakeServer,  # noqa: E402
                     install_dbus_service, name_has_owner, run_tap)

INTERFACE = "org.example.OneflowLink.Links1"
LOG = os.path.join(os.environ["XDG_RUNTIME_DIR"], "oneflow-link-app.log")


def run(*args, input=None):
    env = dict(os.environ, ONEFLOW_LINK_API_URL=server.url)
    result = subprocess.run([ONEFLOW_LINK, *args], env=env, input=input, text=True,
                            capture_output=True, timeout=60)
    return result.returncode, result.stdout, result.stderr


def call(method, *args, signature=None):
    """A method call to the app's well-known name, as an integration
    makes it: D-Bus starts the app when it is not running."""
    bus = Gio.bus_get_sync(Gio.BusType.SESSION, None)
    parameters = GLib.Variant(signature, args) if signature else None
    return bus.call_sync(app_name, object_path, INTERFACE, method, parameters, None,
                         Gio.DBusCallFlags.NONE, 60000, None).unpack()


def remote_error(method, *args, signature=None):
    try:
        call(method, *args, signature=signature)
    except GLib.Error as error:
        return Gio.DBusError.get_remote_error(error), error.message
    raise AssertionError(f"{method}{args} did not fail")


def links_by_email():
    (links,) = call("ListLinks")
    return {(link["email"], link["account_id"]): link for link in links}


def wait_until(condition, what, timeout=30):
    deadline = time.monotonic() + timeout
    context = GLib.MainContext.default()
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        context.iteration(False)
        time.sleep(0.02)


def test_list_links():
    assert run("--link", ANNA, input=TOKEN_ACME + "\n")[0] == 0
    assert run("--link", DORA, input=TOKEN_BETA + "\n")[0] == 0
    assert not name_has_owner(app_name)

    # The first call starts the app through D-Bus activation.
    links = links_by_email()
    assert set(links) == {(ANNA, ACME_ID), (DORA, BETA_ID)}, links
    anna = links[(ANNA, ACME_ID)]
    assert anna["account_name"] == "Acme AB"
    assert anna["status"] == "ok" and anna["problem"] == ""
    assert anna["api_url"] == server.url
    assert anna["last_checked"] > 0
    assert ("Sales" in [name for _, name in anna["workspaces"]]), anna["workspaces"]
    # Never a token.
    assert TOKEN_ACME not in repr(links) and TOKEN_BETA not in repr(links)


def test_get_credentials():
    token, email, api_url = call("GetCredentials", ANNA.upper(), "", signature="(ss)")
    assert (token, email, api_url) == (TOKEN_ACME, ANNA, server.url)
    # "0" is "the only link of this email", as "".
    assert call("GetCredentials", DORA, "0", signature="(ss)")[0] == TOKEN_BETA
    assert call("GetCredentials", DORA, BETA_ID, signature="(ss)")[0] == TOKEN_BETA

    name, message = remote_error("GetCredentials", CARL, "", signature="(ss)")
    assert name == "org.example.OneflowLink.Error.NoSuchLink", (name, message)
    assert CARL in message
    name, _ = remote_error("GetCredentials", ANNA, BETA_ID, signature="(ss)")
    assert name == "org.example.OneflowLink.Error.NoSuchLink", name
    name, _ = remote_error("GetCredentials", "not an email", "", signature="(ss)")
    assert name == "org.example.OneflowLink.Error.MalformedEmail", name


def test_ensure_credentials_sees_a_revoked_token():
    changes = []
    bus = Gio.bus_get_sync(Gio.BusType.SESSION, None)
    subscription = bus.signal_subscribe(None, INTERFACE, "LinkChanged", object_path, None,
                                        Gio.DBusSignalFlags.NONE,
                                        lambda *args: changes.append(args[5].unpack()))
    try:
        call("EnsureCredentials", ANNA, ACME_ID, signature="(ss)")
        wait_until(lambda: (ANNA, ACME_ID, "ok") in changes, "LinkChanged after a check that passed")

        server.post("revoke", token=TOKEN_ACME)
        name, message = remote_error("EnsureCredentials", ANNA, "", signature="(ss)")
        assert name == "org.example.OneflowLink.Error.TokenRejected", (name, message)
        assert "token" in message.lower()
        # An integration waiting on the signal hears it, and the link now
        # needs attention for everyone (the accounts view, --list).
        wait_until(lambda: (ANNA, ACME_ID, "needs-attention") in changes, "LinkChanged to needs-attention")
        anna = links_by_email()[(ANNA, ACME_ID)]
        assert (anna["status"], anna["problem"]) == ("needs-attention", "token-rejected"), anna
        code, out, _ = run("--list", "--json")
        assert code == 0 and '"needs-attention"' in out, out

        # The credentials are still given: the integration finds out why.
        assert call("GetCredentials", ANNA, "", signature="(ss)")[0] == TOKEN_ACME

        # Unlinked by another process (the command line): the running app
        # reads the links again for each call.
        assert name_has_owner(app_name)
        assert run("--unlink", DORA)[0] == 0
        assert (DORA, BETA_ID) not in links_by_email()
        name, _ = remote_error("GetCredentials", DORA, "", signature="(ss)")
        assert name == "org.example.OneflowLink.Error.NoSuchLink", name
    finally:
        bus.signal_unsubscribe(subscription)


def test_exits_when_idle():
    # No window: a while after the last call is answered, the app goes.
    wait_until(lambda: not name_has_owner(app_name), "the app to exit with no window open", timeout=40)


def test_relink_opens_the_window():
    name, _ = remote_error("Relink", CARL, "", signature="(ss)")
    assert name == "org.example.OneflowLink.Error.NoSuchLink", name
    call("Relink", ANNA, ACME_ID, signature="(ss)")

    def titles():
        out = subprocess.run(["xwininfo", "-root", "-tree"], capture_output=True, text=True, timeout=10).stdout
        return re.findall(r'^\s+0x[0-9a-f]+ "([^"]*)"', out, re.M)

    wait_until(lambda: any(f"Re-link {ANNA}" in title for title in titles()), "the re-link window")
    assert name_has_owner(app_name), "the app should stay with its window open"
    subprocess.run(["gapplication", "action", app_name, "quit"], capture_output=True, timeout=30)
    wait_until(lambda: not name_has_owner(app_name), "the app to quit")


def test_logs_hold_the_caller_never_the_token():
    with open(LOG) as f:
        log = f.read()
    assert "DEBUG" in log, "the app's debug output was not captured"
    given = re.findall(r"GetCredentials: gave the token of (\S+) \((\d+)\) to (:\d+\.\d+)(, process \d+)?", log)
    assert (ANNA, ACME_ID) in [(email, account) for email, account, _, _ in given], log[-2000:]
    assert all(process for _, _, _, process in given), "the caller's process is not logged"
    for token in (TOKEN_ACME, TOKEN_BETA):
        assert token not in log, "a token is in the app's log"


def main():
    global server, app_name, object_path
    server = FakeServer(FAKE_SERVER)
    app_name = install_dbus_service(ONEFLOW_LINK, log=LOG)
    object_path = "/" + app_name.replace(".", "/")
    try:
        return run_tap([(test.__name__, test) for test in (
            test_list_links, test_get_credentials, test_ensure_credentials_sees_a_revoked_token,
            test_exits_when_idle, test_relink_opens_the_window, test_logs_hold_the_caller_never_the_token)])
    finally:
        if name_has_owner(app_name):
            subprocess.run(["gapplication", "action", app_name, "quit"], capture_output=True, timeout=30)
        server.stop()


if __name__ == "__main__":
    sys.exit(main())
