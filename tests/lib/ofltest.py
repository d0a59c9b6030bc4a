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


class FakeServer:
    """The fake Oneflow server program, on a loopback port of its own."""

    def __init__(self, program, *args):
        self.process = subprocess.Popen([program, *args], stdout=subprocess.PIPE,
                                        stderr=subprocess.DEVNULL, text=True)
        ready, _, _ = select.select([self.process.stdout], [], [], 10)
        if not ready:
            self.process.kill()
            raise RuntimeError("the fake server did not start")
        self.url = self.process.stdout.readline().strip()
        self.control = self.url[: -len("/v1")] + "/_fake/"
        # Only the test's own requests to its own fake skip verification.
        self.context = ssl._create_unverified_context() if self.url.startswith("https:") else None

    def post(self, what, **params):
        query = urllib.parse.urlencode(params)
        request = urllib.request.Request(self.control + what + ("?" + query if query else ""),
                                         data=b"", method="POST")
        with urllib.request.urlopen(request, timeout=5, context=self.context) as reply:
            reply.read()

    def requests(self):
        with urllib.request.urlopen(self.control + "requests", timeout=5, context=self.context) as reply:
            return json.loads(reply.read())

    def stop(self):
        self.process.terminate()
        try:
            self.process.wait(5)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(5)


class Skip(Exception):
    """Raised by a case that cannot run here; TAP reports it with the reason."""


def run_tap(cases, after_each=None):
    """Runs (description, function) cases as TAP; returns the exit status."""
    print(f"1..{len(cases)}", flush=True)
    failed = 0
    for number, (description, function) in enumerate(cases, 1):
        try:
            function()
            print(f"ok {number} - {description}", flush=True)
        except Skip as skip:
            print(f"ok {number} - {description} # SKIP {skip}", flush=True)
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
