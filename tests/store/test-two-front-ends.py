#!/usr/bin/python3
# test-two-front-ends.py: two front ends write the same links at once
# (issue 15). A background check rewrites links.json with its verdicts
# while `--link` adds a link, 50 times: in even rounds the app's own
# (the desktop's "Check Links": D-Bus starts the app, app.check-links
# checks every link, the app quits), in odd ones `--check`. After each
# round no link is lost, and links.json holds exactly the links the
# keyring holds.
#
#   test-two-front-ends.py ONEFLOW_LINK FAKE_SERVER   (under ofl-test-env --keyring)
#
# A check reads links.json, asks Oneflow, then writes its verdicts back;
# a link saves its keyring item, then adds its entry to links.json. A
# write that does not re-read under the lock, or is not atomic, drops the
# other one's entry: the new keyring item is then missing from links.json
# (or from --list). TAP on stdout.

import json
import os
import re
import subprocess
import sys
import time

ONEFLOW_LINK, FAKE_SERVER = sys.argv[1:3]

sys.path.insert(0, os.path.join(os.environ["ONEFLOW_LINK_SOURCE_DIR"], "tests", "lib"))
from ofltest import (ACME_ID, ANNA, SCHEMA, TOKEN_ACME, TOOL_ENV, FakeServer, install_dbus_service,  # noqa: E402
                     name_has_owner, run_tap)

ROUNDS = 50
LINKS_JSON = os.path.join(os.environ["XDG_DATA_HOME"], "oneflow-link", "links.json")


def env():
    environment = dict(os.environ)
    environment["ONEFLOW_LINK_API_URL"] = server.url
    return environment


def start(*args):
    return subprocess.Popen([ONEFLOW_LINK, *args], env=env(), text=True, stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def finish(process, what, input=None):
    try:
        out, err = process.communicate(input=input, timeout=60)
    except subprocess.TimeoutExpired:
        process.kill()
        out, err = process.communicate()
        raise AssertionError(f"{what} hung\nstdout: {out}\nstderr: {err}")
    return process.returncode, out, err


def run(*args, input=None):
    return finish(start(*args), " ".join(args), input)


def keyring_links():
    """(email, account id) of every keyring item of ours."""
    result = subprocess.run(["secret-tool", "search", "--all", "xdg:schema", SCHEMA],
                            capture_output=True, text=True, timeout=20, env=TOOL_ENV)
    # secret-tool prints the attributes on stderr, the rest on stdout.
    emails = re.findall(r"^attribute\.email = (.*)$", result.stderr, re.M)
    accounts = re.findall(r"^attribute\.account-id = (.*)$", result.stderr, re.M)
    assert len(emails) == len(accounts) == result.stdout.count("label = "), result
    return sorted(zip(emails, accounts))


def file_links():
    """(email, account id) of every entry in links.json."""
    with open(LINKS_JSON) as f:
        text = f.read()
    try:
        entries = json.loads(text)["links"]
    except (ValueError, KeyError) as e:
        raise AssertionError(f"links.json does not parse ({e}): {text!r}")
    return sorted((entry["email"], entry["account_id"]) for entry in entries)


def listed_links():
    code, out, err = run("--list", "--json")
    assert code == 0, err
    return sorted((item["email"], item["account_id"]) for item in json.loads(out))


class AppCheck:
    """The app's background check: started through D-Bus activation, over
    when the app has quit, as it does once the verdicts are in."""

    def __init__(self):
        result = subprocess.run(["gapplication", "action", app_name, "check-links"],
                                capture_output=True, text=True, timeout=30, env=env())
        assert result.returncode == 0, result.stderr

    def finish(self):
        deadline = time.monotonic() + 30
        while name_has_owner(app_name):
            if time.monotonic() > deadline:
                raise AssertionError("the app did not quit after its check")
            time.sleep(0.02)
        return 0, "", ""


def start_check(round):
    return AppCheck() if round % 2 == 0 else start("--check")


def finish_check(check):
    return check.finish() if isinstance(check, AppCheck) else finish(check, "the check")


def test_link_during_check():
    code, _, err = run("--link", ANNA, input=TOKEN_ACME + "\n")
    assert code == 0, err
    kept = [(ANNA, ACME_ID)]
    assert keyring_links() == file_links() == kept

    # The fixture's users for every round, before any round starts.
    for round in range(ROUNDS):
        server.post("user", email=f"user{round:02d}@acme.example", active="true", account=ACME_ID)

    spent = {"together": 0.0, "keyring": 0.0, "list": 0.0, "unlink": 0.0}
    for round in range(ROUNDS):
        email = f"user{round:02d}@acme.example"
        began = time.monotonic()
        # Which one starts first, and how long Oneflow takes to answer,
        # change from round to round, so their writes meet in many ways.
        server.post("latency", endpoint="any", ms=str(round % 3 * 15))
        if round % 4 < 2:
            check = start_check(round)
            link = start("--link", email)
        else:
            link = start("--link", email)
            check = start_check(round)

        code, _, err = finish(link, f"--link {email}", TOKEN_ACME + "\n")
        assert code == 0, f"round {round}: --link exit {code}: {err}"
        code, _, err = finish_check(check)
        assert code == 0, f"round {round}: the check exit {code}: {err}"
        t1 = time.monotonic()
        kept.append((email, ACME_ID))
        in_keyring, in_file = keyring_links(), file_links()
        assert in_keyring == sorted(kept), f"round {round}: the keyring holds {in_keyring}"
        assert in_file == in_keyring, f"round {round}: links.json {in_file} != keyring {in_keyring}"
        t2 = time.monotonic()
        # What --list shows comes from both: now and then is enough.
        if round % 10 == 9:
            assert listed_links() == in_keyring, f"round {round}: --list does not show every link"
        t3 = time.monotonic()

        # Keep the rounds alike: two links, whatever came before.
        code, _, err = run("--unlink", email)
        assert code == 0, err
        kept.pop()
        t4 = time.monotonic()
        for what, seconds in zip(spent, (t1 - began, t2 - t1, t3 - t2, t4 - t3)):
            spent[what] += seconds
    print("# seconds spent: " + ", ".join(f"{what} {seconds:.1f}" for what, seconds in spent.items()), flush=True)


def main():
    global server, app_name
    server = FakeServer(FAKE_SERVER)
    # The app D-Bus starts checks each link against the API it was made
    # with: the fake server's.
    app_name = install_dbus_service(ONEFLOW_LINK)
    try:
        return run_tap([("link during a check, 50 times", test_link_during_check)])
    finally:
        server.stop()


if __name__ == "__main__":
    sys.exit(main())
