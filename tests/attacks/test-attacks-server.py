#!/usr/bin/python3
# test-attacks-server.py: issue 18's hostile server, against the real binary
#
#   test-attacks-server.py ONEFLOW_LINK FAKE_SERVER   (under ofl-test-env --keyring)
#
# Each case starts from a working link (anna, Acme AB), makes the fake
# server misbehave as an attacker's server would, and runs --link (a
# re-link with a token the server would accept) and --check. Each run must
# end with the documented exit code, never a signal, within its bound, say
# what happened in one line on stderr, and leave the keyring and links.json
# as they were (a check without a verdict keeps the link's status).
#
# TAP on stdout. The request time-out is 2 s through GSettings (keyfile
# backend in the private $HOME), so the overall deadline is 6 s.

import json
import os
import resource
import subprocess
import sys
import time

ONEFLOW_LINK, FAKE_SERVER = sys.argv[1:3]
DATA_HOME = os.environ["XDG_DATA_HOME"]
LINKS_JSON = os.path.join(DATA_HOME, "oneflow-link", "links.json")

sys.path.insert(0, os.path.join(os.environ["ONEFLOW_LINK_SOURCE_DIR"], "tests", "lib"))
from ofltest import ACME_ID, ANNA, SCHEMA, TOOL_ENV, FakeServer, Run, run_tap  # noqa: E402
from ofltest import TOKEN_ACME as OLD  # noqa: E402
from ofltest import TOKEN_ACME_NEW as NEW  # noqa: E402

REQUEST_TIMEOUT = 2                      # seconds, set through GSettings below
DEADLINE = 3 * REQUEST_TIMEOUT           # OFL_VERIFIER_DEADLINE_FACTOR
SLOWDOWN = float(os.environ.get("OFL_TEST_SLOWDOWN", "1"))
# Upper bounds, not measurements: the deadline plus time to start and save.
NETWORK_BOUND = (2 * REQUEST_TIMEOUT + 2) * SLOWDOWN
DEADLINE_BOUND = DEADLINE + 3 * SLOWDOWN
HANG_LIMIT = 90                          # past this a run is a hang: killed, and the case fails


