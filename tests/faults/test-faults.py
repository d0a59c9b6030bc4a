#!/usr/bin/python3
# test-faults.py: the fault table of issue 7/7, against the real binary
#
#   test-faults.py ONEFLOW_LINK FAKE_SERVER      (under ofl-test-env --keyring)
#
# For every fault: store a working link (anna, the old token), record the
# keyring secret and links.json, inject the fault, then run a re-link with
# a replacement token the server would accept, and --check. Each run must
# end within its bound with the documented exit code (never a signal), say
# what happened in one line on stderr, and leave the keyring holding the
# old token byte for byte and links.json valid JSON with the link.
#
# TAP on stdout, one line per check. Every run has its own $HOME, XDG dirs,
# D-Bus session and unlocked gnome-keyring from ofl-test-env, and no
# display. The request time-out is set to 2 s through GSettings (keyfile
# backend in the private $HOME).

import functools
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time

ONEFLOW_LINK, FAKE_SERVER = sys.argv[1:3]
ROOT = os.environ["OFL_TEST_ROOT"]
DATA_HOME = os.environ["XDG_DATA_HOME"]
LINKS_JSON = os.path.join(DATA_HOME, "oneflow-link", "links.json")

sys.path.insert(0, os.path.join(os.environ["ONEFLOW_LINK_SOURCE_DIR"], "tests", "lib"))
from ofltest import ACME_ID, ANNA, CARL, SCHEMA, TOOL_ENV, FakeServer, cannot_run, run_tap  # noqa: E402
from ofltest import finish_run, gdbus, keyring_pid, unlock_login, wait_for_login_locked  # noqa: E402
import ofltest  # noqa: E402
from ofltest import TOKEN_ACME as OLD  # noqa: E402  acme5b1c…: the working link
from ofltest import TOKEN_ACME_NEW as NEW  # noqa: E402  acme9f8e…: the replacement

REQUEST_TIMEOUT = 2       # seconds, set through GSettings below
# A network fault must be over within the request time-out plus the
# verifier's short retries; a keyring fault within a few seconds.
# Upper bounds, not measurements: a sanitizer build sets OFL_TEST_SLOWDOWN.
SLOWDOWN = float(os.environ.get("OFL_TEST_SLOWDOWN", "1"))
NETWORK_BOUND = (2 * REQUEST_TIMEOUT + 2) * SLOWDOWN
KEYRING_BOUND = 10 * SLOWDOWN
# Past this a run is a hang: it is killed and the check fails.
HANG_LIMIT = 90

KEYRING_SENTENCE = "Could not reach the keyring"
UNKNOWN_SENTENCE = "The keyring stopped answering while the link was being saved, so it may or may not have been saved"

# Running the binary

def cli_env(url=None, extra=None):
    env = dict(os.environ)
    env["ONEFLOW_LINK_API_URL"] = url if url is not None else server.url
    if extra:
        env.update(extra)
    return env


