#!/usr/bin/python3
# test-cli.py: the real oneflow-link binary against the fake Oneflow server
#
#   test-cli.py --keyring           ONEFLOW_LINK FAKE_SERVER   (under ofl-test-env --keyring)
#   test-cli.py --no-secret-service ONEFLOW_LINK FAKE_SERVER   (under ofl-test-env --no-secret-service)
#
# TAP on stdout. Every run has its own $HOME, XDG dirs and D-Bus session
# from ofl-test-env, and no display. The tokens come from the fake
# server's header, so the fixture is defined in one place.

import json
import os
import pty
import re
import select
import subprocess
import sys
import time

MODE, ONEFLOW_LINK, FAKE_SERVER, LOCALEDIR = sys.argv[1:5]
ROOT = os.environ["OFL_TEST_ROOT"]

sys.path.insert(0, os.path.join(os.environ["ONEFLOW_LINK_SOURCE_DIR"], "tests", "lib"))
from ofltest import (ACME_ID, FIXTURE, ANNA, BERT, BETA_ID, CARL, DORA, TOKEN_ACME,  # noqa: E402
                     TOKEN_ACME_NEW, TOKEN_BETA, FakeServer, cannot_run, run_tap)

# Well-formed, but no account knows it.
TOKEN_UNKNOWN = "0000" + TOKEN_ACME[4:]
TOKEN_WRONG = "1111" + TOKEN_ACME[4:]
ALL_TOKENS = [TOKEN_ACME, TOKEN_ACME_NEW, TOKEN_BETA, TOKEN_UNKNOWN, TOKEN_WRONG]

# Everything the binary printed, for the secrecy check.
captured = []
cmdlines = []

KEYRING_SENTENCE = "Could not reach the keyring"


def run(*args, input=None, url=None, env_extra=None, timeout=20):
    env = dict(os.environ)
    env["ONEFLOW_LINK_API_URL"] = url if url is not None else server.url
    if env_extra:
        env.update(env_extra)
    process = subprocess.Popen([ONEFLOW_LINK, *args], env=env, text=True,
                               stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE)
    # Nothing secret may ever be on the command line of a running process.
    try:
        with open(f"/proc/{process.pid}/cmdline", "rb") as f:
            cmdlines.append(f.read())
    except OSError:
        pass
    out, err = process.communicate(input=input, timeout=timeout)
    captured.append(out)
    captured.append(err)
    return process.returncode, out, err


def link(email, token, **kwargs):
    return run("--link", email, input=token + "\n", **kwargs)


def secret_tool_lookup(email, account_id=None):
    args = ["secret-tool", "lookup", "xdg:schema", "org.example.OneflowLink", "email", email]
    if account_id:
        args += ["account-id", account_id]
    result = subprocess.run(args, capture_output=True, timeout=10)
    return result.stdout


def list_json():
    code, out, err = run("--list", "--json")
    assert code == 0, (code, err)
    return json.loads(out)


def assert_code(result, expected):
    code, out, err = result
    assert code == expected, f"exit {code}, expected {expected}\nstdout: {out}\nstderr: {err}"
    return out, err


def assert_one_error_line(err, *needles):
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == 1, f"expected one error line, got: {err!r}"
    for needle in needles:
        assert needle in lines[0], f"{needle!r} not in {lines[0]!r}"


def reset_keyring():
    subprocess.run(["secret-tool", "clear", "xdg:schema", "org.example.OneflowLink"],
                   capture_output=True, timeout=10)
    for email in (ANNA, BERT, CARL, DORA):
        subprocess.run(["secret-tool", "clear", "xdg:schema", "org.example.OneflowLink", "email", email],
                       capture_output=True, timeout=10)
    server.post("reset")


# Tests with a keyring

def test_help():
    out, _ = assert_code(run("--help"), 0)
    for needle in ("--link=EMAIL", "--list", "--check", "--unlink=EMAIL", "--account=ID", "--json",
                   "--token=EMAIL", "standard input", "oneflow-link --token anna@example.com"):
        assert needle in out, needle
    for code in range(7):
        assert re.search(rf"^\s+{code}\s+\S", out, re.M), f"exit code {code} not in --help"


