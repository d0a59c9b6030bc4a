#!/usr/bin/python3
# test-attacks-cli.py: what oneflow-link prints, what it reads, and its
# process, attacked (issue 18, items 5, 9, 10 and 13)
#
#   test-attacks-cli.py ONEFLOW_LINK FAKE_SERVER      (under ofl-test-env --keyring)
#
# - A server whose names, request IDs and details hold terminal escapes
#   (ESC, OSC, CSI, BEL), C1 controls, DEL, bidi overrides and line
#   breaks: nothing of it reaches the terminal raw, every error stays one
#   line, and --list --json stays valid JSON with the exact values.
# - Malformed standard input (a NUL, a second line, a line over 1,024
#   bytes) is refused with exit 1, and nothing is sent.
# - Stray arguments are a usage error, with no verb run.
# - Without a session bus, only the app's own message reaches stderr.
# - A crash while the token is in memory writes no core file.
#
# TAP on stdout, one line per case.

import json
import os
import re
import resource
import shutil
import signal
import subprocess
import sys
import tempfile
import time

ONEFLOW_LINK, FAKE_SERVER = sys.argv[1:3]
ROOT = os.environ["OFL_TEST_ROOT"]

sys.path.insert(0, os.path.join(os.environ["ONEFLOW_LINK_SOURCE_DIR"], "tests", "lib"))
from ofltest import ACME_ID, ANNA, CARL, SCHEMA, TOKEN_ACME, FakeServer, run_tap  # noqa: E402

EVE = "eve@example.com"
KEYRING_SENTENCE = "Could not reach the keyring"
# Upper bounds, not measurements: a sanitizer build sets OFL_TEST_SLOWDOWN.
SLOWDOWN = float(os.environ.get("OFL_TEST_SLOWDOWN", "1"))
HANG_LIMIT = 60 * SLOWDOWN

# What a hostile Oneflow calls things: a window title (OSC 0), a screen
# clear (CSI), 8-bit CSI (C1), a right-to-left override, a hyperlink
# (OSC 8), isolates, a line separator, NEL, DEL, and plain line breaks.
ACCOUNT_EVIL = "Acme\x1b]0;owned\x07\x1b[2J\x9b31m\u202eBA\nFake line\r\x7f"
WORKSPACE_EVIL = "Sales\x1b]8;;https://evil.example/\x1b\\click\x1b]8;;\x1b\\\u2066x\u2069\u2028y"
USER_EVIL = "Eve\x1b[31m Red\x07\n\x85Next"
REQUEST_ID_EVIL = "req\x1b[1A\x1b[2K\nFAKE: all good\x07"
DETAIL_EVIL = "denied\x1b]52;c;ZXZpbA==\x07\n\u202eevil"

# Raw, these act on a terminal, hide or reorder text, or break a line.
# A line feed is allowed only as the end of a line the app prints.
DANGEROUS = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]")

# Helpers' own environment: no fatal criticals, and never the API URL.
TOOL_ENV = {k: v for k, v in os.environ.items() if k not in ("G_DEBUG", "ONEFLOW_LINK_API_URL")}


class Run:
    def __init__(self, args, code, out, err):
        self.args, self.code, self.out, self.err = args, code, out, err

    def __repr__(self):
        return (f"oneflow-link {' '.join(self.args)!r}: exit {self.code}\n"
                f"  stdout: {self.out!r}\n  stderr: {self.err!r}")