def start(*args, url=None, env_extra=None, command=None):
    return subprocess.Popen(command or [ONEFLOW_LINK, *args], env=cli_env(url, env_extra), text=True,
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def finish(process, args, began, input=None):
    return finish_run(process, args, began, input, HANG_LIMIT)


def run(*args, input=None, url=None, env_extra=None):
    began = time.monotonic()
    process = start(*args, url=url, env_extra=env_extra)
    return finish(process, list(args), began, input)


def relink(url=None, token=NEW):
    return run("--link", ANNA, input=token + "\n", url=url)


def check():
    return run("--check")


def expect(result, code, phrases, bound):
    """The documented exit code, no signal, in time, one clear line."""
    assert result.code >= 0, f"killed by signal {-result.code} (a crash)\n{result!r}"
    assert result.code == code, f"expected exit {code}\n{result!r}"
    assert result.elapsed < bound, f"took longer than {bound} s\n{result!r}"
    lines = [line for line in result.err.splitlines() if line.strip()]
    assert len(lines) == 1, f"expected one line on stderr\n{result!r}"
    for phrase in phrases:
        assert phrase in lines[0], f"{phrase!r} not in the message\n{result!r}"
    assert "**" not in lines[0] and "CRITICAL" not in lines[0] and "WARNING" not in lines[0], \
        f"a GLib log line, not a message for people\n{result!r}"
    # For the README's table: what a person sees.
    print(f"# {result.args[0]}: exit {result.code} after {result.elapsed:.2f} s: {lines[0]}", flush=True)
    return lines[0]


# The keyring and links.json

def lookup(api_url=None, email=ANNA):
    args = ["secret-tool", "lookup", "xdg:schema", SCHEMA, "email", email]
    if api_url:
        args += ["account-id", ACME_ID, "api-url", api_url]
    result = subprocess.run(args, capture_output=True, timeout=20, env=TOOL_ENV)
    return result.stdout


def count_items(email=ANNA):
    return ofltest.count_items(email)


def clear_keyring():
    subprocess.run(["secret-tool", "clear", "xdg:schema", SCHEMA, "email", ANNA],
                   capture_output=True, timeout=20, env=TOOL_ENV)


def plant(api_url, token=OLD):
    """A link as it was made while api_url still worked: the keyring item
    and its details, next to the real one."""
    subprocess.run(["secret-tool", "store", "--label", f"Oneflow API token for {ANNA} (Acme AB)",
                    "xdg:schema", SCHEMA, "email", ANNA, "account-id", ACME_ID, "api-url", api_url],
                   input=token.encode(), check=True, capture_output=True, timeout=20, env=TOOL_ENV)
    with open(LINKS_JSON) as f:
        details = json.load(f)
    entry = dict(next(e for e in details["links"] if e["email"] == ANNA))
    entry["api_url"] = api_url
    details["links"].append(entry)
    with open(LINKS_JSON, "w") as f:
        json.dump(details, f, indent=2)


def read_links_json():
    with open(LINKS_JSON, "rb") as f:
        return f.read()


def entries(raw, api_url):
    data = json.loads(raw)
    return [e for e in data["links"] if e.get("email") == ANNA and e.get("api_url") == api_url]


STABLE = ("email", "account_id", "account_name", "user_name", "api_url", "workspaces")


def assert_link_kept(before_raw, after_raw, api_url):
    """links.json still parses and still has the link, the same link."""
    try:
        after = entries(after_raw, api_url)
    except ValueError as e:
        raise AssertionError(f"links.json is no longer valid JSON: {e}\n{after_raw!r}")
    before = entries(before_raw, api_url)
    assert len(after) == 1, f"the link for {api_url} is gone from links.json:\n{after_raw.decode()}"
    for key in STABLE:
        if key in before[0]:
            assert after[0].get(key) == before[0][key], f"{key} changed: {before[0][key]!r} -> {after[0].get(key)!r}"
    return after[0]


class Snapshot:
    """The keyring secret(s) and links.json of a working link."""

    def __init__(self, api_urls):
        self.api_urls = api_urls
        self.secrets = {url: lookup(url) for url in api_urls}
        self.n_items = count_items()
        self.links_json = read_links_json()
        for url, secret in self.secrets.items():
            assert secret == OLD.encode(), f"the working link for {url} was not stored: {secret!r}"

    def assert_keyring_unchanged(self):
        for url in self.api_urls:
            now = lookup(url)
            assert now == self.secrets[url], \
                f"the keyring changed for {url}: {self.secrets[url]!r} -> {now!r}"
        assert count_items() == self.n_items, "the number of keyring items changed"

    def assert_links_json_unchanged(self):
        now = read_links_json()
        assert now == self.links_json, \
            f"links.json changed:\n--- before\n{self.links_json.decode()}\n--- after\n{now.decode()}"

    def assert_links_kept(self, no_verdict):
        """After --check: with no verdict (a temporary or security failure,
        or the keyring), the link must not be marked as needing attention."""
        now = read_links_json()
        for url in self.api_urls:
            entry = assert_link_kept(self.links_json, now, url)
            if no_verdict:
                assert entry.get("status") == "ok", \
                    f"a check without a verdict changed the status to {entry.get('status')!r}"


def fresh_link():
    """anna linked with the old token against the fake server, nothing else."""
    server.post("reset")
    clear_keyring()
    if os.path.exists(LINKS_JSON):
        os.unlink(LINKS_JSON)
    result = run("--link", ANNA, input=OLD + "\n")
    assert result.code == 0, f"could not store the working link\n{result!r}"
    assert lookup(server.url) == OLD.encode()


def closed_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# TAP

# Faults that the fake server injects on every request

SERVER_FAULTS = [
    # name, fault, relink exit, check exit, phrases, no verdict (the status stays ok)?
    ("a connection reset mid-body", "close-mid-body", 3, 3, ["broke off before its answer arrived"], True),
    ("a 10 MB body", "huge-json", 3, 3, ["far larger than expected"], True),
    ("a JSON array where an object belongs", "array", 3, 3, ["not a JSON object"], True),
    ("valid JSON with fields of the wrong types", "wrong-types", 3, 3, ["does not understand"], True),
    ("401", "401", 2, 2, ["did not accept this API token", "request ID"], False),
    ("403", "403", 2, 2, ["refused this API token access", "request ID"], False),
    ("404", "404", 3, 3, ["unexpected error (HTTP 404)", "API address", "request ID"], True),
    ("429 without Retry-After", "429", 3, 3, ["limiting how many requests", "a few minutes"], True),
    ("429 with Retry-After: 120", "429-retry-after", 3, 3, ["limiting how many requests", "120 seconds"], True),
    ("500", "500", 3, 3, ["not available right now", "request ID"], True),
    ("503", "503", 3, 3, ["not available right now", "request ID"], True),
    ("a redirect to http://", "redirect-http", 5, 5, ["pointed to another address", "http://127.0.0.1"], True),
    ("a redirect to another host", "redirect-host", 5, 5, ["pointed to another address", "evil.example.net"], True),
    ("a server that accepts and never answers", "hang", 3, 3, ["did not answer in time"], True),
]


def server_fault(fault, relink_code, check_code, phrases, no_verdict):
    fresh_link()
    snapshot = Snapshot([server.url])
    if fault == "429-retry-after":
        server.post("retry-after", value="120")
    server.post("fault", endpoint="any", fault=fault)

    result = relink()
    expect(result, relink_code, phrases, NETWORK_BOUND)
    if fault == "hang":
        assert result.elapsed >= REQUEST_TIMEOUT - 0.5, f"gave up before the time-out?\n{result!r}"
    snapshot.assert_keyring_unchanged()
    snapshot.assert_links_json_unchanged()

    result = check()
    expect(result, check_code, ["anna@example.com (Acme AB): "] + phrases, NETWORK_BOUND)
    snapshot.assert_keyring_unchanged()
    snapshot.assert_links_kept(no_verdict)


# Faults of the address: the link under test points there

def url_fault(kind, relink_code, check_code, phrases, no_verdict):
    extra = None
    if kind == "dns":
        url = "https://oneflow.invalid/v1"
    elif kind == "refused":
        url = f"http://127.0.0.1:{closed_port()}/v1"
    elif kind in ("tls", "expired"):
        extra = FakeServer(FAKE_SERVER, "--tls" if kind == "tls" else "--expired-certificate")
        url = extra.url
    try:
        fresh_link()
        # The link as it was made while that address worked, next to the
        # working one: a re-link to that address would replace it.
        plant(url)
        snapshot = Snapshot([server.url, url])

        result = relink(url=url)
        expect(result, relink_code, phrases, NETWORK_BOUND)
        snapshot.assert_keyring_unchanged()
        snapshot.assert_links_json_unchanged()

        result = check()
        expect(result, check_code, ["anna@example.com (Acme AB): "] + phrases, NETWORK_BOUND)
        assert "OK" in result.out, f"the working link was not checked OK\n{result!r}"
        snapshot.assert_keyring_unchanged()
        snapshot.assert_links_kept(no_verdict)
        if extra is not None:
            assert not any(r.get("has_token") for r in extra.requests()), \
                "a token went to a server whose certificate is not trusted"
    finally:
        if extra is not None:
            extra.stop()


# The keyring

def lock_login():
    result = gdbus("--dest", "org.freedesktop.secrets", "--object-path", "/org/freedesktop/secrets",
                   "--method", "org.freedesktop.Secret.Service.Lock",
                   "[objectpath '/org/freedesktop/secrets/collection/login']")
    assert result.returncode == 0, result.stderr
    locked = gdbus("--dest", "org.freedesktop.secrets",
                   "--object-path", "/org/freedesktop/secrets/collection/login",
                   "--method", "org.freedesktop.DBus.Properties.Get",
                   "org.freedesktop.Secret.Collection", "Locked")
    assert "true" in locked.stdout, f"the login keyring did not lock: {locked.stdout} {locked.stderr}"


def locked_keyring():
    fresh_link()
    snapshot = Snapshot([server.url])
    lock_login()
    try:
        result = relink()
        expect(result, 4, [KEYRING_SENTENCE, "unlocked"], KEYRING_BOUND)
        snapshot.assert_links_json_unchanged()
        result = check()
        expect(result, 4, ["anna@example.com (Acme AB): ", KEYRING_SENTENCE], KEYRING_BOUND)
    finally:
        unlock_login()
    snapshot.assert_keyring_unchanged()
    snapshot.assert_links_kept(no_verdict=True)


def restart_locked():
    """The daemon started again from the same $HOME without the password,
    as after a login that does not unlock the keyring."""
    result = subprocess.run(["gnome-keyring-daemon", "--replace", "--components=secrets"],
                            stdin=subprocess.DEVNULL, capture_output=True, timeout=30, env=TOOL_ENV)
    assert result.returncode == 0, result.stderr
    wait_for_login_locked(True)


def keyring_loaded_locked():
    fresh_link()
    snapshot = Snapshot([server.url])
    restart_locked()
    try:
        # Such a keyring hides which items are ours: that must not read as
        # "no link" (exit 0 or 6), but as the keyring error it is.
        result = relink()
        expect(result, 4, [KEYRING_SENTENCE, "unlocked"], KEYRING_BOUND)
        result = check()
        expect(result, 4, [KEYRING_SENTENCE, "unlocked"], KEYRING_BOUND)
        result = run("--list")
        expect(result, 4, [KEYRING_SENTENCE], KEYRING_BOUND)
        result = run("--unlink", ANNA)
        expect(result, 4, [KEYRING_SENTENCE], KEYRING_BOUND)
    finally:
        unlock_login()
    snapshot.assert_keyring_unchanged()
    snapshot.assert_links_json_unchanged()


def wait_for_verification(process, n_requests=1, timeout=10):
    """Until the fake server has seen and answered the requests of one
    verification (ping, account, users and workspaces at once, for the
    fixture's small account): the binary is then past the network, in
    the store."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        requests = [r for r in server.requests() if r.get("has_token")]
        if len(requests) >= n_requests and all(r.get("finished_us") for r in requests):
            return
        if process.poll() is not None:
            return
        time.sleep(0.01)
    raise AssertionError("the verification did not finish")


def wait_for_first_request(process, timeout=10):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.requests() or process.poll() is not None:
            return
        time.sleep(0.005)
    raise AssertionError("no request reached the fake server")


class KeyringCalls:
    """The method calls sent to the Secret Service, as the bus routes them:
    a monitor sees a call even while the daemon is frozen and cannot read
    it. Use as a context manager."""

    def __init__(self):
        self.lines = []
        self.process = subprocess.Popen(["dbus-monitor", "--session", "--profile",
                                         "type='method_call',destination='org.freedesktop.secrets'"],
                                        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
                                        env=TOOL_ENV)
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _read(self):
        for line in self.process.stdout:
            self.lines.append(line.rstrip("\n").split("\t"))

    def _wait(self, condition, what, timeout=10 * SLOWDOWN):
        deadline = time.monotonic() + timeout
        while not condition():
            assert time.monotonic() < deadline, f"the bus monitor never saw {what}: {self.lines!r}"
            time.sleep(0.01)

    def _pings(self):
        return [i for i, line in enumerate(self.lines) if line[0] == "mc" and line[-1] == "Ping"]

    def mark(self):
        """Sends a call of our own, a Ping, that the daemon need not answer;
        returns where the calls routed after it begin."""
        before = len(self._pings())
        # Sent, not waited for (and, unlike gdbus, with no Introspect first).
        subprocess.run(["dbus-send", "--session", "--type=method_call", "--dest=org.freedesktop.secrets",
                        "/", "org.freedesktop.DBus.Peer.Ping"], check=True, timeout=20, env=TOOL_ENV)
        self._wait(lambda: len(self._pings()) > before, "our Ping")
        return self._pings()[before] + 1

    def wait_for_call(self, after, process):
        """Waits until a call other than our Pings is routed after @after
        (or @process has exited)."""
        self._wait(lambda: process.poll() is not None or
                   any(line[0] == "mc" and line[-1] != "Ping" for line in self.lines[after:]),
                   "a call to the keyring")

    def __enter__(self):
        # The bus tells a new monitor that its own name is lost once the
        # monitor is in place; our Ping then shows that it sees calls.
        self._wait(lambda: any(line[0] == "sig" and line[-1] == "NameLost" for line in self.lines),
                   "itself become a monitor")
        self.mark()
        return self

    def __exit__(self, *exc):
        self.process.kill()
        self.process.wait(5)


def keyring_disappears():
    fresh_link()
    server.post("token", account=ACME_ID, token=NEW)
    snapshot = Snapshot([server.url])
    server.post("clear-requests")
    server.post("latency", endpoint="any", ms="300")
    pid = keyring_pid()
    began = time.monotonic()
    with KeyringCalls() as calls:
        process = start("--link", ANNA)
        process.stdin.write(NEW + "\n")
        process.stdin.flush()
        try:
            # Past the keyring listing (the network comes after it), freeze
            # the daemon, so the store call is sent and waits; then the
            # daemon dies with the call in flight.
            wait_for_first_request(process)
            os.kill(pid, signal.SIGSTOP)
            frozen = calls.mark()
            wait_for_verification(process, n_requests=4)
            calls.wait_for_call(frozen, process)
            os.kill(pid, signal.SIGKILL)
        finally:
            try:
                os.kill(pid, signal.SIGCONT)
            except ProcessLookupError:
                pass
    result = finish(process, ["--link", ANNA], began)
    # Not saved (here the daemon died before it could store anything),
    # or, if libsecret saw the call go unanswered, not known.
    line = expect(result, 4, [], KEYRING_BOUND)
    assert (KEYRING_SENTENCE in line and "not saved" in line) or UNKNOWN_SENTENCE in line, f"{result!r}"
    # Back from the same $HOME: the old item, byte for byte.
    unlock_login()
    snapshot.assert_keyring_unchanged()
    snapshot.assert_links_json_unchanged()

    # --check: the token is read, then the daemon dies while Oneflow
    # answers; the result is saved after that.
    server.post("clear-requests")
    pid = keyring_pid()
    began = time.monotonic()
    process = start("--check")
    wait_for_first_request(process)
    os.kill(pid, signal.SIGKILL)
    result = finish(process, ["--check"], began)
    # Not "there is no saved link" (exit 6): the daemon D-Bus starts in
    # its place has the keyring locked, which hides the item.
    expect(result, 4, ["anna@example.com (Acme AB): ", KEYRING_SENTENCE, "result of the check was not saved"],
           KEYRING_BOUND)
    unlock_login()
    snapshot.assert_keyring_unchanged()
    snapshot.assert_links_kept(no_verdict=True)


def carl_details():
    try:
        return [e for e in json.loads(read_links_json())["links"] if e.get("email") == CARL]
    except FileNotFoundError:
        return []


def keyring_item_without_its_token():
    """A keyring item whose secret is not a token (a daemon killed while
    saving once kept an item without its secret): --check says the saved
    token is empty or damaged and that the link must be made again, exit 2,
    with nothing sent to Oneflow for it; --token says the same."""
    fresh_link()
    subprocess.run(["secret-tool", "store", "--label", f"Oneflow API token for {ANNA} (Acme AB)",
                    "xdg:schema", SCHEMA, "email", ANNA, "account-id", ACME_ID, "api-url", server.url],
                   input=b"damaged", check=True, capture_output=True, timeout=20, env=TOOL_ENV)
    assert count_items() == 1
    server.post("clear-requests")
    result = check()
    line = expect(result, 2, ["anna@example.com (Acme AB): ", "empty or damaged", "Link it again"], NETWORK_BOUND)
    assert not [r for r in server.requests() if r.get("has_token")], f"the damaged token was sent\n{line}"
    listed = run("--list").out
    assert "Needs attention" in listed, listed
    # A script asking for it gets no "damaged" token, but the same reason.
    token = run("--token", ANNA)
    assert token.code == 2 and token.out == "", token
    assert "empty or damaged" in token.err, token


def keyring_dies_during_new_link():
    """Issue 18, item 7: the daemon dies with a new link's store call on
    its way. Whatever it did with the call, what is said and what is kept
    agree: exit 0 with the link whole; or exit 4 saying the link may or
    may not have been saved, and a token that did land has its details.
    Each attempt lets the daemon run a little longer before the kill."""
    outcomes = []
    for attempt in range(8):
        fresh_link()
        subprocess.run(["secret-tool", "clear", "xdg:schema", SCHEMA, "email", CARL],
                       capture_output=True, timeout=20, env=TOOL_ENV)
        server.post("clear-requests")
        server.post("latency", endpoint="any", ms="300")
        pid = keyring_pid()
        began = time.monotonic()
        with KeyringCalls() as calls:
            process = start("--link", CARL)
            process.stdin.write(OLD + "\n")
            process.stdin.flush()
            try:
                # As in keyring_disappears: the store call is sent and waits
                # on the frozen daemon; then it runs for 0-7 ms (a spread of
                # moments to die at, not a wait), and dies.
                wait_for_first_request(process)
                os.kill(pid, signal.SIGSTOP)
                frozen = calls.mark()
                wait_for_verification(process, n_requests=4)
                calls.wait_for_call(frozen, process)
                os.kill(pid, signal.SIGCONT)
                time.sleep(attempt * 0.001)
                os.kill(pid, signal.SIGKILL)
            finally:
                try:
                    os.kill(pid, signal.SIGCONT)
                except ProcessLookupError:
                    pass
        result = finish(process, ["--link", CARL], began)
        unlock_login()
        stored = lookup(email=CARL) == OLD.encode()
        details = carl_details()
        if result.code == 0:
            expect_ok = stored and details and details[0].get("account_name") == "Acme AB"
            assert expect_ok, f"exit 0 but the link is not whole: token {stored}, details {details}\n{result!r}"
        else:
            line = expect(result, 4, [], KEYRING_BOUND)
            if UNKNOWN_SENTENCE not in line:
                # Said "not saved": then it was not.
                assert KEYRING_SENTENCE in line and "not saved" in line, f"{result!r}"
                assert not stored, f"the message says not saved, but the token was stored\n{result!r}"
            elif stored:
                assert details and details[0].get("account_name") == "Acme AB", \
                    f"the token was stored without its details: {details}\n{result!r}"
            listed = run("--list").out
            present = count_items(email=CARL) > 0
            assert (CARL in listed) == present, f"--list and the keyring disagree\n{listed}"
            if present and not stored:
                # The daemon kept the item but not its secret (seen on
                # sid): --check says so, and that the link must be made
                # again; it never reports the link as working.
                checked = run("--check")
                carl_lines = [l for l in checked.err.splitlines() if l.startswith(CARL)]
                assert checked.code == 2 and len(carl_lines) == 1 and \
                    "empty or damaged" in carl_lines[0], f"{checked!r}"
        outcomes.append(f"exit {result.code}, {'stored' if stored else 'not stored'}"
                        f"{', an item without its token' if result.code != 0 and not stored and count_items(email=CARL) else ''}")
        subprocess.run(["secret-tool", "clear", "xdg:schema", SCHEMA, "email", CARL],
                       capture_output=True, timeout=20, env=TOOL_ENV)
    print("# keyring killed during a new link: " + "; ".join(outcomes), flush=True)


def keyring_disappears_before_store():
    """The daemon is killed while the verification is still on the wire;
    the store then finds no keyring (or a new, locked one)."""
    fresh_link()
    server.post("token", account=ACME_ID, token=NEW)
    snapshot = Snapshot([server.url])
    server.post("clear-requests")
    server.post("latency", endpoint="any", ms="500")
    pid = keyring_pid()
    began = time.monotonic()
    process = start("--link", ANNA)
    process.stdin.write(NEW + "\n")
    process.stdin.flush()
    wait_for_first_request(process)
    os.kill(pid, signal.SIGKILL)
    result = finish(process, ["--link", ANNA], began)
    expect(result, 4, [KEYRING_SENTENCE, "not saved"], KEYRING_BOUND)
    unlock_login()
    snapshot.assert_keyring_unchanged()
    snapshot.assert_links_json_unchanged()


# The disk

FULL_SCRIPT = r'''
set -e
full="$1"; shift
mount -t tmpfs -o size=64k,mode=0700 tmpfs "$full"
mkdir -p "$full/oneflow-link"
cp "$OFL_LINKS_JSON" "$full/oneflow-link/links.json"
dd if=/dev/zero of="$full/filler" bs=1k 2>/dev/null || true
set +e
XDG_DATA_HOME="$full" "$@"
code=$?
cp "$full/oneflow-link/links.json" "$OFL_AFTER/links.json" 2>/dev/null
ls -A "$full/oneflow-link" > "$OFL_AFTER/listing"
exit $code
'''


def unshare_works():
    probe = os.path.join(ROOT, "unshare-probe")
    os.makedirs(probe, exist_ok=True)
    result = subprocess.run(["unshare", "-rm", "sh", "-c", f"mount -t tmpfs -o size=64k tmpfs {probe}"],
                            capture_output=True, text=True, timeout=20)
    return result.returncode == 0, (result.stderr.strip() or f"exit {result.returncode}")


def run_on_full_disk(*args, input=None):
    full = os.path.join(ROOT, "full")
    after = os.path.join(ROOT, "full-after")
    shutil.rmtree(after, ignore_errors=True)
    os.makedirs(full, exist_ok=True)
    os.makedirs(after)
    command = ["unshare", "-rm", "sh", "-c", FULL_SCRIPT, "sh", full, ONEFLOW_LINK, *args]
    began = time.monotonic()
    process = start(command=command, env_extra={"OFL_LINKS_JSON": LINKS_JSON, "OFL_AFTER": after})
    result = finish(process, list(args), began, input)
    if result.code > 128:
        result.code = -(result.code - 128)   # the shell's way of saying "signal"
    with open(os.path.join(after, "links.json"), "rb") as f:
        links_json = f.read()
    with open(os.path.join(after, "listing")) as f:
        listing = f.read().split()
    return result, links_json, listing


def disk_full():
    ok, why = unshare_works()
    if not ok:
        cannot_run(f"unshare -rm cannot mount a tmpfs here ({why})")
    fresh_link()
    server.post("token", account=ACME_ID, token=NEW)
    snapshot = Snapshot([server.url])

    result, links_json, listing = run_on_full_disk("--link", ANNA, input=NEW + "\n")
    problems = []
    try:
        expect(result, 4, ["Could not write the link details", "No space left on device",
                           "keyring was not changed"], NETWORK_BOUND)
    except AssertionError as e:
        problems.append(str(e))
    try:
        snapshot.assert_keyring_unchanged()
    except AssertionError as e:
        problems.append(str(e))
    if links_json != snapshot.links_json:
        problems.append(f"links.json on the full disk changed:\n{links_json.decode()}")
    if [n for n in listing if n != "links.json.lock"] != ["links.json"]:
        problems.append(f"left behind on the full disk: {listing}")

    # Put the old token back if the re-link replaced it, for --check.
    if lookup(server.url) != OLD.encode():
        fresh_link()
        snapshot = Snapshot([server.url])
    # A first link on a full disk: nothing at all is stored.
    result, _, listing = run_on_full_disk("--link", CARL, input=OLD + "\n")
    try:
        expect(result, 4, ["Could not write the link details", "No space left on device"], NETWORK_BOUND)
        assert lookup(email=CARL) == b"", "a link was stored although its details could not be"
    except AssertionError as e:
        problems.append(str(e))

    result, links_json, listing = run_on_full_disk("--check")
    try:
        expect(result, 4, ["anna@example.com (Acme AB): ", "Could not write the link details",
                           "No space left on device", "result of the check was not saved"], NETWORK_BOUND)
    except AssertionError as e:
        problems.append(str(e))
    try:
        snapshot.assert_keyring_unchanged()
        assert_link_kept(snapshot.links_json, links_json, server.url)
    except AssertionError as e:
        problems.append(str(e))
    if [n for n in listing if n != "links.json.lock"] != ["links.json"]:
        problems.append(f"left behind on the full disk: {listing}")
    assert not problems, "\n".join(problems)


# SIGTERM

def sigterm_run(when):
    """A re-link that would succeed, with SIGTERM at @when: a delay in
    seconds, or "store" for the moment the store call is on its way."""
    fresh_link()
    server.post("token", account=ACME_ID, token=NEW)
    before = read_links_json()
    server.post("clear-requests")
    server.post("latency", endpoint="any", ms="200")
    began = time.monotonic()
    with KeyringCalls() as calls:
        process = start("--link", ANNA)
        process.stdin.write(NEW + "\n")
        process.stdin.flush()
        pid = None
        try:
            if when == "store":
                # The daemon is frozen once the network is done, so the
                # store call is sent and waiting when SIGTERM comes; then it
                # goes on.
                pid = keyring_pid()
                wait_for_first_request(process)
                os.kill(pid, signal.SIGSTOP)
                frozen = calls.mark()
                wait_for_verification(process, n_requests=4)
                calls.wait_for_call(frozen, process)
            else:
                # A moment to die at, from a spread of them: not a wait.
                time.sleep(when)
            process.send_signal(signal.SIGTERM)
        finally:
            if pid is not None:
                os.kill(pid, signal.SIGCONT)
    result = finish(process, ["--link", ANNA], began)
    # Dying of the SIGTERM itself is fine; any other signal is a crash.
    assert result.code in (0, -signal.SIGTERM, 143) or 1 <= result.code <= 6, f"{result!r}"
    assert result.elapsed < NETWORK_BOUND, f"SIGTERM did not end it in time\n{result!r}"
    secret = lookup(server.url)
    assert secret in (OLD.encode(), NEW.encode()), f"the keyring holds {secret!r}\n{result!r}"
    assert count_items() == 1, "more than one item for anna"
    after = read_links_json()
    assert_link_kept(before, after, server.url)
    if result.code == 0:
        assert secret == NEW.encode(), f"exit 0 but the old token is kept\n{result!r}"
    # links.json.lock is the details lock, kept (empty) for the next run.
    leftovers = [n for n in os.listdir(os.path.dirname(LINKS_JSON)) if n not in ("links.json", "links.json.lock")]
    assert not leftovers, f"left behind: {leftovers}"
    return result, secret


def sigterm_during_store():
    outcomes = []
    # The run takes about 0.25 s (200 ms latency): most land in the
    # verification, the last ones around the store; "store" lands in it.
    for when in (0.0, 0.05, 0.1, 0.15, 0.2, 0.22, 0.24, 0.26, 0.28, 0.3, "store"):
        result, secret = sigterm_run(when)
        outcomes.append(f"{when}: exit {result.code}, {'new' if secret == NEW.encode() else 'old'}")
    print("# SIGTERM outcomes: " + "; ".join(outcomes), flush=True)


# Setup

def set_request_timeout():
    os.environ["GSETTINGS_BACKEND"] = TOOL_ENV["GSETTINGS_BACKEND"] = "keyfile"
    subprocess.run(["gsettings", "set", SCHEMA, "request-timeout", str(REQUEST_TIMEOUT)],
                   check=True, timeout=20, env=TOOL_ENV)
    got = subprocess.run(["gsettings", "get", SCHEMA, "request-timeout"], capture_output=True,
                         text=True, check=True, timeout=20, env=TOOL_ENV).stdout.strip()
    assert got == f"uint32 {REQUEST_TIMEOUT}", got


def main():
    global server
    checks = [("DNS failure (oneflow.invalid)", url_fault,
               "dns", 3, 3, ["Could not find oneflow.invalid"], True),
              ("refused connection (a closed loopback port)", url_fault,
               "refused", 3, 3, ["Could not reach Oneflow", "refused the connection"], True)]
    checks += [(name, server_fault, fault, relink_code, check_code, phrases, no_verdict)
               for name, fault, relink_code, check_code, phrases, no_verdict in SERVER_FAULTS]
    checks += [("a self-signed certificate", url_fault, "tls", 5, 5, ["could not be verified"], True),
               ("an expired certificate", url_fault, "expired", 5, 5, ["could not be verified"], True),
               ("a locked keyring (no prompt can show)", locked_keyring),
               ("a keyring loaded locked, as after a login without the password", keyring_loaded_locked),
               ("the keyring daemon killed while the store call is in flight", keyring_disappears),
               ("the keyring daemon killed during the verification", keyring_disappears_before_store),
               ("the keyring daemon killed during a new link's store call", keyring_dies_during_new_link),
               ("a keyring item without its token", keyring_item_without_its_token),
               ("the disk full when writing links.json", disk_full),
               ("SIGTERM during a re-link, at several moments", sigterm_during_store)]

    set_request_timeout()
    server = FakeServer(FAKE_SERVER)
    try:
        # Each check starts from a fake server without faults.
        return run_tap([(name, functools.partial(function, *args)) for name, function, *args in checks],
                       after_each=lambda: server.post("reset"))
    finally:
        server.stop()


if __name__ == "__main__":
    sys.exit(main())