def test_help_in_swedish():
    # --help is made before the options are parsed: it is in the person's
    # language only if the locale was set before then.
    catalogue = os.path.join(LOCALEDIR, "sv", "LC_MESSAGES", "oneflow-link.mo")
    if not os.path.exists(catalogue):
        cannot_run(f"no Swedish catalogue at {catalogue}: install it, or configure with -Dlocaledir=BUILD/po")
    locales = subprocess.run(["locale", "-a"], capture_output=True, text=True).stdout.split()
    if "sv_SE.utf8" not in locales:
        cannot_run("the sv_SE.UTF-8 locale is missing: generate it (locale-gen)")
    swedish = {"LANGUAGE": "sv", "LC_ALL": "sv_SE.UTF-8"}
    out, _ = assert_code(run("--help", env_extra=swedish), 0)
    for needle in ("Länkar den här datorn till ett Oneflow-konto", "--link=E-POST", "--token=E-POST"):
        assert needle in out, f"{needle!r} not in the Swedish --help:\n{out}"
    assert "Links this computer" not in out
    _, english = assert_code(run("--list", "--check"), 1)
    _, err = assert_code(run("--list", "--check", env_extra=swedish), 1)
    assert "--help" in err and err != english, err


def test_version():
    out, _ = assert_code(run("--version"), 0)
    assert out.startswith("oneflow-link ")


def test_starts_without_libsoup():
    # libsoup is opened on first use (src/core/ofl-soup.c): a start that
    # sends nothing never maps it. glibc's loader names every library it
    # loads under LD_DEBUG=libs.
    _, err = assert_code(run("--version", env_extra={"LD_DEBUG": "libs"}), 0)
    assert "libgtk-4.so" in err, "LD_DEBUG=libs printed nothing"
    assert "libsoup" not in err


def test_usage_errors():
    server.post("clear-requests")
    for args in (["--list", "--check"], ["--json"], ["--account", "1001"], ["--link", ANNA, "--json"],
                 ["--list", "--account", "1001"], ["--unlink", ANNA, "--account", ""]):
        _, err = assert_code(run(*args), 1)
        assert_one_error_line(err, "--help")
    _, err = assert_code(link("not-an-email", TOKEN_ACME), 1)
    assert_one_error_line(err, "@")
    assert server.requests() == [], "nothing may be sent on a usage error"


def test_malformed_tokens():
    server.post("clear-requests")
    for token, needle in ((TOKEN_ACME[:-1], "39"), (TOKEN_ACME + "f", "41"),
                          (TOKEN_ACME[:20] + " " + TOKEN_ACME[21:], "space"), ("", "empty")):
        _, err = assert_code(link(ANNA, token), 1)
        assert_one_error_line(err, needle)
    # No newline at all, and end of input at once: still one clear error.
    _, err = assert_code(run("--link", ANNA, input=""), 1)
    assert_one_error_line(err, "empty")
    assert server.requests() == [], "nothing may be sent for a malformed token"
    assert list_json() == []


def test_nothing_to_act_on():
    _, err = assert_code(run("--check"), 6)
    assert_one_error_line(err, "--link")
    _, err = assert_code(run("--unlink", ANNA), 6)
    assert_one_error_line(err, ANNA, "--list")
    out, _ = assert_code(run("--list"), 0)
    assert "--link" in out


def test_link_with_trailing_newline():
    reset_keyring()
    out, err = assert_code(run("--link", "Anna@Example.com", input=TOKEN_ACME + "\r\n"), 0)
    assert err == ""
    assert "Acme AB" in out and ACME_ID in out and "Anna" in out and "Workspaces:" in out
    # Exactly the normalised token, byte for byte.
    assert secret_tool_lookup(ANNA) == TOKEN_ACME.encode()
    links = list_json()
    assert len(links) == 1 and links[0]["status"] == "ok"


