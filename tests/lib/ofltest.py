# ofltest.py: what the Python tests of the real binary share
#
# The fake Oneflow server's fixture (read from its C header, so it is
# defined in one place), the fake server program itself, and a TAP runner
# that prints one line a case and the traceback of a failure as comments.

import json
import os
import re
import select
import ssl
import subprocess
import time
import traceback
import urllib.parse
import urllib.request

SOURCE_DIR = os.environ["ONEFLOW_LINK_SOURCE_DIR"]

with open(os.path.join(SOURCE_DIR, "tests", "fake", "ofl-fake-server.h")) as header:
    FIXTURE = dict(re.findall(r'#define (OFL_FAKE_\w+)\s+"([^"]*)"', header.read()))

TOKEN_ACME = FIXTURE["OFL_FAKE_TOKEN_ACME"]
TOKEN_ACME_NEW = FIXTURE["OFL_FAKE_TOKEN_ACME_NEW"]
TOKEN_BETA = FIXTURE["OFL_FAKE_TOKEN_BETA"]
ANNA = FIXTURE["OFL_FAKE_EMAIL_ANNA"]
BERT = FIXTURE["OFL_FAKE_EMAIL_BERT"]
CARL = FIXTURE["OFL_FAKE_EMAIL_CARL"]
DORA = FIXTURE["OFL_FAKE_EMAIL_DORA"]
ACME_ID = FIXTURE["OFL_FAKE_ACCOUNT_ACME_ID"]
BETA_ID = FIXTURE["OFL_FAKE_ACCOUNT_BETA_ID"]
SCHEMA = "org.example.OneflowLink"


def app_id():
    """The application ID of this build (config.h: .Devel in a devel build)."""
    with open(os.path.join(os.environ["ONEFLOW_LINK_BUILD_DIR"], "config.h")) as config:
        return re.search(r'#define APP_ID "([^"]+)"', config.read()).group(1)


def name_has_owner(name):
    result = subprocess.run(["gdbus", "call", "--session", "--dest", "org.freedesktop.DBus",
                             "--object-path", "/org/freedesktop/DBus",
                             "--method", "org.freedesktop.DBus.NameHasOwner", name],
                            capture_output=True, text=True, timeout=10)
    return "true" in result.stdout


def install_dbus_service(program, log=None):
    """Lets the private session bus start @program as the app, as the
    desktop does for the DBusActivatable desktop file; with @log, what the
    app prints (every debug message too) goes there. Returns the name."""
    name = app_id()
    services = os.path.join(os.environ["XDG_DATA_HOME"], "dbus-1", "services")
    os.makedirs(services, exist_ok=True)
    command = f"{program} --gapplication-service"
    if log is not None:
        command = f"/bin/sh -c 'G_MESSAGES_DEBUG=all exec {program} --gapplication-service >>{log} 2>&1'"
    with open(os.path.join(services, name + ".service"), "w") as service:
        service.write(f"[D-BUS Service]\nName={name}\nExec={command}\n")
    subprocess.run(["gdbus", "call", "--session", "--dest", "org.freedesktop.DBus",
                    "--object-path", "/org/freedesktop/DBus",
                    "--method", "org.freedesktop.DBus.ReloadConfig"], capture_output=True, timeout=10)
    return name


def end_process(process, timeout=10):
    """Asks @process to end; kills it if it has not within @timeout s."""
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def walk(acc):
    """An AT-SPI accessible and every one under it, depth first; a part
    that goes away while being read is left out."""
    try:
        children = list(acc)
    except Exception:
        return
    yield acc
    for child in children:
        if child is not None:
            yield from walk(child)


class FakeServer:
    """The fake Oneflow server program, on a loopback port of its own.
    @command runs it another way (the Flatpak suite: in the SDK), in a
    session of its own, and @end ends it (a function of the process)."""

    def __init__(self, program, *args, command=None, env=None, start_timeout=10, end=end_process):
        self.end = end
        self.process = subprocess.Popen(command or [program, *args], stdout=subprocess.PIPE,
                                        stderr=subprocess.DEVNULL, text=True, env=env,
                                        start_new_session=command is not None)
        ready, _, _ = select.select([self.process.stdout], [], [], start_timeout)
        if not ready:
            self.process.kill()
            raise RuntimeError("the fake server did not start")
        self.url = self.process.stdout.readline().strip()
        self.control = self.url[: -len("/v1")] + "/_fake/"
        # Straight to loopback, whatever proxy the machine sets; only the
        # test's own requests to its own fake skip verification.
        handlers = [urllib.request.ProxyHandler({})]
        if self.url.startswith("https:"):
            handlers.append(urllib.request.HTTPSHandler(context=ssl._create_unverified_context()))
        self.opener = urllib.request.build_opener(*handlers)

    def post(self, what, **params):
        query = urllib.parse.urlencode(params)
        request = urllib.request.Request(self.control + what + ("?" + query if query else ""),
                                         data=b"", method="POST")
        with self.opener.open(request, timeout=10) as reply:
            return reply.read()

    def requests(self):
        with self.opener.open(self.control + "requests", timeout=10) as reply:
            return json.loads(reply.read())

    def stop(self):
        self.end(self.process)


# The binary, the keyring and the session bus, as the CLI-level tests
# (faults, attacks) drive them.

