#!/usr/bin/python3
# test-relink.py: `oneflow-link --relink EMAIL` (issue 4/7), the real
# binary against the fake server program, with a keyring and a display
#
#   test-relink.py ONEFLOW_LINK FAKE_SERVER   (under ofl-test-env --display --keyring)
#
# --relink registers the app and activates app.relink with the email, so
# it opens the re-link flow in the running instance, or becomes the
# instance. The window's title says which link and which step it is on
# ("Generate Token – Re-link anna@example.com"), which is what this test
# reads from the X server. TAP on stdout.

import json
import os
import re
import subprocess
import sys
import time

ONEFLOW_LINK, FAKE_SERVER = sys.argv[1:3]

sys.path.insert(0, os.path.join(os.environ["ONEFLOW_LINK_SOURCE_DIR"], "tests", "lib"))
from ofltest import (ANNA, CARL, TOKEN_ACME, TOKEN_ACME_NEW, FakeServer, app_id, end_process, install_dbus_service,  # noqa: E402
                     name_has_owner, run_tap)

started = []


def env():
    environment = dict(os.environ)
    environment["ONEFLOW_LINK_API_URL"] = server.url
    # No background check during the test: it would race the assertions
    # (check-links-on-open is off in the keyfile set up in main).
    environment["GSETTINGS_BACKEND"] = "keyfile"
    return environment


def run(*args, input=None, timeout=20):
    result = subprocess.run([ONEFLOW_LINK, *args], env=env(), input=input, text=True,
                            capture_output=True, timeout=timeout)
    return result.returncode, result.stdout, result.stderr


def start(*args):
    process = subprocess.Popen([ONEFLOW_LINK, *args], env=env(), text=True,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    started.append(process)
    return process


def assert_code(result, expected):
    code, out, err = result
    assert code == expected, f"exit {code}, expected {expected}\nstdout: {out}\nstderr: {err}"
    return out, err


def window_titles():
    result = subprocess.run(["xwininfo", "-root", "-tree"], capture_output=True, text=True, timeout=10)
    return re.findall(r'^\s+0x[0-9a-f]+ "([^"]*)"', result.stdout, re.M)


def wait_for_title(title, timeout=20):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        titles = window_titles()
        if title in titles:
            return titles
        time.sleep(0.2)
    raise AssertionError(f"no window titled {title!r}; windows: {window_titles()!r}")


def test_help():
    out, _ = assert_code(run("--help"), 0)
    assert "--relink=EMAIL" in out, out
    assert re.search(r"^\s+6\s.*--relink", out, re.M), "exit code 6 does not mention --relink"


def test_unknown_email():
    out, err = assert_code(run("--relink", "nobody@example.com"), 6)
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == 1, err
    assert "No link for nobody@example.com is saved on this computer" in lines[0], err
    assert "--list" in lines[0], err
    assert out == ""
    assert window_titles().count("Oneflow Link") == 0


def test_usage():
    _, err = assert_code(run("--relink", "not-an-email"), 1)
    assert "@" in err, err
    _, err = assert_code(run("--relink", ANNA, "--list"), 1)
    assert "--relink" in err, err


def test_opens_relink():
    assert_code(run("--link", ANNA, input=TOKEN_ACME + "\n"), 0)
    server.post("revoke", token=TOKEN_ACME)
    assert_code(run("--check"), 2)

    # No instance yet: this one becomes it, and opens at Generate.
    first = start("--relink", ANNA.upper())
    wait_for_title(f"Generate Token – Re-link {ANNA}")
    assert first.poll() is None, "the instance should keep running with its window"

    # With an instance: the request goes to it, and this one exits.
    assert_code(run("--relink", ANNA), 0)
    titles = wait_for_title(f"Generate Token – Re-link {ANNA}")
    assert len([t for t in titles if "Re-link" in t]) == 1, titles


def test_deactivated_opens_email_page():
    for process in started:
        process.terminate()
        process.wait(10)
    assert_code(run("--link", CARL, input=TOKEN_ACME_NEW + "\n"), 0)
    server.post("user", email=CARL, active="false")
    assert_code(run("--check"), 2)
    start("--relink", CARL)
    wait_for_title(f"User Email – Re-link {CARL}")


def test_check_links_action():
    """The desktop file's "Check Links", as GNOME runs it (DBusActivatable):
    D-Bus starts the app as a service, app.check-links checks every link
    in the background and records the verdicts, and the app then quits."""
    for process in started:
        if process.poll() is None:
            process.terminate()
            process.wait(10)
    assert not name_has_owner(app_id())
    name = install_dbus_service(ONEFLOW_LINK)

    # carl works again (reactivated), anna's token was revoked earlier.
    server.post("user", email=CARL, active="true")
    result = subprocess.run(["gapplication", "action", name, "check-links"],
                            capture_output=True, text=True, timeout=30)
    assert result.returncode == 0, result.stderr

    deadline = time.monotonic() + 20
    while name_has_owner(name) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not name_has_owner(name), "the app should quit once the verdicts are in"

    code, out, err = run("--list", "--json")
    assert code == 0, err
    status = {item["email"]: (item["status"], item["problem"]) for item in json.loads(out)}
    assert status[ANNA] == ("needs-attention", "token-rejected"), status
    assert status[CARL] == ("ok", None), status


def main():
    global server
    tests = [test_help, test_unknown_email, test_usage, test_opens_relink, test_deactivated_opens_email_page,
             test_check_links_action]
    server = FakeServer(FAKE_SERVER)
    subprocess.run(["gsettings", "set", "org.example.OneflowLink", "check-links-on-open", "false"],
                   env=dict(env()), check=True, timeout=20)
    try:
        return run_tap([(f"{test.__name__}", test) for test in tests])
    finally:
        for process in started:
            end_process(process)
        server.stop()


if __name__ == "__main__":
    sys.exit(main())