def run(*args, input=None, url=None, env=None):
    environment = dict(os.environ)
    environment["ONEFLOW_LINK_API_URL"] = url if url is not None else server.url
    if env:
        environment.update(env)
    environment = {k: v for k, v in environment.items() if v is not None}
    began = time.monotonic()
    process = subprocess.Popen([ONEFLOW_LINK, *args], env=environment, text=True, stdin=subprocess.PIPE,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        out, err = process.communicate(input=input, timeout=HANG_LIMIT)
    except subprocess.TimeoutExpired:
        process.kill()
        out, err = process.communicate()
        raise AssertionError(f"oneflow-link {' '.join(args)} hung for {HANG_LIMIT} s and was killed\n"
                             f"  stdout: {out[:2000]!r}\n  stderr: {err[:2000]!r}")
    return Run(list(args), process.returncode, out, err, time.monotonic() - began)


def peak_rss_mb():
    """The largest peak RSS of any child that has ended (oneflow-link's,
    far above the helpers'), in MB."""
    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024


# The issue measured 1.3 GB with 5,000 workspaces a page over 151 pages.
PEAK_RSS_BOUND_MB = 200


def relink(**kwargs):
    return run("--link", ANNA, input=NEW + "\n", **kwargs)


def expect(result, code, phrases, bound=NETWORK_BOUND):
    """The documented exit code, no signal, in time, one clear line."""
    assert result.code >= 0, f"killed by signal {-result.code} (a crash)\n{result!r}"
    assert result.code == code, f"expected exit {code}\n{result!r}"
    assert result.elapsed < bound, f"took longer than {bound} s\n{result!r}"
    lines = [line for line in result.err.splitlines() if line.strip()]
    assert len(lines) == 1, f"expected one line on stderr\n{result!r}"
    for phrase in phrases:
        assert phrase in lines[0], f"{phrase!r} not in the message\n{result!r}"
    assert "CRITICAL" not in lines[0] and "WARNING" not in lines[0], f"a GLib log line\n{result!r}"
    print(f"# {result.args[0]}: exit {result.code} after {result.elapsed:.2f} s: {lines[0][:300]}", flush=True)
    return lines[0]


# The keyring and links.json

def secret_tool(*args, input=None):
    return subprocess.run(["secret-tool", *args], input=input, capture_output=True, timeout=20, env=TOOL_ENV)


def lookup():
    return secret_tool("lookup", "xdg:schema", SCHEMA, "email", ANNA, "account-id", ACME_ID,
                       "api-url", server.url).stdout


def keyring_items():
    """Every item of ours, with its attributes, as secret-tool prints them."""
    result = secret_tool("search", "--all", "xdg:schema", SCHEMA)
    return (result.stdout + result.stderr).decode(errors="replace")


def read_links_json():
    with open(LINKS_JSON, "rb") as f:
        return f.read()


def fresh_link():
    """anna linked with the old token, nothing else; the server as it was."""
    server.post("reset")
    secret_tool("clear", "xdg:schema", SCHEMA)
    if os.path.exists(LINKS_JSON):
        os.unlink(LINKS_JSON)
    result = run("--link", ANNA, input=OLD + "\n")
    assert result.code == 0, f"could not store the working link\n{result!r}"
    server.post("token", account=ACME_ID, token=NEW)
    assert lookup() == OLD.encode()


class Snapshot:
    def __init__(self):
        self.secret = lookup()
        self.items = keyring_items()
        self.links_json = read_links_json()

    def assert_unchanged(self):
        assert lookup() == self.secret, "the keyring's token changed"
        assert keyring_items() == self.items, f"the keyring changed:\n{keyring_items()}"
        now = read_links_json()
        assert now == self.links_json, \
            f"links.json changed:\n--- before\n{self.links_json.decode()}\n--- after\n{now.decode()}"

    def assert_kept_after_check(self):
        """--check without a verdict: the same link, still ok."""
        assert lookup() == self.secret, "the keyring's token changed"
        before = json.loads(self.links_json)["links"]
        after = json.loads(read_links_json())["links"]
        assert len(after) == len(before) == 1, f"links: {after}"
        for key in ("email", "account_id", "account_name", "api_url", "workspaces"):
            assert after[0].get(key) == before[0].get(key), f"{key}: {before[0].get(key)!r} -> {after[0].get(key)!r}"
        assert after[0].get("status") == "ok", f"status became {after[0].get('status')!r}"


def hostile(fault, endpoint, code, phrases, bound=NETWORK_BOUND, at_least=0.0):
    """A re-link and a check against @fault on @endpoint."""
    fresh_link()
    snapshot = Snapshot()
    server.post("fault", endpoint=endpoint, fault=fault)

    result = relink()
    expect(result, code, phrases, bound)
    assert result.elapsed >= at_least, f"gave up before {at_least} s\n{result!r}"
    snapshot.assert_unchanged()

    result = run("--check")
    expect(result, code, ["anna@example.com (Acme AB): "] + phrases, bound)
    assert result.elapsed >= at_least, f"gave up before {at_least} s\n{result!r}"
    snapshot.assert_kept_after_check()


# Item 3: the overall deadline

def drip():
    # One byte a second never lets a 2 s read time-out fire; the 6 s
    # deadline ends the run.
    hostile("drip", "any", 3, [f"did not finish answering within {DEADLINE} seconds"],
            bound=DEADLINE_BOUND, at_least=DEADLINE - 0.5)
    requests = server.requests()
    assert requests and all(r["path"].startswith("/v1/") for r in requests), requests


# Item 4: the caps

def many_workspaces():
    """755,000 workspaces in pages of 100: the link is made with the first
    1,000, from their 10 pages; links.json and --list stay small."""
    fresh_link()
    server.post("clear-requests")
    server.post("fault", endpoint="workspaces", fault="many-pages")
    result = relink()
    assert result.code == 0, f"{result!r}"
    # The cap is said, not applied silently.
    assert "Oneflow lists 755000 workspaces for this user; only the first 1000 are kept and shown." in result.out, \
        f"{result!r}"
    pages = [r for r in server.requests() if r["path"] == "/v1/workspaces"]
    assert len(pages) == 10, f"{len(pages)} workspace pages were asked for"
    size = os.path.getsize(LINKS_JSON)
    links = json.loads(read_links_json())["links"]
    assert len(links) == 1 and len(links[0]["workspaces"]) == 1000, \
        f"{len(links[0]['workspaces'])} workspaces kept"
    assert size < 512 * 1024, f"links.json is {size} bytes"
    print(f"# links.json with the cap hit: {size} bytes, 1000 workspaces of 755000", flush=True)

    listed = run("--list", "--json")
    assert listed.code == 0, f"{listed!r}"
    items = json.loads(listed.out)
    assert len(items) == 1 and len(items[0]["workspaces"]) == 1000
    assert len(listed.out) < 512 * 1024, f"--list --json printed {len(listed.out)} bytes"
    listed = run("--list")
    assert listed.code == 0 and len(listed.out.splitlines()) < 1100, \
        f"--list printed {len(listed.out.splitlines())} lines"
    peak = peak_rss_mb()
    print(f"# peak RSS of any run so far: {peak:.0f} MB", flush=True)
    assert peak < PEAK_RSS_BOUND_MB, f"a run peaked at {peak:.0f} MB"

    # --check keeps the cap too.
    result = run("--check")
    assert result.code == 0, f"{result!r}"
    assert len(json.loads(read_links_json())["links"][0]["workspaces"]) == 1000


def oversized_pages():
    # 5,000 items where 100 were asked for: refused, not kept.
    hostile("oversized-page", "workspaces", 3, ["a list page of 5000 items where at most 100 were asked for"])
    hostile("oversized-page", "users", 3, ["5000 items"])
    peak = peak_rss_mb()
    print(f"# peak RSS of any run so far: {peak:.0f} MB", flush=True)
    assert peak < PEAK_RSS_BOUND_MB, f"a run peaked at {peak:.0f} MB"


def many_users():
    """A user search that would need 7,550 pages stops at 200 and says so."""
    fresh_link()
    server.post("clear-requests")
    server.post("fault", endpoint="users", fault="many-pages")
    # 200 pages take longer than the 6 s deadline under the sanitizers.
    set_setting("request-timeout", "10")
    try:
        result = run("--link", "nobody@example.com", input=OLD + "\n")
    finally:
        set_setting("request-timeout", str(REQUEST_TIMEOUT))
    expect(result, 2, ["is not among the first 20000 users", "Oneflow lists 755000"], bound=30)
    pages = [r for r in server.requests() if r["path"] == "/v1/users"]
    assert len(pages) == 200, f"{len(pages)} user pages were asked for"


# Item 1: JSON that crashed json-glib

def deep_json():
    # {"data": /* ] */ [[[…300,000…]]], "count": 1}: SIGSEGV before.
    hostile("deep-json", "users", 3, ["holds a comment"])


def deep_object():
    hostile("deep-object", "users", 3, ["nested too deeply"])


def deep_error():
    # An error body goes through the same parser.
    hostile("deep-error", "users", 3, ["not available right now"])


# Item 11: an id beyond int64

def huge_id():
    hostile("huge-id", "account", 3, ["too large to be an ID"])
    hostile("huge-id", "users", 3, ["too large to be an ID"])
    assert json.loads(read_links_json())["links"][0]["account_id"] == ACME_ID


# Item 12: a password in the API URL

def userinfo_url():
    fresh_link()
    snapshot = Snapshot()
    server.post("clear-requests")
    with_password = server.url.replace("http://", "http://user:hunter2secret@", 1)
    assert with_password != server.url

    def refused(result):
        expect(result, 5, ["holds a user name or password", server.url])
        assert "hunter2secret" not in result.out + result.err, f"the password was shown\n{result!r}"

    # From the environment.
    refused(relink(url=with_password))
    # From the GSettings key, with no environment variable.
    set_setting("api-url", with_password)
    try:
        refused(relink(env={"ONEFLOW_LINK_API_URL": None}))
    finally:
        reset_setting("api-url")

    assert not server.requests(), f"a request was sent: {server.requests()}"
    snapshot.assert_unchanged()
    listed = run("--list", "--json")
    assert listed.code == 0 and "hunter2secret" not in listed.out, f"{listed!r}"
    assert "hunter2secret" not in keyring_items()
    assert "hunter2secret" not in read_links_json().decode()

    # A link saved with such an address before (planted here) is not
    # checked with it: exit 5, the password not shown, nothing sent.
    secret_tool("store", "--label", "planted", "xdg:schema", SCHEMA, "email", ANNA, "account-id", ACME_ID,
                "api-url", with_password, input=OLD.encode())
    details = json.loads(read_links_json())
    details["links"].append(dict(details["links"][0], api_url=with_password))
    with open(LINKS_JSON, "w") as f:
        json.dump(details, f)
    result = run("--check")
    expect(result, 5, ["anna@example.com (Acme AB): ", "holds a user name or password"])
    assert "hunter2secret" not in result.out + result.err, f"the password was shown\n{result!r}"
    assert "OK" in result.out, f"the working link was not checked\n{result!r}"
    assert all(r["path"] != "/v1/ping" or r.get("has_token") for r in server.requests())
    assert len([r for r in server.requests() if r["path"] == "/v1/ping"]) == 1, server.requests()
    # Nor is it listed with its password.
    for args in (("--list",), ("--list", "--json")):
        listed = run(*args)
        assert listed.code == 0, f"{listed!r}"
        assert "hunter2secret" not in listed.out + listed.err, f"the password was listed\n{listed!r}"
        assert "user@" not in listed.out, f"the user name was listed\n{listed!r}"


# Item 13: redirects that go nowhere

def redirect_loop():
    # Exit 3 (no verdict now: a server error), not 5: the token went
    # nowhere new, so this is no security failure.
    hostile("redirect-loop", "ping", 3, ["kept sending the app on to other pages of its own"])
    assert "pointed to another address" not in run("--check").err


def not_modified():
    hostile("not-modified", "account", 3, ["HTTP 304", "gave no address"])


# Setup

def gsettings(*args):
    env = dict(TOOL_ENV)
    return subprocess.run(["gsettings", *args], capture_output=True, text=True, check=True, timeout=20, env=env)


def set_setting(key, value):
    gsettings("set", SCHEMA, key, value)


def reset_setting(key):
    gsettings("reset", SCHEMA, key)


def main():
    global server
    os.environ["GSETTINGS_BACKEND"] = TOOL_ENV["GSETTINGS_BACKEND"] = "keyfile"
    set_setting("request-timeout", str(REQUEST_TIMEOUT))
    assert gsettings("get", SCHEMA, "request-timeout").stdout.strip() == f"uint32 {REQUEST_TIMEOUT}"

    checks = [
        ("item 1: a comment hiding 300,000 nested arrays on /v1/users", deep_json),
        ("item 1: a 200,000-deep object on /v1/users", deep_object),
        ("item 1: the same deep text as an error body", deep_error),
        ("item 3: a body sent one byte a second ends at the overall deadline", drip),
        ("item 4: pages of 5,000 items where 100 were asked for", oversized_pages),
        ("item 4: 755,000 workspaces: 1,000 kept, links.json and --list small", many_workspaces),
        ("item 4: 755,000 users: the search stops at 20,000 and says so", many_users),
        ("item 11: an id beyond int64 on /v1/accounts/me and /v1/users", huge_id),
        ("item 12: a password in the API URL (environment and GSettings)", userinfo_url),
        ("item 13: a redirect loop within the origin", redirect_loop),
        ("item 13: a 304 without Location", not_modified),
    ]
    server = FakeServer(FAKE_SERVER)
    try:
        return run_tap(checks, after_each=lambda: server.post("reset"))
    finally:
        server.stop()


if __name__ == "__main__":
    sys.exit(main())