# Helpers' own environment: no fatal criticals (secret-tool and gdbus
# trip over GLib criticals of their own), and never the API URL.
TOOL_ENV = {k: v for k, v in os.environ.items() if k not in ("G_DEBUG", "ONEFLOW_LINK_API_URL")}


class Run:
    """One finished run of oneflow-link."""

    def __init__(self, args, code, out, err, elapsed):
        self.args, self.code, self.out, self.err, self.elapsed = args, code, out, err, elapsed

    def __repr__(self):
        return (f"oneflow-link {' '.join(self.args)}: exit {self.code} after {self.elapsed:.2f} s\n"
                f"  stdout: {self.out[:2000]!r}\n  stderr: {self.err[:2000]!r}")


def finish_run(process, args, began, input=None, hang_limit=90):
    """Waits for a started run; past @hang_limit it is a hang: killed, and failed."""
    try:
        out, err = process.communicate(input=input, timeout=hang_limit)
    except subprocess.TimeoutExpired:
        process.kill()
        out, err = process.communicate()
        raise AssertionError(f"oneflow-link {' '.join(args)} hung for {hang_limit} s and was killed\n"
                             f"  stdout: {out!r}\n  stderr: {err!r}")
    return Run(args, process.returncode, out, err, time.monotonic() - began)


def count_items(email=None, account_id=None, api_url=None):
    """How many keyring items of our schema have these attributes (any
    left out matches all). secret-tool prints the attributes on stderr,
    apart from the rest, so only the items are counted."""
    args = ["secret-tool", "search", "--all", "xdg:schema", SCHEMA]
    for name, value in (("email", email), ("account-id", account_id), ("api-url", api_url)):
        if value is not None:
            args += [name, value]
    result = subprocess.run(args, capture_output=True, text=True, timeout=20, env=TOOL_ENV)
    return (result.stdout + result.stderr).count("label = ")


def gdbus(*args):
    return subprocess.run(["gdbus", "call", "--session", *args], capture_output=True, text=True,
                          timeout=20, env=TOOL_ENV)


def keyring_pid():
    result = gdbus("--dest", "org.freedesktop.DBus", "--object-path", "/org/freedesktop/DBus",
                   "--method", "org.freedesktop.DBus.GetConnectionUnixProcessID", "org.freedesktop.secrets")
    match = re.search(r"uint32 (\d+)", result.stdout)
    assert match, f"no keyring daemon on the bus: {result.stdout} {result.stderr}"
    return int(match.group(1))


def wait_for_login_locked(locked):
    """Waits until the daemon is on the bus with the login keyring locked
    (or unlocked), as a client asking for it would see."""
    want = "true" if locked else "false"
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        answer = gdbus("--dest", "org.freedesktop.secrets",
                       "--object-path", "/org/freedesktop/secrets/collection/login",
                       "--method", "org.freedesktop.DBus.Properties.Get",
                       "org.freedesktop.Secret.Collection", "Locked")
        if want in answer.stdout:
            return
        time.sleep(0.1)
    raise AssertionError(f"the login keyring is not {'locked' if locked else 'unlocked'}: "
                         f"{answer.stdout} {answer.stderr}")


def unlock_login():
    """As ofl-test-env does, from the same $HOME: a daemon with the login
    keyring unlocked, in place of the locked or dead one."""
    result = subprocess.run(["gnome-keyring-daemon", "--replace", "--unlock", "--components=secrets"],
                            input=b"test", capture_output=True, timeout=30, env=TOOL_ENV)
    assert result.returncode == 0, result.stderr
    for line in result.stdout.decode().splitlines():
        if line.startswith("GNOME_KEYRING_CONTROL="):
            os.environ["GNOME_KEYRING_CONTROL"] = TOOL_ENV["GNOME_KEYRING_CONTROL"] = line.split("=", 1)[1]
    # The daemon is on the bus and the login keyring is open.
    wait_for_login_locked(False)


class Skip(Exception):
    """Raised by a case that cannot run here; TAP reports it with the reason."""


def cannot_run(why):
    """As ofl-test-env: what this machine lacks fails the case, unless
    OFL_TEST_ALLOW_SKIP=1 allows skipping it."""
    if os.environ.get("OFL_TEST_ALLOW_SKIP") == "1":
        raise Skip(why)
    raise AssertionError(f"{why}; set OFL_TEST_ALLOW_SKIP=1 to skip this")


class Todo(Exception):
    """What this machine cannot show; TAP "not ok # TODO" with the reason."""


def run_tap(cases, after_each=None, only=None):
    """Runs (description, function) cases as TAP; returns the exit status.
    With @only, the cases whose description does not have it are skipped."""
    print(f"1..{len(cases)}", flush=True)
    failed = 0
    for number, (description, function) in enumerate(cases, 1):
        if only and only not in description:
            print(f"ok {number} - {description} # SKIP not asked for", flush=True)
            continue
        try:
            function()
            print(f"ok {number} - {description}", flush=True)
        except Skip as skip:
            print(f"ok {number} - {description} # SKIP {skip}", flush=True)
        except Todo as todo:
            print(f"not ok {number} - {description} # TODO {todo}", flush=True)
        except Exception:
            failed += 1
            print(f"not ok {number} - {description}", flush=True)
            for line in traceback.format_exc().splitlines():
                print("# " + line, flush=True)
        finally:
            if after_each is not None:
                try:
                    after_each()
                except Exception:
                    pass
    return 1 if failed else 0