def run(*args, input=b"", env_extra=None):
    env = dict(os.environ, ONEFLOW_LINK_API_URL=server.url)
    env.update(env_extra or {})
    if isinstance(input, str):
        input = input.encode()
    process = subprocess.Popen([ONEFLOW_LINK, *args], env=env, stdin=subprocess.PIPE,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        out, err = process.communicate(input=input, timeout=HANG_LIMIT)
    except subprocess.TimeoutExpired:
        process.kill()
        out, err = process.communicate()
        raise AssertionError(f"oneflow-link {args!r} hung and was killed\n{out!r}\n{err!r}")
    # Strictly UTF-8: a stray byte is as bad as a control.
    return Run(list(args), process.returncode, out.decode(), err.decode())


def link(email, token=TOKEN_ACME):
    return run("--link", email, input=token + "\n")


def expect(result, code):
    assert result.code == code, f"expected exit {code}\n{result!r}"
    return result


def assert_printable(text, what):
    bad = DANGEROUS.findall(text)
    assert not bad, f"{what} holds raw control characters {bad!r}: {text!r}"


def one_error_line(result, *needles):
    lines = result.err.splitlines()
    assert len(lines) == 1 and lines[0].strip(), f"expected one line on stderr\n{result!r}"
    assert_printable(lines[0], "stderr")
    for needle in needles:
        assert needle in lines[0], f"{needle!r} not in the message\n{result!r}"
    return lines[0]


def lookup(email):
    result = subprocess.run(["secret-tool", "lookup", "xdg:schema", SCHEMA, "email", email],
                            capture_output=True, timeout=20, env=TOOL_ENV)
    return result.stdout


def list_json():
    result = expect(run("--list", "--json"), 0)
    return json.loads(result.out)


def nothing_sent():
    requests = server.requests()
    assert requests == [], f"requests were sent: {requests!r}"


# Item 5: server text is shown with its controls as escapes

def test_link_prints_server_names_escaped():
    server.post("rename", account=ACME_ID, name=ACCOUNT_EVIL)
    server.post("rename", workspace="301", name=WORKSPACE_EVIL)
    server.post("user", email=EVE, name=USER_EVIL, account=ACME_ID)
    result = expect(link(EVE), 0)
    assert_printable(result.out, "--link's stdout")
    assert result.err == "", result
    # "Linked …", "Workspaces:" and one line a workspace: no more.
    assert len(result.out.splitlines()) == 5, result
    for escaped in ("Acme\\x1b]0;owned\\x07\\x1b[2J\\u009b31m\\u202eBA\\x0aFake line\\x0d\\x7f",
                    "Sales\\x1b]8;;https://evil.example/\\x1b\\click", "\\u2066x\\u2069\\u2028y",
                    "Eve\\x1b[31m Red\\x07\\x0a\\u0085Next"):
        assert escaped in result.out, f"{escaped!r} not shown\n{result!r}"


def test_list_prints_saved_names_escaped():
    result = expect(run("--list"), 0)
    assert_printable(result.out, "--list's stdout")
    # Email, account, user, status, last checked, API, workspaces.
    assert len(result.out.splitlines()) == 7, result
    assert "\\u202eBA\\x0aFake line" in result.out and "\\u2028y" in result.out, result


def test_list_json_is_valid_and_exact():
    for args in (["--list", "--json"], ["--check", "--json"]):
        result = expect(run(*args), 0)
        # Pretty-printed: line feeds and spaces between values only.
        assert_printable(result.out, f"{args} stdout")
        links = json.loads(result.out)
        assert len(links) == 1, result
        assert links[0]["account_name"] == ACCOUNT_EVIL, links[0]
        assert links[0]["user_name"] == USER_EVIL, links[0]
        assert links[0]["workspaces"][0]["name"] == WORKSPACE_EVIL, links[0]


def test_check_keeps_one_error_a_line():
    expect(link(ANNA), 0)
    server.post("fault", endpoint="any", fault="401")
    try:
        result = expect(run("--check"), 2)
    finally:
        server.post("reset")
    lines = result.err.splitlines()
    # Two links (anna and eve, both in the renamed account): two lines.
    assert len(lines) == 2, f"one error spread over several lines\n{result!r}"
    for line in lines:
        assert_printable(line, "--check's stderr")
        assert line.startswith((ANNA + " (Acme\\x1b]0;", EVE + " (Acme\\x1b]0;")), line
        assert "Fake line" in line


def test_server_problem_text_escaped():
    server.post("problem", detail=DETAIL_EVIL, request_id=REQUEST_ID_EVIL)
    server.post("fault", endpoint="workspaces", fault="403")
    try:
        for env in ({}, {"G_MESSAGES_DEBUG": "all"}):
            result = run("--link", CARL, input=TOKEN_ACME + "\n", env_extra=env)
            assert result.code == 2, result
            assert_printable(result.out, "stdout")
            assert_printable(result.err, "stderr")
            if not env:
                line = one_error_line(result, CARL)
                assert "req\\x1b[1A\\x1b[2K\\x0aFAKE: all good\\x07" in line, line
            else:
                # The debug log (GLib writes debug messages to stdout)
                # has Oneflow's own words, escaped too.
                assert "denied\\x1b]52;c;ZXZpbA==\\x07\\x0a\\u202eevil" in result.out, result
    finally:
        server.post("reset")
        server.post("problem", detail="", request_id="")


# Item 10: malformed standard input is refused, and nothing is sent

TOKEN = TOKEN_ACME.encode()
MALFORMED = [
    ("a NUL after the token", TOKEN + b"\0junk\n", "NUL"),
    ("a NUL at the end", TOKEN + b"\0", "NUL"),
    ("a NUL first", b"\0" + TOKEN + b"\n", "NUL"),
    ("padding past 1,024 bytes", TOKEN + b" " * 2000 + b"junk\n", "1024"),
    ("a 1,025-byte line", TOKEN + b" " * (1025 - len(TOKEN)), "1024"),
    ("two tokens", TOKEN + b"\n" + TOKEN + b"\n", "more than one line"),
    ("junk on a second line", TOKEN + b"\njunk", "more than one line"),
    ("the token on the second line", b"\n" + TOKEN + b"\n", "more than one line"),
]
WELL_FORMED = [
    ("one line", TOKEN + b"\n"),
    ("no line feed", TOKEN),
    ("CR LF", TOKEN + b"\r\n"),
    ("a blank line after it", TOKEN + b"\n\n"),
    ("a line of exactly 1,024 bytes", TOKEN + b" " * (1024 - len(TOKEN)) + b"\n"),
]


def test_malformed_stdin_refused():
    for description, data, needle in MALFORMED:
        server.post("clear-requests")
        result = run("--link", CARL, input=data)
        assert result.code == 1, f"{description}: expected exit 1\n{result!r}"
        one_error_line(result, needle, "nothing was sent")
        assert result.out == "", result
        nothing_sent()
        assert lookup(CARL) == b"", f"{description}: a token was saved"
        print(f"# {description}: {result.err.strip()}", flush=True)


def test_well_formed_stdin_accepted():
    for description, data in WELL_FORMED:
        result = run("--link", CARL, input=data)
        assert result.code == 0, f"{description}: expected exit 0\n{result!r}"
        assert lookup(CARL) == TOKEN, description
        expect(run("--unlink", CARL), 0)


def test_open_pipe_not_waited_for():
    # A program that writes the line and keeps the pipe open: what comes
    # after the line is checked as far as it has arrived, never waited for.
    env = dict(os.environ, ONEFLOW_LINK_API_URL=server.url)
    process = subprocess.Popen([ONEFLOW_LINK, "--link", CARL], env=env, stdin=subprocess.PIPE,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        process.stdin.write(TOKEN + b"\n")
        process.stdin.flush()
        code = process.wait(timeout=HANG_LIMIT)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
        raise AssertionError("--link waited for the pipe to close")
    finally:
        process.stdin.close()
    out, err = process.stdout.read(), process.stderr.read()
    assert code == 0, (code, out, err)
    assert lookup(CARL) == TOKEN
    expect(run("--unlink", CARL), 0)


# Item 13: stray arguments are a usage error

def test_stray_arguments_refused():
    before = list_json()
    for args in (["--list", "x", "x"], ["--list", "--json", "x"], ["--check", "x"], ["--unlink", ANNA, "x"],
                 ["--link", CARL, "x"], ["--version", "x"], ["x"], ["--list", "--", "x"]):
        server.post("clear-requests")
        result = run(*args, input=TOKEN_ACME + "\n")
        assert result.code == 1, f"expected exit 1\n{result!r}"
        one_error_line(result, "“x”", "--help")
        assert result.out == "", result
        nothing_sent()
    assert list_json() == before, "a verb ran despite the stray argument"
    assert lookup(CARL) == b""


# Item 13: without a session bus, libsecret's own warning stays in the debug log

def test_no_session_bus_one_message():
    # libsecret looks for the Secret portal on the session bus itself,
    # and warns when there is none, in a Flatpak or a snap: SNAP_NAME is
    # how a test makes it look.
    no_bus = {"DBUS_SESSION_BUS_ADDRESS": "unix:path=" + os.path.join(ROOT, "no-such-bus"),
              "SNAP_NAME": "oneflow-link"}
    for args, data in ((["--list"], ""), (["--list", "--json"], ""), (["--check"], ""),
                       (["--unlink", ANNA], ""), (["--link", ANNA], TOKEN_ACME + "\n")):
        result = run(*args, input=data, env_extra=no_bus)
        assert result.code == 4, f"expected exit 4\n{result!r}"
        one_error_line(result, KEYRING_SENTENCE)
        assert "libsecret" not in result.err and "session bus" not in result.err, result
    # Demoted, not lost: there for whoever asks for the debug log.
    result = run("--list", env_extra=dict(no_bus, G_MESSAGES_DEBUG="all"))
    assert result.code == 4, result
    assert re.search(r"libsecret-DEBUG.*couldn't get session bus", result.out + result.err), result


# Item 9: a crash while the token is in memory leaves no core

def start_with_core(command, cwd):
    """command in cwd, with no limit on the size of a core file."""
    def unlimited_core():
        hard = resource.getrlimit(resource.RLIMIT_CORE)[1]
        resource.setrlimit(resource.RLIMIT_CORE, (hard, hard))

    env = dict(os.environ, ONEFLOW_LINK_API_URL=server.url)
    return subprocess.Popen(command, cwd=cwd, env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            stderr=subprocess.DEVNULL, preexec_fn=unlimited_core)


def abort(process):
    """SIGABRT, as a crash would; whether the kernel says it dumped a core."""
    process.send_signal(signal.SIGABRT)
    _, status = os.waitpid(process.pid, 0)
    process.returncode = -signal.SIGABRT   # reaped here
    assert os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGABRT, f"status {status:#x}"
    return os.WCOREDUMP(status)


def test_crash_dumps_no_core():
    pattern = open("/proc/sys/kernel/core_pattern").read().strip()
    hard = resource.getrlimit(resource.RLIMIT_CORE)[1]
    print(f"# core_pattern {pattern!r}, RLIMIT_CORE hard limit {hard}", flush=True)
    directory = tempfile.mkdtemp(dir=ROOT)
    try:
        # The control: a dumpable process that holds the token, killed the
        # same way, does leave a core here, with the token in it. So the
        # check of the app below can fail.
        control = start_with_core([sys.executable, "-c",
                                   "import sys; token = sys.stdin.readline(); print('ready', flush=True); "
                                   "sys.stdin.read()"], directory)
        control.stdin.write((TOKEN_ACME + "\n").encode())
        control.stdin.flush()
        assert control.stdout.readline() == b"ready\n"
        dumped = abort(control)
        cores = [os.path.join(directory, name) for name in os.listdir(directory)]
        assert dumped, f"a dumpable process left no core here (core_pattern {pattern!r}): this check could not fail"
        if cores:
            with open(cores[0], "rb") as f:
                assert TOKEN_ACME.encode() in f.read(), "the control's core does not hold the token"
        for core in cores:
            os.unlink(core)

        # The app, with the token read and its first request held by the
        # server: well inside main(), and holding the token.
        server.post("fault", endpoint="any", fault="hang")
        server.post("clear-requests")
        app = start_with_core([ONEFLOW_LINK, "--link", ANNA], directory)
        app.stdin.write((TOKEN_ACME + "\n").encode())
        app.stdin.close()
        deadline = time.monotonic() + 20 * SLOWDOWN
        while not server.requests() and time.monotonic() < deadline:
            time.sleep(0.05)
        assert server.requests(), "the app sent no request"
        dumped = abort(app)
        left = os.listdir(directory)
        assert not dumped and not left, f"the crash dumped a core: {left!r}"
    finally:
        server.post("reset")
        shutil.rmtree(directory, ignore_errors=True)


TESTS = [test_link_prints_server_names_escaped, test_list_prints_saved_names_escaped,
         test_list_json_is_valid_and_exact, test_check_keeps_one_error_a_line,
         test_server_problem_text_escaped, test_malformed_stdin_refused, test_well_formed_stdin_accepted,
         test_open_pipe_not_waited_for, test_stray_arguments_refused, test_no_session_bus_one_message,
         test_crash_dumps_no_core]


def main():
    global server
    server = FakeServer(FAKE_SERVER)
    try:
        return run_tap([(test.__name__, test) for test in TESTS])
    finally:
        server.stop()


if __name__ == "__main__":
    sys.exit(main())
