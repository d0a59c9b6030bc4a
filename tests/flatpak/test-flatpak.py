#!/usr/bin/python3
# test-flatpak.py: the installed Flatpak, run in the real sandbox (bwrap)
# on the stand-in runtime, the way a staff machine runs it.
#
#   test-flatpak.py            (TAP on stdout; run by meson, suite "flatpak")
#
# Reads FLATPAK_USER_DIR (the private installation holding the stand-in
# runtime and org.example.OneflowLink//stable) and OFL_FLATPAK_FAKE_SERVER
# from build-aux/flatpak-build.sh (build-aux/run-flatpak-tests.sh sets
# them). Each "world" is a fresh $HOME and XDG_RUNTIME_DIR, an Xvfb
# display, and a private session bus with only the services a desktop
# would give: an unlocked gnome-keyring, xdg-desktop-portal with
# gnome-keyring's Secret backend and the GTK backend (notifications), a
# notification server, the accessibility bus, and the app's own exported
# D-Bus service; the fake Oneflow server (built by the Flatpak build, run
# on the stand-in SDK) is the Oneflow API. Nothing here touches the
# machine's own keyring, display, bus or Flatpaks.
#
# When this machine cannot run bwrap (no unprivileged user namespaces,
# for example in some containers), the whole suite is one TAP skip with
# the reason.

import configparser
import json
import os
import re
import select
import shutil
import signal
import stat
import subprocess
import sys
import tempfile
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
SOURCE_DIR = os.environ.get("ONEFLOW_LINK_SOURCE_DIR", os.path.dirname(os.path.dirname(HERE)))
SHOTS = os.environ.get("OFL_FLATPAK_SCREENSHOTS", os.path.join(os.getcwd(), "flatpak-screenshots"))
APP = "org.example.OneflowLink"
SDK = "org.example.DebianSdk//51"
TIMEOUT = 30

os.environ.setdefault("ONEFLOW_LINK_SOURCE_DIR", SOURCE_DIR)
sys.path.insert(0, os.path.join(SOURCE_DIR, "tests", "lib"))
from ofltest import ACME_ID, FakeServer, Todo, end_process, run_tap  # noqa: E402
from ofltest import ANNA as EMAIL  # noqa: E402
from ofltest import TOKEN_ACME as TOKEN  # noqa: E402

with open(os.path.join(SOURCE_DIR, APP + ".json")) as manifest:
    FINISH_ARGS = json.load(manifest)["finish-args"]


def diag(text):
    for line in str(text).splitlines():
        print("# " + line, flush=True)


def wait_for(probe, what, timeout=TIMEOUT):
    deadline = time.monotonic() + timeout
    while True:
        found = probe()
        if found:
            return found
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout} s waiting for {what}")
        time.sleep(0.1)


def end_group(process, timeout=10):
    """Ends a `flatpak run` started in a session of its own: its process
    group, by id. flatpak runs bwrap in bwrap, and the inner one outlives a
    signal to the outer; the sandboxed program dies with its bwrap."""
    def alive():
        try:
            os.killpg(process.pid, 0)
            return True
        except (ProcessLookupError, PermissionError):
            return False
    for sig in (signal.SIGTERM, signal.SIGKILL):
        if not alive():
            break
        try:
            os.killpg(process.pid, sig)
        except ProcessLookupError:
            break
        deadline = time.monotonic() + timeout
        while alive() and time.monotonic() < deadline:
            process.poll()
            time.sleep(0.05)
    process.wait()


class Run:
    def __init__(self, args, code, out, err):
        self.args, self.code, self.out, self.err = args, code, out, err

    def __repr__(self):
        return (f"{' '.join(self.args)}: exit {self.code}\n  stdout: {self.out[:2000]!r}\n"
                f"  stderr: {self.err[:2000]!r}")


def start_fake_server(env):
    """oneflow-fake-server, as the Flatpak build made it, run on the stand-in SDK."""
    program = os.environ["OFL_FLATPAK_FAKE_SERVER"]
    server = FakeServer(program, env=env, start_timeout=60, end=end_group,
                        command=["flatpak", "run", "--user", f"--filesystem={os.path.dirname(program)}:ro",
                                 "--share=network", f"--command={program}", SDK])
    assert server.url.startswith("http://127.0.0.1:"), f"the fake server said {server.url!r}"
    return server