def test_list_json_fields():
    links = list_json()
    assert isinstance(links, list) and len(links) == 1
    item = links[0]
    assert set(item) == {"email", "account_id", "account_name", "user_name", "api_url", "status",
                         "last_checked", "problem", "workspaces"}, item.keys()
    assert item["email"] == ANNA
    assert item["account_id"] == ACME_ID
    assert item["account_name"] == FIXTURE["OFL_FAKE_ACCOUNT_ACME"]
    assert item["api_url"] == server.url
    assert item["status"] in ("ok", "needs-attention", "unchecked")
    assert item["problem"] is None
    assert re.match(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d", item["last_checked"])
    assert item["workspaces"] and all(set(w) == {"id", "name"} for w in item["workspaces"])
    assert all(isinstance(w["id"], int) and isinstance(w["name"], str) for w in item["workspaces"])


def test_failed_link_stores_nothing():
    before = list_json()
    # Deactivated user, unknown user, unknown token: Oneflow says no.
    for email, token, needle in ((BERT, TOKEN_ACME, BERT), (DORA, TOKEN_ACME, DORA),
                                 (CARL, TOKEN_UNKNOWN, "token")):
        _, err = assert_code(link(email, token), 2)
        assert_one_error_line(err, needle)
        assert secret_tool_lookup(email) == b""
    assert list_json() == before


def test_failed_relink_keeps_old_secret():
    assert secret_tool_lookup(ANNA) == TOKEN_ACME.encode()
    # Rejected.
    _, err = assert_code(link(ANNA, TOKEN_UNKNOWN), 2)
    assert_one_error_line(err, "request ID")
    assert secret_tool_lookup(ANNA) == TOKEN_ACME.encode()
    # No verdict.
    server.post("fault", endpoint="any", fault="503")
    try:
        _, err = assert_code(link(ANNA, TOKEN_ACME_NEW), 3)
        assert_one_error_line(err)
    finally:
        server.post("reset")
    assert secret_tool_lookup(ANNA) == TOKEN_ACME.encode()
    assert len(list_json()) == 1


def test_temporary_failures():
    for fault in ("503", "429", "invalid-json", "close-mid-body"):
        server.post("fault", endpoint="any", fault=fault)
        try:
            _, err = assert_code(link(CARL, TOKEN_ACME), 3)
            assert_one_error_line(err)
        finally:
            server.post("reset")
    # Nothing listens there.
    _, err = assert_code(link(CARL, TOKEN_ACME, url="http://127.0.0.1:9/v1"), 3)
    assert_one_error_line(err)
    assert secret_tool_lookup(CARL) == b""


def test_security_failures():
    _, err = assert_code(link(CARL, TOKEN_ACME, url="http://example.com/v1"), 5)
    assert_one_error_line(err, "https://")
    tls = FakeServer(FAKE_SERVER, "--tls")
    try:
        _, err = assert_code(link(CARL, TOKEN_ACME, url=tls.url), 5)
        assert_one_error_line(err)
        assert not any(r.get("has_token") for r in tls.requests()), "a token went to an untrusted server"
    finally:
        tls.stop()
    assert secret_tool_lookup(CARL) == b""


def test_check():
    # anna in Acme and in Beta: checked concurrently.
    assert_code(link(ANNA, TOKEN_BETA), 0)
    server.post("clear-requests")
    server.post("latency", endpoint="any", ms="300")
    try:
        out, err = assert_code(run("--check"), 0)
    finally:
        server.post("reset")
    assert err == ""
    assert "Acme AB" in out and "Beta Oy" in out
    pings = [r for r in server.requests() if r["endpoint"] == "ping"]
    assert len(pings) == 2, pings
    first, second = sorted(pings, key=lambda r: r["started_us"])
    assert second["started_us"] < first["finished_us"], "the links were not checked concurrently"

    # A revoked token needs attention; the other link stays ok.
    server.post("revoke", token=TOKEN_BETA)
    out, err = assert_code(run("--check", "--json"), 2)
    assert_one_error_line(err, "Beta Oy", "request ID")
    by_account = {item["account_id"]: item for item in json.loads(out)}
    assert by_account[BETA_ID]["status"] == "needs-attention"
    assert by_account[BETA_ID]["problem"] == "token-rejected"
    assert by_account[ACME_ID]["status"] == "ok"
    # ...and that is saved.
    saved = {item["account_id"]: item for item in list_json()}
    assert saved[BETA_ID]["status"] == "needs-attention"

    # No verdict now: the status is kept, and a link that still needs
    # attention still makes it 2.
    server.post("fault", endpoint="any", fault="500")
    try:
        assert_code(run("--check"), 2)
    finally:
        server.post("reset")
    saved = {item["account_id"]: item for item in list_json()}
    assert saved[BETA_ID]["status"] == "needs-attention"
    assert saved[BETA_ID]["problem"] == "token-rejected"
    assert saved[ACME_ID]["status"] == "ok"


def test_check_rejected_again_and_again():
    # Still anna in Acme (ok) and in Beta (revoked), from test_check. The
    # verifier once cancelled the requests still running when a token was
    # rejected, and libsoup 3.6 then crashed now and then (about one run
    # in fifteen, by a double unref or a freed hash table). Enough runs
    # that a return of that fails here.
    server.post("revoke", token=TOKEN_BETA)
    for attempt in range(25):
        out, err = assert_code(run("--check", "--json"), 2)
        assert_one_error_line(err, "Beta Oy")
        statuses = sorted(item["status"] for item in json.loads(out))
        assert statuses == ["needs-attention", "ok"], (attempt, statuses)


def test_check_temporary_only():
    assert_code(run("--unlink", ANNA, "--account", BETA_ID), 0)
    server.post("fault", endpoint="any", fault="503")
    try:
        _, err = assert_code(run("--check"), 3)
        assert_one_error_line(err, "Acme AB")
    finally:
        server.post("reset")
    assert list_json()[0]["status"] == "ok"


def test_relink_replaces():
    server.post("token", account=ACME_ID, token=TOKEN_ACME_NEW)
    out, _ = assert_code(link(ANNA, TOKEN_ACME_NEW), 0)
    assert "replaced" in out
    assert secret_tool_lookup(ANNA) == TOKEN_ACME_NEW.encode()
    items = subprocess.run(["secret-tool", "search", "--all", "xdg:schema", "org.example.OneflowLink",
                            "email", ANNA], capture_output=True, text=True, timeout=10)
    assert (items.stdout + items.stderr).count("label = ") == 1


def test_unlink_two_accounts():
    assert_code(link(ANNA, TOKEN_BETA), 2)  # revoked in test_check
    server.post("token", account=BETA_ID, token=TOKEN_UNKNOWN)
    assert_code(link(ANNA, TOKEN_UNKNOWN), 0)
    assert len(list_json()) == 2
    _, err = assert_code(run("--unlink", ANNA), 1)
    assert_one_error_line(err, "--account", ACME_ID, BETA_ID)
    assert len(list_json()) == 2
    _, err = assert_code(run("--unlink", ANNA, "--account", "999"), 6)
    assert_one_error_line(err)
    out, _ = assert_code(run("--unlink", ANNA, "--account", BETA_ID), 0)
    assert "Beta Oy" in out
    links = list_json()
    assert [(item["email"], item["account_id"]) for item in links] == [(ANNA, ACME_ID)]
    assert secret_tool_lookup(ANNA, BETA_ID) == b""
    assert secret_tool_lookup(ANNA, ACME_ID) == TOKEN_ACME_NEW.encode()
    with open(os.path.join(os.environ["XDG_DATA_HOME"], "oneflow-link", "links.json")) as f:
        assert BETA_ID not in f.read()


def test_terminal_prompt_hides_the_token():
    master, slave = pty.openpty()
    env = dict(os.environ, ONEFLOW_LINK_API_URL=server.url)
    process = subprocess.Popen([ONEFLOW_LINK, "--link", CARL], stdin=slave, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, env=env, text=True)
    os.close(slave)
    # Type only once the prompt is there, as a person would.
    early_err = ""
    deadline = time.monotonic() + 10
    while "not shown" not in early_err and time.monotonic() < deadline:
        if select.select([process.stderr], [], [], 0.1)[0]:
            chunk = os.read(process.stderr.fileno(), 4096).decode()
            if not chunk:
                break
            early_err += chunk
    os.write(master, (TOKEN_ACME + "\n").encode())
    out, err = process.communicate(timeout=20)
    err = early_err + err
    echoed = b""
    while select.select([master], [], [], 0.2)[0]:
        try:
            chunk = os.read(master, 4096)
        except OSError:
            break
        if not chunk:
            break
        echoed += chunk
    os.close(master)
    captured.extend([out, err, echoed.decode(errors="replace")])
    assert process.returncode == 0, (out, err)
    assert "not shown" in err, err
    assert TOKEN_ACME.encode() not in echoed, "the token was echoed on the terminal"
    assert secret_tool_lookup(CARL) == TOKEN_ACME.encode()


def test_cmdline_never_holds_the_token():
    # Sample /proc/PID/cmdline and environ while a slow --link runs.
    server.post("latency", endpoint="any", ms="300")
    env = dict(os.environ, ONEFLOW_LINK_API_URL=server.url)
    try:
        process = subprocess.Popen([ONEFLOW_LINK, "--link", ANNA], stdin=subprocess.PIPE,
                                   stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
        process.stdin.write((TOKEN_ACME_NEW + "\n").encode())
        process.stdin.close()
        samples = 0
        while process.poll() is None:
            for name in ("cmdline", "environ"):
                try:
                    with open(f"/proc/{process.pid}/{name}", "rb") as f:
                        cmdlines.append(f.read())
                        samples += 1
                except OSError:
                    pass
            time.sleep(0.02)
        out, err = process.stdout.read(), process.stderr.read()
        process.wait(20)
        captured.extend([out.decode(), err.decode()])
        assert process.returncode == 0, err
        assert samples > 0
    finally:
        server.post("reset")


def token_of(*args):
    """--token: its standard output is the one place a token may appear,
    so it is left out of what test_secrecy searches; its standard error
    is not."""
    code, out, err = run("--token", *args)
    captured[-2] = ""
    return code, out, err


def test_token():
    reset_keyring()
    assert_code(link(ANNA, TOKEN_ACME), 0)
    code, out, err = token_of(ANNA)
    assert (code, out, err) == (0, TOKEN_ACME + "\n", ""), (code, err)
    # The email as a person types it.
    code, out, _ = token_of(ANNA.upper())
    assert (code, out) == (0, TOKEN_ACME + "\n")

    code, out, err = token_of(CARL)
    assert (code, out) == (6, ""), (code, err)
    assert_one_error_line(err, CARL, "--list")
    assert_code(run("--token", ANNA, "--json"), 1)
    assert_code(run("--token", ANNA, "--list"), 1)

    # The same email in two accounts: which one must be said.
    server.post("token", account=BETA_ID, token=TOKEN_UNKNOWN)
    assert_code(link(ANNA, TOKEN_UNKNOWN), 0)
    code, out, err = token_of(ANNA)
    assert (code, out) == (1, ""), (code, err)
    assert_one_error_line(err, "--account", ACME_ID, BETA_ID)
    code, out, _ = token_of(ANNA, "--account", BETA_ID)
    assert (code, out) == (0, TOKEN_UNKNOWN + "\n")

    # Known to need attention: printed all the same, with a warning, exit 2.
    server.post("revoke", token=TOKEN_ACME)
    assert_code(run("--check"), 2)
    code, out, err = token_of(ANNA, "--account", ACME_ID)
    assert (code, out) == (2, TOKEN_ACME + "\n"), (code, err)
    assert_one_error_line(err, "needs attention", "Re-link")


def test_debug_output():
    # Every debug message of every layer; test_secrecy then searches it.
    debug = {"G_MESSAGES_DEBUG": "all"}
    out, err = assert_code(link(ANNA, TOKEN_ACME_NEW, env_extra=debug), 0)
    assert "DEBUG" in out + err, "no debug output was captured"
    assert_code(run("--check", "--json", env_extra=debug), 0)
    assert_code(link(ANNA, TOKEN_WRONG, env_extra=debug), 2)


def test_secrecy():
    assert cmdlines, "no command line was sampled"
    for line in cmdlines:
        for token in ALL_TOKENS:
            assert token.encode() not in line, "a token is on a command line"
    for text in captured:
        for token in ALL_TOKENS:
            assert token not in (text or ""), "a token is in the output"
    assert scan_files() > 0
    if MODE == "--keyring":
        # The search did cover gnome-keyring's own (encrypted) file.
        keyrings = os.path.join(os.environ["XDG_DATA_HOME"], "keyrings")
        assert any(name.endswith(".keyring") for name in os.listdir(keyrings))


def scan_files():
    roots = {ROOT, os.environ["HOME"]}
    for name in ("XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME", "XDG_STATE_HOME", "XDG_RUNTIME_DIR"):
        if os.environ.get(name):
            roots.add(os.environ[name])
    n_files = 0
    for root in roots:
        for directory, _, files in os.walk(root):
            for name in files:
                path = os.path.join(directory, name)
                if not os.path.isfile(path) or os.path.islink(path):
                    continue
                try:
                    with open(path, "rb") as f:
                        data = f.read()
                except OSError:
                    continue
                n_files += 1
                for token in ALL_TOKENS:
                    assert token.encode() not in data, f"{path} holds a token"
    return n_files


# Tests without any Secret Service

def test_no_secret_service():
    for args, token in ((["--link", ANNA], TOKEN_ACME), (["--list"], None), (["--list", "--json"], None),
                        (["--check"], None), (["--unlink", ANNA], None), (["--token", ANNA], None)):
        start = time.monotonic()
        code, out, err = run(*args, input=(token + "\n") if token else None)
        elapsed = time.monotonic() - start
        assert code == 4, (args, code, out, err)
        assert elapsed < 5, f"{args} took {elapsed:.1f} s"
        assert_one_error_line(err, KEYRING_SENTENCE, "flatpak override --talk-name=org.freedesktop.secrets")
        assert out == ""
    # The token was not even sent: nothing could keep it.
    assert not any(r.get("has_token") for r in server.requests())
    assert not os.path.exists(os.path.join(os.environ["XDG_DATA_HOME"], "oneflow-link", "links.json"))


def test_no_bus_at_all():
    env = {"DBUS_SESSION_BUS_ADDRESS": "unix:path=" + os.path.join(ROOT, "no-such-bus")}
    start = time.monotonic()
    code, out, err = link(ANNA, TOKEN_ACME, env_extra=env)
    assert code == 4, (code, out, err)
    assert time.monotonic() - start < 5
    assert_one_error_line(err, KEYRING_SENTENCE)


KEYRING_TESTS = [test_help, test_help_in_swedish, test_version, test_starts_without_libsoup, test_usage_errors, test_malformed_tokens,
                 test_nothing_to_act_on, test_link_with_trailing_newline, test_list_json_fields,
                 test_failed_link_stores_nothing, test_failed_relink_keeps_old_secret,
                 test_temporary_failures, test_security_failures, test_check, test_check_rejected_again_and_again,
                 test_check_temporary_only, test_relink_replaces, test_unlink_two_accounts,
                 test_terminal_prompt_hides_the_token, test_cmdline_never_holds_the_token,
                 test_token, test_debug_output, test_secrecy]
NO_SERVICE_TESTS = [test_no_secret_service, test_no_bus_at_all, test_secrecy]


def main():
    global server
    tests = KEYRING_TESTS if MODE == "--keyring" else NO_SERVICE_TESTS
    server = FakeServer(FAKE_SERVER)
    try:
        return run_tap([(test.__name__, test) for test in tests])
    finally:
        server.stop()


if __name__ == "__main__":
    sys.exit(main())