class World:
    """A desktop session of its own: $HOME, XDG_RUNTIME_DIR, Xvfb, a
    session bus with the services asked for, and the fake Oneflow server."""

    def __init__(self, **services):
        self.root = tempfile.mkdtemp(prefix="ofl-flatpak.")
        self.processes = []
        self.fake = None
        self.env = {}
        try:
            self.start(**services)
        except BaseException:
            self.close()
            raise

    def start(self, portal=True, keyring=True, notifications=True, a11y=False, wayland=False):
        self.home = os.path.join(self.root, "home")
        run_dir = os.path.join(self.root, "run")
        os.makedirs(self.home)
        os.mkdir(run_dir, 0o700)
        env = {k: v for k, v in os.environ.items()
               if k not in ("DISPLAY", "WAYLAND_DISPLAY", "DBUS_SESSION_BUS_ADDRESS", "GNOME_KEYRING_CONTROL",
                            "G_DEBUG", "GSETTINGS_BACKEND", "GSETTINGS_SCHEMA_DIR", "GTK_A11Y", "NO_AT_BRIDGE",
                            "ONEFLOW_LINK_API_URL", "XDG_DATA_DIRS", "LC_ALL", "LANGUAGE")}
        env.update(HOME=self.home, XDG_RUNTIME_DIR=run_dir, XDG_CURRENT_DESKTOP="GNOME",
                   XDG_DATA_HOME=os.path.join(self.home, ".local/share"),
                   XDG_CONFIG_HOME=os.path.join(self.home, ".config"),
                   XDG_CACHE_HOME=os.path.join(self.home, ".cache"), LANG="C.UTF-8",
                   # The renderer the stand-in has (no Mesa in it).
                   GSK_RENDERER="cairo")
        self.env = env

        # The display. Only its socket in (this run's own) /tmp/.X11-unix:
        # abstract sockets belong to the network namespace, which the
        # sandbox shares (--share=network) with every other test run here,
        # and libxcb tries them first. So the number is one that no abstract
        # socket has, and this server makes none.
        used = set(re.findall(r"@/tmp/\.X11-unix/X(\d+)", open("/proc/net/unix").read()))
        number = next(n for n in range(64, 1000)
                      if str(n) not in used and not os.path.exists(f"/tmp/.X11-unix/X{n}"))
        self.display = f":{number}"
        self.spawn(["Xvfb", self.display, "-screen", "0", "1280x1024x24", "-nolisten", "tcp", "-nolisten", "local",
                    "-noreset"], stdout=subprocess.DEVNULL, stderr=open(os.path.join(self.root, "xvfb.log"), "w"))
        wait_for(lambda: os.path.exists(f"/tmp/.X11-unix/X{number}"), "Xvfb's socket", timeout=20)
        env["DISPLAY"] = self.display

        if wayland:
            env["WAYLAND_DISPLAY"] = "wayland-ofl"
            self.spawn(["weston", "--backend=headless-backend.so", "--socket=wayland-ofl", "--idle-time=0"],
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            wait_for(lambda: os.path.exists(os.path.join(run_dir, "wayland-ofl")), "weston's socket")

        # The Oneflow API, before the bus: the app activated by D-Bus gets
        # its address from the bus's environment, as from a desktop session.
        # (No session bus yet: flatpak must not autolaunch one.)
        self.fake = start_fake_server(dict(env, DBUS_SESSION_BUS_ADDRESS="unix:path=/nonexistent"))
        env["ONEFLOW_LINK_API_URL"] = self.fake.url

        # The session bus, and what it may start: the portal and its GTK
        # backend, the permission store, the app's own exported service.
        services = os.path.join(self.root, "services")
        os.mkdir(services)
        wanted = []
        if portal:
            wanted += ["org.freedesktop.portal.Desktop.service",
                       "org.freedesktop.impl.portal.PermissionStore.service"]
            if notifications:
                wanted += ["org.freedesktop.impl.portal.desktop.gtk.service"]
        for name in wanted:
            shutil.copy(os.path.join("/usr/share/dbus-1/services", name), services)
        exported = os.path.join(os.environ["FLATPAK_USER_DIR"], "exports/share/dbus-1/services")
        config = os.path.join(self.root, "bus.conf")
        with open(config, "w") as out:
            out.write(f"""<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <listen>unix:dir={run_dir}</listen>
  <auth>EXTERNAL</auth>
  <servicedir>{services}</servicedir>
  <servicedir>{exported}</servicedir>
  <policy context="default">
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
  </policy>
</busconfig>
""")
        # The bus and what it starts write to stderr: stdout is TAP.
        read_fd, write_fd = os.pipe()
        self.spawn(["dbus-daemon", "--nofork", f"--config-file={config}", f"--print-address={write_fd}"],
                   pass_fds=(write_fd,), stdout=sys.stderr)
        os.close(write_fd)
        ready, _, _ = select.select([read_fd], [], [], 20)
        assert ready, "dbus-daemon did not start"
        env["DBUS_SESSION_BUS_ADDRESS"] = os.read(read_fd, 4096).decode().strip()
        os.close(read_fd)

        if keyring:
            # Unlocked before anything asks for it (a locked one would
            # wait on a password prompt).
            result = subprocess.run(["gnome-keyring-daemon", "--unlock", "--components=secrets"], input=b"test",
                                    capture_output=True, env=env, timeout=30)
            assert result.returncode == 0, result.stderr
            self.keyring_pid = None
            for line in result.stdout.decode().splitlines():
                key, _, value = line.partition("=")
                if key == "GNOME_KEYRING_CONTROL":
                    env[key] = value
            wait_for(lambda: self.name_has_owner("org.freedesktop.secrets"), "the keyring on the bus")

        self.notifications = None
        if notifications:
            self.notifications = self.spawn(["/usr/bin/python3", os.path.join(HERE, "notification-server.py")],
                                            stdout=subprocess.PIPE, text=True)
            ready, _, _ = select.select([self.notifications.stdout], [], [], 20)
            assert ready and "ready" in self.notifications.stdout.readline(), "no notification server"

        if a11y:
            self.spawn(["/usr/libexec/at-spi-bus-launcher"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            wait_for(lambda: self.name_has_owner("org.a11y.Bus"), "the accessibility bus")

    def spawn(self, args, **kwargs):
        process = subprocess.Popen(args, env=self.env, **kwargs)
        self.processes.append(process)
        return process

    def name_has_owner(self, name):
        result = self.gdbus("--dest", "org.freedesktop.DBus", "--object-path", "/org/freedesktop/DBus",
                            "--method", "org.freedesktop.DBus.NameHasOwner", name)
        return "true" in result.stdout

    def gdbus(self, *args):
        return subprocess.run(["gdbus", "call", "--session", *args], capture_output=True, text=True,
                              timeout=30, env=self.env)

    def flatpak_run(self, *args, options=(), input=None, timeout=120):
        """flatpak run org.example.OneflowLink ARGS, with the manifest's
        permissions (and @options: --unshare=… to take one away)."""
        command = ["flatpak", "run", "--user", *options, APP, *args]
        try:
            result = subprocess.run(command, input=input, capture_output=True, text=True, timeout=timeout,
                                    env=self.env)
        except subprocess.TimeoutExpired as error:
            raise AssertionError(f"{' '.join(command)} hung for {timeout} s: {error.stderr!r}")
        return Run(command[3:], result.returncode, result.stdout, result.stderr)

    def app_dir(self):
        return os.path.join(self.home, ".var", "app", APP)

    def host_secret_tool(self):
        result = subprocess.run(["secret-tool", "search", "--all", "xdg:schema", APP],
                                capture_output=True, text=True, timeout=30, env=self.env)
        return result.stdout + result.stderr

    def screenshot(self, name):
        os.makedirs(SHOTS, exist_ok=True)
        path = os.path.join(SHOTS, name + ".png")
        subprocess.run(["import", "-display", self.display, "-window", "root", path], check=True,
                       capture_output=True, timeout=60, env=self.env)
        diag(f"screenshot: {path}")
        return path

    def close(self):
        try:
            if "DBUS_SESSION_BUS_ADDRESS" in self.env:
                self.end_bus_clients()
        except Exception as error:
            diag(f"could not end the bus's services: {error}")
        for process in reversed(self.processes):
            end_process(process)
        if self.fake:
            self.fake.stop()
        shutil.rmtree(self.root, ignore_errors=True)

    def end_bus_clients(self):
        """Ends, by their process ids, what the bus started for this world
        (the portals, the keyring): every peer on this private bus."""
        names = self.gdbus("--dest", "org.freedesktop.DBus", "--object-path", "/org/freedesktop/DBus",
                           "--method", "org.freedesktop.DBus.ListNames")
        pids = set()
        for name in re.findall(r"'(:[0-9.]+)'", names.stdout):
            reply = self.gdbus("--dest", "org.freedesktop.DBus", "--object-path", "/org/freedesktop/DBus",
                               "--method", "org.freedesktop.DBus.GetConnectionUnixProcessID", name)
            match = re.search(r"uint32 (\d+)", reply.stdout)
            if match:
                pids.add(int(match.group(1)))
        pids.discard(os.getpid())
        pids -= {process.pid for process in self.processes}
        for pid in pids:
            try:
                os.kill(pid, signal.SIGTERM)
            except ProcessLookupError:
                pass


# The cases


def files_under(top):
    for folder, _, names in os.walk(top):
        for name in names:
            yield os.path.join(folder, name)


def assert_no_plain_token(top):
    for path in files_under(top):
        try:
            with open(path, "rb") as data:
                contents = data.read()
        except OSError:
            continue
        assert TOKEN.encode() not in contents, f"{path} has the token in plain text"


def case_installed(world):
    """Installed from the local repo, on the stand-in runtime, sandboxed."""
    info = subprocess.run(["flatpak", "info", "--user", "--show-metadata", APP], capture_output=True,
                          text=True, timeout=60, env=world.env)
    assert info.returncode == 0, info.stderr
    metadata = configparser.ConfigParser(interpolation=None)
    metadata.read_string(info.stdout)
    assert metadata["Application"]["runtime"].startswith("org.example.DebianPlatform/"), info.stdout
    granted = metadata["Context"]
    diag("granted: " + "; ".join(f"{k}={v}" for k, v in granted.items()))
    version = world.flatpak_run("--version")
    assert version.code == 0 and "oneflow-link" in version.out.lower(), version
    inside = subprocess.run(["flatpak", "run", "--user", "--command=sh", APP, "-c",
                             "test -f /.flatpak-info && cat /.flatpak-info"],
                            capture_output=True, text=True, timeout=60, env=world.env)
    assert inside.returncode == 0 and f"name={APP}" in inside.stdout, inside


def case_help(world):
    """--help tells a Flatpak user what works there, not secret-tool."""
    result = world.flatpak_run("--help")
    assert result.code == 0, result
    assert "secret-tool" not in result.out, f"--help in the Flatpak suggests secret-tool:\n{result.out}"
    assert "flatpak run org.example.OneflowLink --token anna@example.com" in result.out, result.out


def case_cli(world):
    """--link, --list --json, --check, --relink (unknown: 6), --unlink,
    through the Secret portal; the token encrypted in the app's keyring."""
    linked = world.flatpak_run("--link", EMAIL, input=TOKEN + "\n")
    assert linked.code == 0, linked
    keyring = os.path.join(world.app_dir(), "data", "keyrings", "default.keyring")
    assert os.path.isfile(keyring), f"no {keyring}: {linked}"
    mode = stat.S_IMODE(os.stat(keyring).st_mode)
    assert mode == 0o600, f"{keyring} has mode {mode:o}"
    with open(keyring, "rb") as data:
        contents = data.read()
    assert contents.startswith(b"GnomeKeyring\n\r\0\n"), "not a GNOME keyring file"
    assert TOKEN.encode() not in contents and EMAIL.encode() not in contents, "the keyring file is not encrypted"
    assert_no_plain_token(world.app_dir())
    diag(f"{keyring}: {len(contents)} bytes, mode {mode:o}, no token or email in it")
    host = world.host_secret_tool()
    assert TOKEN not in host and "label" not in host, f"the host keyring has an item of {APP}: {host}"
    assert_no_plain_token(world.home)

    listed = world.flatpak_run("--list", "--json")
    assert listed.code == 0, listed
    links = json.loads(listed.out)
    assert [(link["email"], link["account_id"]) for link in links] == [(EMAIL, ACME_ID)], listed
    assert TOKEN not in listed.out

    # Issue 16 in the sandbox: a script gets the token with --token, and a
    # host process through the integrations API, which D-Bus starts.
    token = world.flatpak_run("--token", EMAIL)
    assert (token.code, token.out) == (0, TOKEN + "\n"), token
    path = "/" + APP.replace(".", "/")
    listed_dbus = world.gdbus("--dest", APP, "--object-path", path,
                              "--method", "org.example.OneflowLink.Links1.ListLinks")
    assert listed_dbus.returncode == 0 and EMAIL in listed_dbus.stdout, listed_dbus
    assert TOKEN not in listed_dbus.stdout
    credentials = world.gdbus("--dest", APP, "--object-path", path,
                              "--method", "org.example.OneflowLink.Links1.GetCredentials", EMAIL, "")
    assert credentials.returncode == 0 and f"'{TOKEN}'" in credentials.stdout, credentials
    diag("--token and GetCredentials from the host: the token from the app's own keyring")

    checked = world.flatpak_run("--check")
    assert checked.code == 0, checked
    relink = world.flatpak_run("--relink", "nobody@example.com")
    assert relink.code == 6, relink
    unlinked = world.flatpak_run("--unlink", EMAIL)
    assert unlinked.code == 0, unlinked
    listed = world.flatpak_run("--list", "--json")
    assert listed.code == 0 and json.loads(listed.out) == [], listed
    assert_no_plain_token(world.home)


def case_no_portal(world):
    """No Secret portal: a save says so and exits 4; --list as the README says."""
    linked = world.flatpak_run("--link", EMAIL, input=TOKEN + "\n")
    assert linked.code == 4, linked
    assert "Secret portal" in linked.err and "--talk-name=org.freedesktop.secrets" in linked.err, linked
    diag("--link without a portal: " + linked.err.strip().splitlines()[-1])
    assert_no_plain_token(world.home)
    assert not os.path.exists(os.path.join(world.app_dir(), "data", "keyrings")), "a keyring was made"
    listed = world.flatpak_run("--list")
    # README "Permissions": every verb that reads the keyring exits 4 there.
    assert listed.code == 4 and "Secret portal" in listed.err, listed
    diag("--list without a portal: exit 4")


def case_gui(world):
    """The assistant, Start to a saved link, through AT-SPI across the
    sandbox, with a screenshot of each page (in a child process: AT-SPI
    binds to this world's bus once)."""
    child = subprocess.run(["/usr/bin/python3", os.path.join(HERE, "gui-flatpak.py"), SHOTS, world.display],
                           capture_output=True, text=True, timeout=600, env=world.env)
    diag(child.stdout)
    if child.returncode != 0:
        diag("Xvfb: " + open(os.path.join(world.root, "xvfb.log")).read())
    assert child.returncode == 0, child.stderr[-4000:]
    keyring = os.path.join(world.app_dir(), "data", "keyrings", "default.keyring")
    assert os.path.isfile(keyring), "the assistant saved no token in the app's keyring"
    listed = world.flatpak_run("--list", "--json")
    assert [link["email"] for link in json.loads(listed.out)] == [EMAIL], listed


def wait_not_running(world):
    def gone():
        ps = subprocess.run(["flatpak", "ps", "--columns=application"], capture_output=True, text=True,
                            env=world.env)
        return APP not in ps.stdout
    wait_for(gone, "the sandboxed app to quit", timeout=60)


def case_activation_and_notification(world):
    """`gapplication action org.example.OneflowLink check-links` starts the
    sandboxed app through its exported D-Bus service; a revoked link makes
    a notification that reaches the test bus's notification server through
    the notification portal (the app may not talk to it directly)."""
    linked = world.flatpak_run("--link", EMAIL, input=TOKEN + "\n")
    assert linked.code == 0, linked
    world.fake.post("revoke", token=TOKEN)
    before = len(world.fake.requests())
    assert not world.name_has_owner(APP)
    result = subprocess.run(["gapplication", "action", APP, "check-links"], capture_output=True, text=True,
                            timeout=60, env=world.env)
    assert result.returncode == 0, result.stderr
    ready, _, _ = select.select([world.notifications.stdout], [], [], 60)
    assert ready, f"no notification in 60 s; the fake server had {len(world.fake.requests()) - before} requests"
    note = json.loads(world.notifications.stdout.readline())
    diag(f"notification: {note}")
    assert note["summary"] == f"The Oneflow link for {EMAIL} stopped working", note
    assert "xdg-desktop-portal" in note["program"], f"not sent through the portal: {note['program']}"
    assert len(world.fake.requests()) > before, "the activated app checked nothing"
    wait_not_running(world)
    listed = world.flatpak_run("--list", "--json")
    assert json.loads(listed.out)[0]["status"] == "needs-attention", listed


def case_deploy(world):
    """README "Deploying to staff machines", command by command, with the
    stand-in for Flathub's runtime and a throwaway signing key: sign,
    update the repo, bundle; install system-wide from the bundle and from
    the repo as a remote; pre-set the API address; --link and --check;
    uninstall, reset the override, delete the user's data. The system
    installation is a private one (FLATPAK_SYSTEM_DIR), kept with the
    runtime in it for the next run."""
    env = dict(world.env)
    cache = os.path.dirname(os.environ["FLATPAK_USER_DIR"])
    env["FLATPAK_SYSTEM_DIR"] = os.path.join(cache, "system-installation")
    # A staff member's own installation: empty (the suite's has the app).
    env["FLATPAK_USER_DIR"] = os.path.join(world.root, "user-installation")
    env["GNUPGHOME"] = os.path.join(world.root, "gnupg")
    os.mkdir(env["GNUPGHOME"], 0o700)
    work = os.path.join(world.root, "deploy")
    os.mkdir(work)
    app_repo = os.environ["OFL_FLATPAK_APP_REPO"]

    def sh(*args, expect=0, what=None):
        result = subprocess.run(list(args), capture_output=True, text=True, timeout=600, env=env, cwd=work)
        assert result.returncode == expect, f"{' '.join(args)}: exit {result.returncode}\n{result.stdout}{result.stderr}"
        diag(f"$ {' '.join(args)}: exit {result.returncode}")
        return result

    # The stand-in for `flatpak install --user flathub org.gnome.Platform//51`
    # (system-wide here: the bundle's runtime must be where the app goes).
    # Nothing of an earlier run's app: the app, its bundle's origin remote,
    # the repository's remote (each with an earlier throwaway key).
    subprocess.run(["flatpak", "uninstall", "--system", "-y", "--noninteractive", APP], capture_output=True, env=env)
    for remote in ("oneflow-link", "oneflowlink-origin"):
        subprocess.run(["flatpak", "remote-delete", "--system", "--force", remote], capture_output=True, env=env)
    sh("flatpak", "remote-add", "--system", "--if-not-exists", "--no-gpg-verify", "ofl-local",
       "file://" + os.environ["OFL_FLATPAK_REPO"])
    sh("flatpak", "install", "--system", "-y", "--noninteractive", "--or-update", "ofl-local",
       "org.example.DebianPlatform//51")

    sh("gpg", "--batch", "--passphrase", "", "--quick-gen-key", "Oneflow Link packaging <it@example.org>",
       "default", "default", "never")
    keyid = re.search(r"^fpr:+([0-9A-F]+):", sh("gpg", "--list-keys", "--with-colons").stdout, re.M).group(1)
    with open(os.path.join(work, "oneflow-link.gpg"), "wb") as out:
        out.write(subprocess.run(["gpg", "--export", keyid], capture_output=True, env=env, check=True).stdout)
    # flatpak-builder --gpg-sign signed the build's commit: the same here,
    # on the build that run-flatpak-tests.sh made (a copy of its repo).
    repo = os.path.join(work, "repo")
    shutil.copytree(app_repo, repo, symlinks=True)
    sh("flatpak", "build-sign", f"--gpg-sign={keyid}", repo, APP, "stable")
    sh("flatpak", "build-update-repo", f"--gpg-sign={keyid}", "--generate-static-deltas", repo)
    # The stand-in's repo stands for Flathub's, as a .flatpakrepo file.
    with open(os.path.join(work, "stand-in.flatpakrepo"), "w") as out:
        out.write(f"[Flatpak Repo]\nTitle=Stand-in runtime\nUrl=file://{os.environ['OFL_FLATPAK_REPO']}\n")
    sh("flatpak", "build-bundle", f"--gpg-sign={keyid}", "--gpg-keys=oneflow-link.gpg",
       f"--runtime-repo=file://{work}/stand-in.flatpakrepo", repo, "oneflow-link.flatpak", APP, "stable")

    # Install from the bundle, checked against the key, as the README says.
    # flatpak 1.14.10 (Debian 12) does not: it crashes (SIGSEGV) on its way
    # out of every install with --gpg-file, and refused this signed bundle
    # as unsigned in some runs, so the README sends Debian 12 to the
    # repository; that is what this checks there.
    install = ["flatpak", "install", "--system", "-y", "--noninteractive", "--bundle", "--gpg-file=oneflow-link.gpg"]
    unsigned = subprocess.run(install + [os.environ["OFL_FLATPAK_BUNDLE"]], capture_output=True, text=True,
                              timeout=300, env=env, cwd=work)
    assert unsigned.returncode != 0 and "no signatures found" in unsigned.stderr, unsigned.stderr
    signed = subprocess.run(install + ["oneflow-link.flatpak"], capture_output=True, text=True, timeout=300,
                            env=env, cwd=work)
    diag(f"$ {' '.join(install)} oneflow-link.flatpak: exit {signed.returncode}: {signed.stderr.strip()[-300:]}")
    version = subprocess.run(["flatpak", "--version"], capture_output=True, text=True).stdout.split()[-1]
    if signed.returncode != 0:
        assert version.startswith("1.14."), f"flatpak {version} could not install the signed bundle"
        subprocess.run(["flatpak", "uninstall", "--system", "-y", "--noninteractive", APP], capture_output=True,
                       env=env)
        # The repository route, as the README says for Debian 12.
        sh("flatpak", "remote-add", "--system", "--if-not-exists", "--gpg-import=oneflow-link.gpg", "oneflow-link",
           "file://" + repo)
        sh("flatpak", "install", "--system", "-y", "--noninteractive", "oneflow-link", APP)
    sh("flatpak", "info", "--system", APP)
    sh("flatpak", "override", "--system", f"--env=ONEFLOW_LINK_API_URL={world.fake.url}", APP)
    env.pop("ONEFLOW_LINK_API_URL", None)
    linked = subprocess.run(["flatpak", "run", APP, "--link", EMAIL], input=TOKEN + "\n", capture_output=True,
                            text=True, timeout=120, env=env)
    assert linked.returncode == 0, f"--link from the bundle: {linked.stderr}"
    before = len(world.fake.requests())
    sh("flatpak", "run", APP, "--check")
    assert len(world.fake.requests()) > before, "the override's API address was not used"

    # Uninstall and data, as the README says.
    sh("flatpak", "uninstall", "--system", "-y", "--noninteractive", APP)
    sh("flatpak", "override", "--system", "--reset", APP)
    # The user's data outlives the app; flatpak uninstall --delete-data
    # cannot remove it once the app is gone (it is "not installed"), so the
    # README says rm.
    assert os.path.isdir(world.app_dir()), "the user's data went with the app"
    sh("flatpak", "uninstall", "-y", "--noninteractive", "--delete-data", APP, expect=1)
    sh("rm", "-rf", world.app_dir())
    assert not os.path.exists(world.app_dir()), "the user's data is still there"

    subprocess.run(["flatpak", "remote-delete", "--system", "--force", "oneflow-link"], capture_output=True, env=env)


def window_on_x(world):
    tree = subprocess.run(["xwininfo", "-root", "-tree", "-display", world.display], capture_output=True,
                          text=True, env=world.env)
    return "Oneflow Link" in tree.stdout


def start_window(world, options=()):
    """The app's window, in a session of its own; its stderr is read as it
    comes into process.lines (a full pipe would stop it)."""
    process = subprocess.Popen(["flatpak", "run", "--user", *options, APP], stdout=subprocess.DEVNULL,
                               stderr=subprocess.PIPE, text=True, env=world.env, start_new_session=True)
    process.lines = []
    process.reader = threading.Thread(target=lambda: process.lines.extend(iter(process.stderr.readline, "")),
                                      daemon=True)
    process.reader.start()
    return process


def stop(process):
    end_group(process)
    process.reader.join(10)
    return "".join(process.lines)


# Each finish-arg: how it is taken away, and what must break then. A
# permission the manifest asks for that is missing here fails the test.
def breaks_network(world):
    run = world.flatpak_run("--link", EMAIL, input=TOKEN + "\n", options=("--unshare=network",))
    assert run.code == 3, run
    return f"--link exits 3 (cannot reach Oneflow): {run.err.strip().splitlines()[-1]}"


def breaks_fallback_x11(world):
    # An X11 session (no Wayland): with the permission, a window; without, none.
    app = start_window(world)
    try:
        wait_for(lambda: window_on_x(world), "the window on X11 with the manifest's permissions")
    finally:
        stop(app)
    app = start_window(world, ("--nosocket=fallback-x11",))
    try:
        app.wait(60)
    except subprocess.TimeoutExpired:
        stop(app)
        raise AssertionError("without fallback-x11 the app still ran on an X11-only session")
    err = stop(app)
    assert app.returncode != 0 and not window_on_x(world), err
    return f"on an X11 session the window cannot open (exit {app.returncode}): {err.strip().splitlines()[-1]}"


def descendants(pid):
    children = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as stat_file:
                    parent = int(stat_file.read().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(parent, []).append(int(entry))
    found, todo = set(), [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            if child not in found:
                found.add(child)
                todo.append(child)
    return found


def app_segments(app):
    """The SysV shared memory segments in this machine's IPC namespace that
    the sandboxed app made and the X server attached (MIT-SHM)."""
    pids = descendants(app.pid)
    listing = subprocess.run(["ipcs", "-m", "-p"], capture_output=True, text=True).stdout
    segments = set()
    for line in listing.splitlines():
        fields = line.split()
        if len(fields) >= 4 and fields[0].isdigit() and fields[2].isdigit() and int(fields[2]) in pids:
            segments.add(fields[0])
    return segments


def drawn(world):
    brightest = subprocess.run(["import", "-display", world.display, "-window", "root", "-format", "%[fx:maxima]",
                                "info:"], capture_output=True, text=True, env=world.env).stdout.strip()
    return brightest not in ("", "0")


def breaks_ipc(world):
    # X11's MIT-SHM: the app hands its frames to the X server in shared
    # memory, which the X server reaches only in the host's IPC namespace.
    app = start_window(world)
    try:
        wait_for(lambda: window_on_x(world), "the window on X11")
        with_ipc = wait_for(lambda: app_segments(app), "memory the app shares with the X server")
    finally:
        stop(app)
    app = start_window(world, ("--unshare=ipc",))
    try:
        wait_for(lambda: window_on_x(world), "the window on X11 without --share=ipc")
        # It draws: something on the screen is not black.
        wait_for(lambda: drawn(world), "the window's first frame without --share=ipc")
        world.screenshot("without-share-ipc")
        without = app_segments(app)
    finally:
        stop(app)
    assert not without, f"the X server shares memory with the app without --share=ipc: {without}"
    return (f"the window still shows, but the X server cannot attach the app's shared memory (with it: "
            f"{len(with_ipc)} MIT-SHM segments), so every frame is copied through the X socket")


def breaks_wayland(world):
    # A Wayland session (weston) that also has an X display: with the
    # permission the app is a Wayland client (its toplevel is in its
    # WAYLAND_DEBUG log) and opens no X11 window; without it, an X11 one.
    app = start_window(world, ("--env=WAYLAND_DEBUG=client",))

    def toplevel():
        return any("xdg_toplevel" in line and "set_title" in line for line in list(app.lines))
    try:
        wait_for(toplevel, "a Wayland toplevel")
        assert not window_on_x(world), "with --socket=wayland the app opened an X11 window"
    finally:
        stop(app)
    app = start_window(world, ("--nosocket=wayland",))
    try:
        wait_for(lambda: window_on_x(world), "the window on X11 without --socket=wayland")
    finally:
        stop(app)
    return "on a Wayland session the window goes to X11 (Xwayland) instead of Wayland"


def breaks_dri(world):
    inside = subprocess.run(["flatpak", "run", "--user", "--command=sh", APP, "-c", "ls /dev"],
                            capture_output=True, text=True, timeout=60, env=world.env)
    without = subprocess.run(["flatpak", "run", "--user", "--nodevice=dri", "--command=sh", APP, "-c", "ls /dev"],
                             capture_output=True, text=True, timeout=60, env=world.env)
    assert inside.returncode == 0 and without.returncode == 0, (inside, without)
    assert "dri" not in without.stdout.split(), f"--nodevice=dri left /dev/dri in the sandbox: {without}"
    if not os.path.isdir("/dev/dri"):
        # Not a skip: what can be checked was; what cannot is said.
        raise Todo("this machine has no GPU (/dev/dri), so the sandbox has none either way; with one, "
                   "--device=dri is what lets GTK render with it")
    assert "dri" in inside.stdout.split(), f"--device=dri did not give the sandbox /dev/dri: {inside}"
    return "no /dev/dri in the sandbox: GTK cannot use the GPU and renders with the CPU"


PERMISSIONS = {
    "--share=network": ("--unshare=network", breaks_network, {}),
    "--share=ipc": ("--unshare=ipc", breaks_ipc, {}),
    "--socket=wayland": ("--nosocket=wayland", breaks_wayland, {"wayland": True}),
    "--socket=fallback-x11": ("--nosocket=fallback-x11", breaks_fallback_x11, {}),
    "--device=dri": ("--nodevice=dri", breaks_dri, {}),
}


def permission_case(arg):
    def case():
        assert arg in PERMISSIONS, f"{arg} is in the manifest with no reason written down in this test"
        _, check, world_args = PERMISSIONS[arg]
        world = World(notifications=False, **world_args)
        try:
            diag(f"without {arg}: {check(world)}")
        finally:
            world.close()
    return case


def bwrap_problem():
    for tool in ("flatpak", "bwrap", "Xvfb", "dbus-daemon", "gnome-keyring-daemon"):
        if shutil.which(tool) is None:
            return f"{tool} is not installed"
    probe = subprocess.run(["bwrap", "--unshare-user", "--unshare-pid", "--ro-bind", "/", "/", "true"],
                           capture_output=True, text=True)
    if probe.returncode != 0:
        return f"this machine cannot run bwrap: {probe.stderr.strip()}"
    return None


def main():
    # A /tmp of our own: this machine's is shared with other test runs,
    # whose X displays, locks and clean-ups would mix with ours (flatpak
    # needs the Xvfb socket in /tmp/.X11-unix: a sandbox without the network
    # sees no abstract socket).
    # A checkout under /tmp (a clone made there) is bound back in.
    if os.environ.get("OFL_FLATPAK_PRIVATE_X11") is None and os.geteuid() == 0 and shutil.which("unshare"):
        os.environ["OFL_FLATPAK_PRIVATE_X11"] = "1"
        checkout = os.path.realpath(os.environ.get("ONEFLOW_LINK_SOURCE_DIR", os.path.dirname(__file__) + "/../.."))
        keep = checkout if checkout.startswith("/tmp/") else ""
        os.execvp("unshare", ["unshare", "--mount", "--propagation", "private", "sh", "-c",
                              'set -e; keep=$1; shift; '
                              'if [ -n "$keep" ]; then old=/run/ofl-flatpak-host-tmp; mkdir -p "$old"; mount --bind /tmp "$old"; fi; '
                              'mount -t tmpfs -o mode=1777 tmpfs /tmp; '
                              'if [ -n "$keep" ]; then mkdir -p "$keep"; mount --bind "$old/${keep#/tmp/}" "$keep"; fi; '
                              'exec "$@"', "sh", keep,
                              "/usr/bin/python3", os.path.abspath(__file__), *sys.argv[1:]])
    problem = bwrap_problem()
    if problem:
        # As ofl-test-env: fails, unless OFL_TEST_ALLOW_SKIP=1 allows a skip.
        if os.environ.get("OFL_TEST_ALLOW_SKIP") == "1":
            print(f"1..0 # SKIP {problem}", flush=True)
            return 0
        print(f"Bail out! {problem}; set OFL_TEST_ALLOW_SKIP=1 to skip this", flush=True)
        return 1
    for key in ("FLATPAK_USER_DIR", "OFL_FLATPAK_FAKE_SERVER"):
        if key not in os.environ:
            print(f"Bail out! {key} is not set: run build-aux/run-flatpak-tests.sh", flush=True)
            return 1

    cases = [("installed from the repo, on the stand-in runtime, in the sandbox", case_installed, {}),
             ("--help in the Flatpak names what works there", case_help, {}),
             ("--link, --list --json, --check, --relink (6), --unlink through the Secret portal", case_cli, {}),
             ("no Secret portal: a save exits 4 and says why; --list as the README says", case_no_portal,
              {"portal": False}),
             ("the assistant from Start to a saved link, through AT-SPI, a screenshot a page", case_gui,
              {"a11y": True}),
             ("D-Bus activation by check-links, and its notification through the portal",
              case_activation_and_notification, {}),
             ("README's deployment: signed bundle and repo, system install, override, uninstall", case_deploy,
              {"portal": True})]
    permissions = [(f"without {arg}, something breaks", permission_case(arg), None) for arg in FINISH_ARGS]
    everything = cases + permissions
    # test-flatpak.py [WORDS]: only the cases whose description has WORDS.
    only = sys.argv[1] if len(sys.argv) > 1 else None
    return run_tap([(description, in_world(function, world_args))
                    for description, function, world_args in everything], only=only)


def in_world(function, world_args):
    """@function as a case: with a World made from @world_args, or none."""
    def case():
        if world_args is None:
            return function()
        world = World(**world_args)
        try:
            function(world)
        finally:
            world.close()
    return case

if __name__ == "__main__":
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))
    sys.exit(main())
